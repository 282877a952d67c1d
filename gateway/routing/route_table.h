// The gateway's routes, read at start-up from the google.api.http options of the services'
// methods in the linked descriptors: a newly annotated RPC is routed without gateway code.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/routing/path_template.h"
#include "google/protobuf/descriptor.h"

namespace rectify::gateway {

struct Route {
  std::string http_method;  // GET, POST, PUT, PATCH, DELETE
  PathTemplate path;
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string body;           // "", "*" or a top-level field of the request
  std::string response_body;  // "" or a top-level field of the response
  std::string grpc_path;      // "/rectify.v1.IssueRegistry/GetIssue"

  const std::string& service() const;
  bool server_streaming() const { return method->server_streaming(); }
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
};

class RouteTable {
 public:
  // The routes of the named services (full names, e.g. "rectify.v1.IssueRegistry") in the
  // generated descriptor pool, additional bindings included. Refuses a template that does not
  // parse, a variable or body naming no field of the request, and two routes for the same method
  // and template.
  static absl::StatusOr<RouteTable> FromServices(const std::vector<std::string>& services);

  // The most specific route for `http_method` and `path` (percent-encoded, without the query):
  // NOT_FOUND when no template matches the path, FAILED_PRECONDITION when templates match it only
  // for other methods (see AllowedMethods).
  absl::StatusOr<RouteMatch> Find(absl::string_view http_method, absl::string_view path) const;
  // The methods that have a route for `path` (for 405 and its Allow header).
  std::vector<std::string> AllowedMethods(absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;  // most specific first
};

// The field a dotted path names in `message` (proto or JSON names), or nullptr. When the path
// crosses a field that is not a singular message, nullptr.
const google::protobuf::FieldDescriptor* FindFieldPath(const google::protobuf::Descriptor* message,
                                                       absl::string_view dotted);

}  // namespace rectify::gateway
