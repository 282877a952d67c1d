#include "gateway/openapi.h"

#include <deque>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/event_stream.h"
#include "gateway/file_transfer.h"
#include "google/protobuf/descriptor.pb.h"

namespace rectify {
extern const unsigned char kServiceDescriptorSet[];
extern const std::size_t kServiceDescriptorSet_size;
}  // namespace rectify

namespace rectify::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using json = nlohmann::json;

// ---- Comments: SourceCodeInfo's paths name elements by field numbers of descriptor.proto ----
constexpr int kFileMessage = 4, kFileEnum = 5, kFileService = 6;
constexpr int kMessageField = 2, kMessageNested = 3, kMessageEnum = 4;
constexpr int kEnumValue = 2, kServiceMethod = 2;

std::string Clean(const std::string& comment) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(comment, '\n')) {
    // Comments start with a space after the slashes; section rules (---) carry nothing.
    absl::ConsumePrefix(&line, " ");
    std::string l(absl::StripTrailingAsciiWhitespace(line));
    if (absl::StartsWith(l, "---")) continue;
    lines.push_back(std::move(l));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return absl::StrJoin(lines, "\n");
}

class CommentIndex {
 public:
  explicit CommentIndex(const google::protobuf::FileDescriptorProto& file) : file_(file) {
    for (const auto& loc : file.source_code_info().location()) {
      if (!loc.leading_comments().empty()) {
        by_path_[std::vector<int>(loc.path().begin(), loc.path().end())] = loc.leading_comments();
      }
    }
  }

  void Collect(std::map<std::string, std::string>& out) const {
    std::string prefix = file_.package().empty() ? "" : file_.package() + ".";
    for (int i = 0; i < file_.message_type_size(); ++i) {
      Message(file_.message_type(i), prefix, {kFileMessage, i}, out);
    }
    for (int i = 0; i < file_.enum_type_size(); ++i) {
      Enum(file_.enum_type(i), prefix, {kFileEnum, i}, out);
    }
    for (int i = 0; i < file_.service_size(); ++i) {
      const auto& s = file_.service(i);
      Put(prefix + s.name(), {kFileService, i}, out);
      for (int j = 0; j < s.method_size(); ++j) {
        Put(prefix + s.name() + "." + s.method(j).name(), {kFileService, i, kServiceMethod, j},
            out);
      }
    }
  }

 private:
  void Put(const std::string& name, const std::vector<int>& path,
           std::map<std::string, std::string>& out) const {
    auto it = by_path_.find(path);
    if (it != by_path_.end()) out[name] = Clean(it->second);
  }
  void Message(const google::protobuf::DescriptorProto& m, const std::string& prefix,
               std::vector<int> path, std::map<std::string, std::string>& out) const {
    std::string name = prefix + m.name();
    Put(name, path, out);
    auto at = [&](int kind, int i) {
      std::vector<int> p = path;
      p.push_back(kind);
      p.push_back(i);
      return p;
    };
    for (int i = 0; i < m.field_size(); ++i) {
      Put(name + "." + m.field(i).name(), at(kMessageField, i), out);
    }
    for (int i = 0; i < m.nested_type_size(); ++i) {
      Message(m.nested_type(i), name + ".", at(kMessageNested, i), out);
    }
    for (int i = 0; i < m.enum_type_size(); ++i) {
      Enum(m.enum_type(i), name + ".", at(kMessageEnum, i), out);
    }
  }
  void Enum(const google::protobuf::EnumDescriptorProto& e, const std::string& prefix,
            std::vector<int> path, std::map<std::string, std::string>& out) const {
    std::string name = prefix + e.name();
    Put(name, path, out);
    for (int i = 0; i < e.value_size(); ++i) {
      std::vector<int> p = path;
      p.push_back(kEnumValue);
      p.push_back(i);
      Put(name + "." + e.value(i).name(), p, out);
    }
  }

  const google::protobuf::FileDescriptorProto& file_;
  std::map<std::vector<int>, std::string> by_path_;
};

