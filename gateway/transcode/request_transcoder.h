// HTTP → gRPC request: the request message of a route's method, filled from the JSON body (the
// whole message or one field, per the rule's `body`), the path's variables and the remaining
// query parameters (dotted field paths, repeated by repetition, enums by name or number, 64-bit
// integers as strings), and the headers that stand for fields (Idempotency-Key → request_id,
// If-Match → etag). JSON is protobuf's own mapping: both the proto and the lowerCamelCase names,
// unknown fields refused. Every refusal is INVALID_ARGUMENT naming what it refuses.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/routing/route_table.h"
#include "google/protobuf/message.h"

namespace rectify::gateway {

struct HttpRequestParts {
  absl::string_view query;  // after '?', still encoded
  absl::string_view body;
  std::string idempotency_key;
  std::string if_match;
  // An upload: the body is the file, streamed apart from the first message.
  bool body_streamed = false;
  // Named like query parameters and taken as they are (an upload form's fields), decoded.
  std::vector<std::pair<std::string, std::string>> fields;
};

class RequestTranscoder {
 public:
  static absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Build(
      const RouteMatch& match, const HttpRequestParts& request);
};

// Callers without a token share the public role's one principal, and with it the services'
// idempotency records: their request ids (the request's own `request_id`, or that of a message
// field of it, such as an upload's metadata) are rewritten into ones of their own scope (the
// client's address), "anon-" and a digest, so that no one can be answered with another's result.
void ScopeRequestIds(google::protobuf::Message& request, absl::string_view scope);

// An HTTP entity tag for a resource's etag ("v3" → "\"v3\""), and back from If-Match ("\"v3\"",
// W/"v3" or v3 → v3).
std::string EntityTag(absl::string_view etag);
std::string EtagFromIfMatch(absl::string_view header);

// Splits a query string into decoded (name, value) pairs ('+' is a space); false on a malformed
// %-escape.
bool ParseQuery(absl::string_view query, std::vector<std::pair<std::string, std::string>>& out);

}  // namespace rectify::gateway
