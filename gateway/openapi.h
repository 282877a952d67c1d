// The gateway's OpenAPI 3.1 document, generated from what it routes: the same route table and
// descriptors (paths, parameters, request and response schemas, enums), the protos' comments as
// descriptions, the AIP-193 error schema and bearer authentication. Portals generate their API
// types from it; nothing in it is written by hand except the gateway's own endpoints.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/routing/route_table.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {

// The leading comments of the protos' services, methods, messages, fields, enums and values, by
// full name ("rectify.v1.Issue.deadline"), from a FileDescriptorSet built with source info.
class ProtoComments {
 public:
  static absl::StatusOr<ProtoComments> FromDescriptorSet(const void* data, size_t size);
  // The descriptor set linked into the gateway (protos/CMakeLists.txt).
  static absl::StatusOr<ProtoComments> Linked();

  // "" when the element has no comment.
  const std::string& Of(const std::string& full_name) const;
  size_t size() const { return comments_.size(); }

 private:
  std::map<std::string, std::string> comments_;
};

// An operation of the gateway's own (not transcoded) for the document: its path, method and
// the Operation Object.
struct ExtraOperation {
  std::string path, method;  // "/v1/board", "get"
  nlohmann::json operation;
};

nlohmann::json OpenApiDocument(const RouteTable& routes, const ProtoComments& comments,
                               const std::vector<ExtraOperation>& extras = {});

// A reference to the component schema of a message or enum ("#/components/schemas/…"); the
// document includes every schema an operation refers to.
std::string SchemaRef(const std::string& full_name);

}  // namespace rectify::gateway