// ---- Schemas ----

constexpr char kComponents[] = "#/components/schemas/";

// The document's schemas: each message or enum an operation refers to, and all they refer to.
class SchemaSet {
 public:
  explicit SchemaSet(const ProtoComments& comments) : comments_(comments) {}

  // The schema of a field's value (one element of it, when `element`).
  json Field(const FieldDescriptor* f, bool element = false) {
    if (f->is_map() && !element) {
      return Describe(
          {{"type", "object"},
           {"additionalProperties", Field(f->message_type()->FindFieldByName("value"))}},
          f);
    }
    if (f->is_repeated() && !element) {
      return Describe({{"type", "array"}, {"items", Field(f, true)}}, f);
    }
    json s;
    switch (f->type()) {
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        s = {{"type", "number"}};
        break;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        s = {{"type", "integer"}, {"format", "int32"}};
        break;
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        s = {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
        break;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        // protobuf's JSON writes 64-bit integers as strings (and reads either).
        s = {{"type", "string"}, {"format", "int64"}, {"pattern", "^-?[0-9]+$"}};
        break;
      case FieldDescriptor::TYPE_BOOL:
        s = {{"type", "boolean"}};
        break;
      case FieldDescriptor::TYPE_STRING:
        s = {{"type", "string"}};
        break;
      case FieldDescriptor::TYPE_BYTES:
        s = {{"type", "string"}, {"contentEncoding", "base64"}};
        break;
      case FieldDescriptor::TYPE_ENUM:
        s = Ref(f->enum_type());
        break;
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        s = Message(f->message_type());
        break;
    }
    return element ? s : Describe(std::move(s), f);
  }

  json Message(const Descriptor* d) {
    const std::string& n = d->full_name();
    if (n == "google.protobuf.Timestamp") return {{"type", "string"}, {"format", "date-time"}};
    if (n == "google.protobuf.Duration") return {{"type", "string"}, {"pattern", "^-?[0-9.]+s$"}};
    if (n == "google.protobuf.FieldMask") {
      return {{"type", "string"},
              {"description", "Field paths, comma-separated (lowerCamelCase)."}};
    }
    if (n == "google.protobuf.Struct") return {{"type", "object"}};
    if (n == "google.protobuf.Value") return json::object();
    if (n == "google.protobuf.Empty") return {{"type", "object"}};
    if (absl::StartsWith(n, "google.protobuf.") && absl::EndsWith(n, "Value")) {
      return Field(d->FindFieldByName("value"), true);  // wrappers: the bare value
    }
    Want(n);
    return {{"$ref", kComponents + n}};
  }

  json Ref(const EnumDescriptor* e) {
    Want(e->full_name());
    return {{"$ref", kComponents + e->full_name()}};
  }

  void Want(const std::string& full_name) {
    if (seen_.insert(full_name).second) pending_.push_back(full_name);
  }

  // Every schema wanted, and those they want in turn.
  json Components() {
    json out = json::object();
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    while (!pending_.empty()) {
      std::string name = pending_.front();
      pending_.pop_front();
      if (const Descriptor* d = pool->FindMessageTypeByName(name); d != nullptr) {
        out[name] = Object(d);
      } else if (const EnumDescriptor* e = pool->FindEnumTypeByName(name); e != nullptr) {
        out[name] = Enum(e);
      }
    }
    return out;
  }

  json Message(const std::string& full_name) {
    const auto* d =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
    return d == nullptr ? json::object() : Message(d);
  }

 private:
  json Describe(json s, const FieldDescriptor* f) {
    if (s.contains("$ref")) {
      // A $ref's siblings are allowed in 3.1; a field's own words say more than its type's.
      Want(std::string(absl::StripPrefix(s["$ref"].get<std::string>(), kComponents)));
    }
    if (const std::string& c = comments_.Of(f->full_name()); !c.empty()) s["description"] = c;
    return s;
  }

  json Object(const Descriptor* d) {
    json properties = json::object();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      json s = Field(f);
      if (s.contains("$ref")) {
        Want(std::string(absl::StripPrefix(s["$ref"].get<std::string>(), kComponents)));
      }
      properties[f->json_name()] = std::move(s);
    }
    json o = {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
    if (const std::string& c = comments_.Of(d->full_name()); !c.empty()) o["description"] = c;
    return o;
  }

  json Enum(const EnumDescriptor* e) {
    json names = json::array();
    std::vector<std::string> described;
    for (int i = 0; i < e->value_count(); ++i) {
      const auto* v = e->value(i);
      names.push_back(v->name());
      if (const std::string& c = comments_.Of(v->full_name()); !c.empty()) {
        described.push_back(absl::StrCat("- `", v->name(), "`: ", c));
      }
    }
    std::string description = comments_.Of(e->full_name());
    if (!described.empty()) {
      description = absl::StrCat(description, description.empty() ? "" : "\n\n",
                                 absl::StrJoin(described, "\n"));
    }
    json s = {{"type", "string"}, {"enum", names}};
    if (!description.empty()) s["description"] = description;
    return s;
  }

  const ProtoComments& comments_;
  std::set<std::string> seen_;
  std::deque<std::string> pending_;
};

// "/v1/{name=regions/*}:verb" → "/v1/{name}:verb"; the variables in order.
std::string OpenApiPath(const PathTemplate& t) {
  std::string out;
  const std::string& text = t.text();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out.push_back(text[i]);
      continue;
    }
    size_t close = text.find('}', i);
    std::string inner = text.substr(i + 1, close - i - 1);
    out += "{" + inner.substr(0, inner.find('=')) + "}";
    i = close;
  }
  return out;
}

