// gRPC → HTTP answer: the response message as protobuf's JSON (lowerCamelCase), its etag as the
// ETag header, and a failed call as google.rpc.Code's HTTP status with an AIP-193 body
// ({"error": {"code", "message", "status", "details"}}) carrying the ErrorInfo and BadRequest
// details the service attached.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "gateway/routing/route_table.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace rectify::gateway {

int HttpStatusOf(grpc::StatusCode code);
// "INVALID_ARGUMENT" and so on.
std::string CodeName(grpc::StatusCode code);

// The AIP-193 body of a failed call; `http_status` when the HTTP status is not the code's own
// (405 for a method a path does not take), as the body's code must equal it.
std::string ErrorJson(const grpc::Status& status, int http_status = 0);
// The same for the gateway's own refusals (bad input, no route), through common's one mapping.
std::string ErrorJson(const absl::Status& status);

// A message as protobuf's JSON, as every answer prints it (lowerCamelCase).
absl::StatusOr<std::string> MessageJson(const google::protobuf::Message& message);
// The answer of `route`: its response_body field or the whole message.
absl::StatusOr<std::string> ResponseJson(const Route& route,
                                         const google::protobuf::Message& response);
// The resource's etag when the response is one (a top-level string field `etag`), else "".
std::string ResourceEtag(const google::protobuf::Message& response);

}  // namespace rectify::gateway
