// protobuf's JSON mapping, printed straight from a message by reflection (lowerCamelCase names,
// default values left out, 64-bit integers as strings, enums by name, bytes in base64, the
// well-known types in their own forms). protobuf 3.21's util::MessageToJsonString gives the same
// JSON but gets there by serializing the message and reprinting the bytes through a type
// resolver, which was the largest part of the gateway's own cost per answer. The test
// JsonPrinterTest holds the two to the same output, as parsed JSON, for every message of the API.
#pragma once

#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace rectify::gateway {

// Appends `message` as a JSON object (or, for a well-known type, its JSON value).
void AppendJson(const google::protobuf::Message& message, std::string& out);
std::string PrintJson(const google::protobuf::Message& message);

// One field of `message` as a JSON value ("null" when unset and without a default to print).
std::string PrintFieldJson(const google::protobuf::Message& message,
                           const google::protobuf::FieldDescriptor* field);

}  // namespace rectify::gateway