bool IsScalarQueryField(const FieldDescriptor* f) {
  if (f->is_map()) return false;
  if (f->type() != FieldDescriptor::TYPE_MESSAGE) return true;
  const std::string& n = f->message_type()->full_name();
  return n == "google.protobuf.Timestamp" || n == "google.protobuf.Duration" ||
         n == "google.protobuf.FieldMask" ||
         (absl::StartsWith(n, "google.protobuf.") && absl::EndsWith(n, "Value") &&
          n != "google.protobuf.Value");
}

// The query parameters a route takes: every scalar field reachable through singular messages,
// except those in the path or the body.
void QueryFields(const Descriptor* d, const std::string& prefix, const std::set<std::string>& skip,
                 int depth, std::vector<std::pair<std::string, const FieldDescriptor*>>& out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string name = prefix + f->json_name();
    std::string proto_name = prefix + f->name();
    if (skip.count(proto_name) > 0) continue;
    if (IsScalarQueryField(f)) {
      out.emplace_back(name, f);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() && depth < 3) {
      QueryFields(f->message_type(), name + ".", skip, depth + 1, out);
    }
  }
}

json ErrorSchema() {
  json codes = json::array();
  for (const char* c : {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                        "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}) {
    codes.push_back(c);
  }
  json detail = {{"type", "object"},
                 {"properties", {{"@type", {{"type", "string"}}}}},
                 {"additionalProperties", true}};
  json status = {{"type", "object"},
                 {"required", {"code", "message", "status"}},
                 {"properties",
                  {{"code", {{"type", "integer"}, {"description", "The HTTP status."}}},
                   {"message", {{"type", "string"}}},
                   {"status", {{"type", "string"}, {"enum", codes}}},
                   {"details", {{"type", "array"}, {"items", detail}}}}}};
  return {{"type", "object"},
          {"description",
           "A failed call (AIP-193): google.rpc.Status with its code's name; the details carry "
           "google.rpc.ErrorInfo (reason, domain, metadata) and google.rpc.BadRequest "
           "(fieldViolations: field, description) where the service gave them."},
          {"required", {"error"}},
          {"properties", {{"error", status}}}};
}

json Header(const char* name, const char* description) {
  return {{"name", name},
          {"in", "header"},
          {"required", false},
          {"description", description},
          {"schema", {{"type", "string"}}}};
}

void CollectRefs(const json& j, SchemaSet& schemas) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) {
        std::string ref = it->get<std::string>();
        if (absl::StartsWith(ref, kComponents)) {
          schemas.Want(std::string(absl::StripPrefix(ref, kComponents)));
        }
      } else {
        CollectRefs(*it, schemas);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) CollectRefs(e, schemas);
  }
}

}  // namespace

