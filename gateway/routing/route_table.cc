#include "gateway/routing/route_table.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"

namespace rectify::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

const FieldDescriptor* FindField(const Descriptor* message, absl::string_view name) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* f = message->field(i);
    if (f->name() == name || f->json_name() == name) return f;
  }
  return nullptr;
}

absl::Status AddRule(const MethodDescriptor* method, const google::api::HttpRule& rule,
                     std::vector<Route>& out) {
  Route r;
  r.method = method;
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      r.http_method = "GET", path = rule.get();
      break;
    case google::api::HttpRule::kPost:
      r.http_method = "POST", path = rule.post();
      break;
    case google::api::HttpRule::kPut:
      r.http_method = "PUT", path = rule.put();
      break;
    case google::api::HttpRule::kPatch:
      r.http_method = "PATCH", path = rule.patch();
      break;
    case google::api::HttpRule::kDelete:
      r.http_method = "DELETE", path = rule.delete_();
      break;
    case google::api::HttpRule::kCustom:
      r.http_method = rule.custom().kind(), path = rule.custom().path();
      break;
    case google::api::HttpRule::PATTERN_NOT_SET:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": an http rule without a pattern"));
  }
  auto parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", parsed.status().message()));
  }
  r.path = *std::move(parsed);
  for (const auto& variable : r.path.Variables()) {
    const FieldDescriptor* f = FindFieldPath(method->input_type(), variable);
    if (f == nullptr || f->is_repeated() || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": {", variable,
                                                     "} names no singular scalar field of ",
                                                     method->input_type()->full_name()));
    }
  }
  r.body = rule.body();
  if (!r.body.empty() && r.body != "*" && FindField(method->input_type(), r.body) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": body \"", r.body, "\" is no field of the request"));
  }
  r.response_body = rule.response_body();
  if (!r.response_body.empty() && FindField(method->output_type(), r.response_body) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": response_body \"",
                                                   r.response_body,
                                                   "\" is no field of the response"));
  }
  r.grpc_path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  out.push_back(std::move(r));
  return absl::OkStatus();
}

}  // namespace

const std::string& Route::service() const { return method->service()->full_name(); }

const FieldDescriptor* FindFieldPath(const Descriptor* message, absl::string_view dotted) {
  const FieldDescriptor* f = nullptr;
  for (absl::string_view name : absl::StrSplit(dotted, '.')) {
    if (message == nullptr) return nullptr;
    f = FindField(message, name);
    if (f == nullptr) return nullptr;
    message = (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated())
                  ? f->message_type()
                  : nullptr;
  }
  return f;
}

absl::StatusOr<RouteTable> RouteTable::FromServices(const std::vector<std::string>& services) {
  RouteTable table;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& name : services) {
    const auto* service = pool->FindServiceByName(name);
    if (service == nullptr) {
      return absl::NotFoundError(absl::StrCat("service ", name, " is not linked in"));
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      if (!m->options().HasExtension(google::api::http)) continue;
      const auto& rule = m->options().GetExtension(google::api::http);
      if (auto s = AddRule(m, rule, table.routes_); !s.ok()) return s;
      for (const auto& extra : rule.additional_bindings()) {
        if (auto s = AddRule(m, extra, table.routes_); !s.ok()) return s;
      }
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& r : table.routes_) {
    if (!seen.insert({r.http_method, r.path.text()}).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(r.http_method, " ", r.path.text(), " is routed twice"));
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    return a.path.Specificity() > b.path.Specificity();
  });
  return table;
}

absl::StatusOr<RouteMatch> RouteTable::Find(absl::string_view http_method,
                                            absl::string_view path) const {
  bool other_method = false;
  for (const auto& r : routes_) {
    auto bindings = r.path.Match(path);
    if (!bindings) continue;
    if (r.http_method != http_method) {
      other_method = true;
      continue;
    }
    return RouteMatch{&r, *std::move(bindings)};
  }
  if (other_method) {
    return absl::FailedPreconditionError(absl::StrCat(http_method, " is not allowed on ", path));
  }
  return absl::NotFoundError(absl::StrCat("no route for ", path));
}

std::vector<std::string> RouteTable::AllowedMethods(absl::string_view path) const {
  std::set<std::string> methods;
  for (const auto& r : routes_) {
    if (r.path.Match(path)) methods.insert(r.http_method);
  }
  return {methods.begin(), methods.end()};
}

}  // namespace rectify::gateway
