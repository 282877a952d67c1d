#include "gateway/transcode/request_transcoder.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/json_codec.h"
#include "common/status.h"
#include "common/text.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using nlohmann::json;

bool IsWellKnownScalar(const FieldDescriptor* f) {
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return true;
  // Messages that JSON writes as one string or number.
  static const absl::flat_hash_set<std::string> kScalars = {
      "google.protobuf.Timestamp",   "google.protobuf.Duration",    "google.protobuf.FieldMask",
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
  return kScalars.contains(f->message_type()->full_name());
}

// JSON nested deeper than this is refused before it is parsed into a tree (no request of the
// suite needs more than a handful of levels; the tree's printer recurses per level).
constexpr int kMaxJsonDepth = 32;

bool NestedTooDeep(absl::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// The JSON value a text from a path or query stands for, for field `f`.
absl::StatusOr<json> ValueFor(const FieldDescriptor* f, const std::string& name,
                              const std::string& text) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true" || text == "1") return json(true);
      if (text == "false" || text == "0") return json(false);
      return InvalidField(name, absl::StrCat("\"", text, "\" is not true or false"));
    case FieldDescriptor::CPPTYPE_ENUM: {
      // By name, or by number.
      if (!text.empty() && std::all_of(text.begin(), text.end(),
                                       [](char c) { return absl::ascii_isdigit(c) || c == '-'; })) {
        int n = 0;
        if (!absl::SimpleAtoi(text, &n)) {
          return InvalidField(name, absl::StrCat("\"", text, "\" is not a value"));
        }
        return json(n);
      }
      return json(text);
    }
    default:
      // Numbers as strings are part of protobuf's JSON mapping; so are the well-known types.
      return json(text);
  }
}

// A field's name in the JSON we build (the proto name) and the other name a body may use for it.
struct JsonName {
  std::string proto, json;
};

// Sets `value` at the field path `names` under `root`, appending when the field is repeated. A
// body that used the lowerCamelCase name on the way has it renamed first, so that one value
// stands for each field (the path's, when both give one).
void SetAt(json& root, const std::vector<JsonName>& names, json value, bool repeated) {
  json* at = &root;
  for (size_t i = 0; i < names.size(); ++i) {
    const JsonName& n = names[i];
    if (n.json != n.proto && at->contains(n.json)) {
      if (!at->contains(n.proto)) (*at)[n.proto] = std::move((*at)[n.json]);
      at->erase(n.json);
    }
    if (i + 1 == names.size()) break;
    json& next = (*at)[n.proto];
    if (!next.is_object()) next = json::object();
    at = &next;
  }
  json& leaf = (*at)[names.back().proto];
  if (repeated) {
    if (!leaf.is_array()) leaf = json::array();
    leaf.push_back(std::move(value));
  } else {
    leaf = std::move(value);
  }
}

// The field path as the names of its fields.
std::vector<JsonName> ProtoNames(const google::protobuf::Descriptor* message,
                                 absl::string_view dotted) {
  std::vector<JsonName> out;
  for (absl::string_view name : absl::StrSplit(dotted, '.')) {
    const FieldDescriptor* f = FindFieldPath(message, name);
    out.push_back({f->name(), f->json_name()});
    message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? f->message_type() : nullptr;
  }
  return out;
}

}  // namespace

bool ParseQuery(absl::string_view query, std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::string name(kv.first), value(kv.second);
    std::replace(name.begin(), name.end(), '+', ' ');
    std::replace(value.begin(), value.end(), '+', ' ');
    std::string dn, dv;
    if (!PercentDecode(name, dn) || !PercentDecode(value, dv)) return false;
    out.emplace_back(std::move(dn), std::move(dv));
  }
  return true;
}

void ScopeRequestIds(google::protobuf::Message& request, absl::string_view scope) {
  auto rewrite = [&](google::protobuf::Message& m) {
    const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("request_id");
    if (f == nullptr || f->type() != FieldDescriptor::TYPE_STRING || f->is_repeated()) return;
    std::string id = m.GetReflection()->GetString(m, f);
    if (id.empty()) return;
    m.GetReflection()->SetString(
        &m, f, "anon-" + crypto::Sha256Hex(absl::StrCat(scope, "\n", id)).substr(0, 40));
  };
  rewrite(request);
  const google::protobuf::Descriptor* d = request.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() &&
        request.GetReflection()->HasField(request, f)) {
      rewrite(*request.GetReflection()->MutableMessage(&request, f));
    }
  }
}

std::string EntityTag(absl::string_view etag) { return absl::StrCat("\"", etag, "\""); }