absl::StatusOr<ProtoComments> ProtoComments::FromDescriptorSet(const void* data, size_t size) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(data, static_cast<int>(size))) {
    return absl::InvalidArgumentError("the descriptor set does not parse");
  }
  ProtoComments comments;
  for (const auto& file : set.file()) CommentIndex(file).Collect(comments.comments_);
  return comments;
}

absl::StatusOr<ProtoComments> ProtoComments::Linked() {
  return FromDescriptorSet(kServiceDescriptorSet, kServiceDescriptorSet_size);
}

const std::string& ProtoComments::Of(const std::string& full_name) const {
  static const std::string kNone;
  auto it = comments_.find(full_name);
  return it == comments_.end() ? kNone : it->second;
}

std::string SchemaRef(const std::string& full_name) { return kComponents + full_name; }

json OpenApiDocument(const RouteTable& routes, const ProtoComments& comments,
                     const std::vector<ExtraOperation>& extras) {
  SchemaSet schemas(comments);
  json paths = json::object();
  std::map<std::string, int> operation_ids;
  std::set<std::string> tags;
  json error_response = {
      {"description", "The call failed (AIP-193)."},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};

  for (const Route& route : routes.routes()) {
    const MethodDescriptor* m = route.method;
    const Descriptor* input = m->input_type();
    const std::string& method_comment = comments.Of(m->full_name());
    std::string tag = m->service()->name();
    tags.insert(tag);
    std::string id = absl::StrCat(m->service()->name(), "_", m->name());
    if (int n = ++operation_ids[id]; n > 1) absl::StrAppend(&id, "_", n);

    json op = {{"operationId", id}, {"tags", {tag}}};
    std::string summary = method_comment.substr(0, method_comment.find('\n'));
    op["summary"] = summary.empty() ? m->name() : summary;
    if (!method_comment.empty()) op["description"] = method_comment;

    json parameters = json::array();
    std::set<std::string> skip;
    for (const std::string& var : route.path.Variables()) {
      const FieldDescriptor* f = FindFieldPath(input, var);
      skip.insert(var);
      json p = {{"name", var}, {"in", "path"}, {"required", true}, {"schema", schemas.Field(f)}};
      if (p["schema"].contains("description")) {
        p["description"] = p["schema"]["description"];
        p["schema"].erase("description");
      }
      parameters.push_back(std::move(p));
    }
    if (!route.body.empty() && route.body != "*") skip.insert(route.body);
    if (route.body != "*") {
      std::vector<std::pair<std::string, const FieldDescriptor*>> query;
      QueryFields(input, "", skip, 0, query);
      for (const auto& [name, f] : query) {
        json p = {{"name", name}, {"in", "query"}, {"schema", schemas.Field(f)}};
        if (p["schema"].contains("description")) {
          p["description"] = p["schema"]["description"];
          p["schema"].erase("description");
        }
        if (f->is_repeated()) p["explode"] = true;
        parameters.push_back(std::move(p));
      }
    }
    bool has_request_id = input->FindFieldByName("request_id") != nullptr;
    if (has_request_id && route.http_method != "GET") {
      parameters.push_back(Header("Idempotency-Key",
                                  "Stands for request_id: a retry with the same key is "
                                  "answered as the first call was."));
    }
    bool has_etag = input->FindFieldByName("etag") != nullptr;
    if (!has_etag && !route.body.empty() && route.body != "*") {
      const FieldDescriptor* b = FindFieldPath(input, route.body);
      has_etag = b->type() == FieldDescriptor::TYPE_MESSAGE &&
                 b->message_type()->FindFieldByName("etag") != nullptr;
    }
    if (has_etag && route.http_method != "GET") {
      parameters.push_back(Header("If-Match",
                                  "Stands for etag: the version the change was made on (the ETag "
                                  "of the resource as read)."));
    }
    parameters.push_back(Header("Grpc-Timeout", "The call's deadline, e.g. 5S or 250m."));
    parameters.push_back(Header("X-Request-Id", "Echoed in the answer and logged."));
    op["parameters"] = parameters;

    if (IsFileUpload(route)) {
      json form_properties = {
          {"file", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
      op["requestBody"] = {
          {"required", true},
          {"description",
           "The file: raw (its name in Content-Disposition, its type in Content-Type), or a "
           "multipart/form-data form whose fields (named as the query parameters are) come "
           "before its one file part."},
          {"content",
           {{"application/octet-stream",
             {{"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}}},
            {"multipart/form-data",
             {{"schema",
               {{"type", "object"}, {"properties", form_properties}, {"required", {"file"}}}}}}}}};
    } else if (route.body == "*") {
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", schemas.Message(input)}}}}}};
    } else if (!route.body.empty()) {
      json s = schemas.Field(FindFieldPath(input, route.body));
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", s}}}}}};
    }

    json ok;
    if (IsEventStream(route)) {
      ok = {{"description",
             "Server-sent events: `id:` is the event's cursor (send it back as Last-Event-ID to "
             "resume), `event:` its type, `data:` the Event as JSON."},
            {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
      schemas.Want(m->output_type()->full_name());
    } else if (IsFileDownload(route)) {
      ok = {{"description", "The file, streamed (Content-Disposition names it)."},
            {"content",
             {{"application/octet-stream",
               {{"schema",
                 {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}}}}}};
    } else {
      json s = route.response_body.empty()
                   ? schemas.Message(m->output_type())
                   : schemas.Field(m->output_type()->FindFieldByName(route.response_body));
      ok = {{"description", "OK"}, {"content", {{"application/json", {{"schema", s}}}}}};
    }
    op["responses"] = {{"200", ok}, {"default", error_response}};
    if (absl::StrContains(method_comment, "public"))
      op["security"] = json::array({json::object(), {{"bearerAuth", json::array()}}});
    paths[OpenApiPath(route.path)][absl::AsciiStrToLower(route.http_method)] = std::move(op);
  }

  for (const ExtraOperation& extra : extras) {
    CollectRefs(extra.operation, schemas);
    json op = extra.operation;
    if (!op.contains("responses")) op["responses"] = json::object();
    op["responses"]["default"] = error_response;
    paths[extra.path][extra.method] = std::move(op);
  }

  json components = schemas.Components();
  components["Error"] = ErrorSchema();
  json tag_list = json::array();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& t : tags) {
    json tag = {{"name", t}};
    if (const auto* s = pool->FindServiceByName("rectify.v1." + t); s != nullptr) {
      if (const std::string& c = comments.Of(s->full_name()); !c.empty()) tag["description"] = c;
    }
    tag_list.push_back(std::move(tag));
  }
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Rectify"},
        {"version", "v1"},
        {"description",
         "The HTTP/JSON API of the Rectify suite (issue registry, supervision, accountability), "
         "transcoded by its gateway from the services' gRPC methods and their google.api.http "
         "annotations. JSON is protobuf's mapping: lowerCamelCase names, 64-bit integers as "
         "strings, enums by name, timestamps in RFC 3339."}}},
      {"servers", {{{"url", "/"}}}},
      {"tags", tag_list},
      {"security", {{{"bearerAuth", json::array()}}}},
      {"paths", paths},
      {"components",
       {{"schemas", components},
        {"securitySchemes",
         {{"bearerAuth",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"bearerFormat", "JWT"},
            {"description", "A token with sub, org, role, region and exp (HS256)."}}}}}}}};
}

}  // namespace rectify::gateway