std::string EtagFromIfMatch(absl::string_view header) {
  header = absl::StripAsciiWhitespace(header);
  if (absl::StartsWith(header, "W/")) header.remove_prefix(2);
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"') {
    header = header.substr(1, header.size() - 2);
  }
  return std::string(header);
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> RequestTranscoder::Build(
    const RouteMatch& match, const HttpRequestParts& request) {
  const Route& route = *match.route;
  const google::protobuf::Descriptor* input = route.method->input_type();
  json root = json::object();
  Violations v;

  // The body: the whole request, one field of it, or nothing.
  if (request.body_streamed) {
    // The file's bytes travel in later messages.
  } else if (!route.body.empty()) {
    json body = json::object();
    if (!request.body.empty()) {
      if (NestedTooDeep(request.body)) {
        return InvalidField("body", absl::StrCat("nests deeper than ", kMaxJsonDepth, " levels"));
      }
      // nlohmann's parser refuses strings that are not UTF-8.
      body = json::parse(request.body.begin(), request.body.end(), nullptr, false);
      if (body.is_discarded()) return InvalidField("body", "is not valid JSON (in UTF-8)");
    }
    if (route.body == "*") {
      if (!body.is_object()) return InvalidField("body", "must be a JSON object");
      root = std::move(body);
    } else {
      root[FindFieldPath(input, route.body)->name()] = std::move(body);
    }
  } else if (!absl::StripAsciiWhitespace(request.body).empty()) {
    return InvalidField("body", absl::StrCat(route.http_method, " ", route.path.text(),
                                             " takes no body; send the fields as query "
                                             "parameters"));
  }

  // The path's variables: they win over the body.
  for (const auto& b : match.bindings) {
    std::string dotted = absl::StrJoin(b.field_path, ".");
    if (!IsValidUtf8(b.value)) return InvalidField(dotted, "is not UTF-8");
    const FieldDescriptor* f = FindFieldPath(input, dotted);
    auto value = ValueFor(f, dotted, b.value);
    if (!value.ok()) return value.status();
    SetAt(root, ProtoNames(input, dotted), *std::move(value), false);
  }

  // The query: every remaining field that is not in the body.
  std::vector<std::pair<std::string, std::string>> query;
  if (!ParseQuery(request.query, query)) return InvalidField("query", "a malformed %-escape");
  query.insert(query.end(), request.fields.begin(), request.fields.end());
  for (const auto& [name, text] : query) {
    if (!IsValidUtf8(name)) {
      v.Add("query", "a parameter's name is not UTF-8");
      continue;
    }
    if (!IsValidUtf8(text)) {
      v.Add(name, "is not UTF-8");
      continue;
    }
    const FieldDescriptor* f = FindFieldPath(input, name);
    if (route.body == "*") {
      v.Add(name, "unknown query parameter: this route takes every field in its body");
      continue;
    }
    if (f == nullptr) {
      v.Add(name, absl::StrCat("unknown query parameter for ", input->name()));
      continue;
    }
    std::vector<JsonName> names = ProtoNames(input, name);
    if (!route.body.empty() && names.front().proto == FindFieldPath(input, route.body)->name()) {
      v.Add(name, absl::StrCat("is given in the body (\"", route.body, "\")"));
      continue;
    }
    bool bound = false;
    for (const auto& b : match.bindings) {
      bound = bound || FindFieldPath(input, absl::StrJoin(b.field_path, ".")) == f;
    }
    if (bound) {
      v.Add(name, "is given in the path");
      continue;
    }
    if (!IsWellKnownScalar(f)) {
      v.Add(name, "is a message: give its fields (name.field=value)");
      continue;
    }
    auto value = ValueFor(f, name, text);
    if (!value.ok()) {
      v.Add(name, std::string(value.status().message()));
      continue;
    }
    SetAt(root, names, *std::move(value), f->is_repeated());
  }
  RETURN_IF_ERROR(v.ToStatus());

  // Headers that stand for fields: in the request itself, or else in the resource its body
  // carries (an update's `issue.etag`).
  // A conditional or idempotent request the route cannot honour is refused rather than run
  // unconditionally (a read is idempotent anyway).
  auto from_header = [&](const char* field, const char* header,
                         const std::string& value) -> absl::Status {
    if (value.empty()) return absl::OkStatus();
    auto unhonoured = [&] {
      if (route.http_method == "GET") return absl::OkStatus();
      return InvalidField(
          header, absl::StrCat(route.http_method, " ", route.path.text(), " does not take it"));
    };
    const google::protobuf::Descriptor* owner = input;
    json* at = &root;
    const FieldDescriptor* f = owner->FindFieldByName(field);
    if (f == nullptr && !route.body.empty() && route.body != "*") {
      const FieldDescriptor* body = FindFieldPath(input, route.body);
      if (body->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !body->is_repeated()) {
        owner = body->message_type();
        f = owner->FindFieldByName(field);
        json& inner = root[body->name()];
        if (!inner.is_object()) return absl::OkStatus();  // the parser will say what is wrong
        at = &inner;
      }
    }
    if (f == nullptr || f->type() != FieldDescriptor::TYPE_STRING || f->is_repeated()) {
      return unhonoured();
    }
    for (const std::string& name : {f->name(), f->json_name()}) {
      auto it = at->find(name);
      if (it == at->end()) continue;
      if (!it->is_string() || it->get<std::string>() != value) {
        return InvalidField(f->name(), absl::StrCat("differs from the ", header, " header"));
      }
      at->erase(it);
    }
    (*at)[f->name()] = value;
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(from_header("request_id", "Idempotency-Key", request.idempotency_key));
  std::string if_match = EtagFromIfMatch(request.if_match);
  if (if_match.find(',') != std::string::npos) {
    return InvalidField("If-Match", "one entity tag: the version the change was made on");
  }
  if (if_match != "*") RETURN_IF_ERROR(from_header("etag", "If-Match", if_match));

  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(input)->New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(Dump(root), message.get(), options);
  if (!parsed.ok()) {
    // protobuf's message names the field it could not take.
    return InvalidField(
        request.body.empty() ? "request" : "body",
        absl::StrCat("does not fit ", input->name(), ": ", std::string(parsed.message())));
  }
  return message;
}

}  // namespace rectify::gateway
