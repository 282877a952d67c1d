#include "gateway/transcode/json_printer.h"

#include <cmath>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/strutil.h"
#include "google/protobuf/util/json_util.h"

namespace rectify::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void AppendString(absl::string_view s, std::string& out) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void AppendDouble(double v, std::string& out) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    out += google::protobuf::SimpleDtoa(v);
  }
}

void AppendFloat(float v, std::string& out) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    out += google::protobuf::SimpleFtoa(v);
  }
}

// ".5", ".500000", ".500000001": the fraction in 0, 3, 6 or 9 digits, as protobuf prints it.
std::string Nanos(int32_t nanos) {
  if (nanos == 0) return "";
  if (nanos % 1000000 == 0) return absl::StrFormat(".%03d", nanos / 1000000);
  if (nanos % 1000 == 0) return absl::StrFormat(".%06d", nanos / 1000);
  return absl::StrFormat(".%09d", nanos);
}

std::string CamelCase(absl::string_view snake) {
  std::string out;
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper ? absl::ascii_toupper(c) : c);
      upper = false;
    }
  }
  return out;
}

// The well-known types with a JSON form of their own; false for any other message.
bool AppendWellKnown(const Message& m, std::string& out) {
  const Descriptor* d = m.GetDescriptor();
  const std::string& name = d->full_name();
  if (name.rfind("google.protobuf.", 0) != 0) return false;
  const Reflection* r = m.GetReflection();
  if (name == "google.protobuf.Timestamp") {
    int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
    int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
    absl::StrAppend(
        &out, "\"",
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(seconds), absl::UTCTimeZone()),
        Nanos(nanos), "Z\"");
    return true;
  }
  if (name == "google.protobuf.Duration") {
    int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
    int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
    bool negative = seconds < 0 || nanos < 0;
    absl::StrAppend(&out, "\"", negative ? "-" : "", std::llabs(seconds), Nanos(std::abs(nanos)),
                    "s\"");
    return true;
  }
  if (name == "google.protobuf.FieldMask") {
    const FieldDescriptor* paths = d->FindFieldByName("paths");
    std::vector<std::string> camel;
    for (int i = 0; i < r->FieldSize(m, paths); ++i) {
      camel.push_back(CamelCase(r->GetRepeatedString(m, paths, i)));
    }
    AppendString(absl::StrJoin(camel, ","), out);
    return true;
  }
  // Value, Struct, ListValue, Any and Empty (none in this API's answers): protobuf's own.
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(m, &text).ok()) text = "null";
  out += text;
  return true;
}

void AppendValue(const Message& m, const FieldDescriptor* f, int index, std::string& out);

// A field's whole value: a map as an object, a repeated field as an array, else the one value.
void AppendField(const Message& m, const FieldDescriptor* f, std::string& out) {
  const Reflection* r = m.GetReflection();
  if (f->is_map()) {
    out.push_back('{');
    const FieldDescriptor* key = f->message_type()->FindFieldByNumber(1);
    const FieldDescriptor* value = f->message_type()->FindFieldByNumber(2);
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      if (i > 0) out.push_back(',');
      const Message& entry = r->GetRepeatedMessage(m, f, i);
      std::string k;
      AppendValue(entry, key, -1, k);
      if (k.front() != '"') k = absl::StrCat("\"", k, "\"");  // keys are strings in JSON
      out += k;
      out.push_back(':');
      AppendValue(entry, value, -1, out);
    }
    out.push_back('}');
  } else if (f->is_repeated()) {
    out.push_back('[');
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      if (i > 0) out.push_back(',');
      AppendValue(m, f, i, out);
    }
    out.push_back(']');
  } else {
    AppendValue(m, f, -1, out);
  }
}

bool IsWrapper(const Descriptor* d) {
  const std::string& name = d->full_name();
  return name.rfind("google.protobuf.", 0) == 0 && absl::EndsWith(name, "Value") &&
         name != "google.protobuf.Value" && d->field_count() == 1;
}

void AppendObject(const Message& m, std::string& out) {
  if (IsWrapper(m.GetDescriptor())) return AppendValue(m, m.GetDescriptor()->field(0), -1, out);
  if (AppendWellKnown(m, out)) return;
  out.push_back('{');
  // ListFields: the fields that are set (with presence) or not at their default (without),
  // in field-number order, as protobuf prints them.
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  bool first = true;
  for (const FieldDescriptor* f : fields) {
    if (!first) out.push_back(',');
    first = false;
    AppendString(f->json_name(), out);
    out.push_back(':');
    AppendField(m, f, out);
  }
  out.push_back('}');
}

// One value of a field: the field itself (index < 0) or one element of a repeated field.
void AppendValue(const Message& m, const FieldDescriptor* f, int index, std::string& out) {
  const Reflection* r = m.GetReflection();
  bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(&out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(&out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(&out, "\"", rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f), "\"");
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(&out, "\"", rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendDouble(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f), out);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
        out += "null";
      } else if (const auto* v = f->enum_type()->FindValueByNumber(number); v != nullptr) {
        AppendString(v->name(), out);
      } else {
        absl::StrAppend(&out, number);  // an open enum's value this build does not know
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s = rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                 : r->GetStringReference(m, f, &scratch);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        absl::StrAppend(&out, "\"", absl::Base64Escape(s), "\"");
      } else {
        AppendString(s, out);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendObject(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
      break;
  }
}

}  // namespace

void AppendJson(const Message& message, std::string& out) { AppendObject(message, out); }

std::string PrintJson(const Message& message) {
  std::string out;
  out.reserve(512);
  AppendObject(message, out);
  return out;
}

std::string PrintFieldJson(const Message& message, const FieldDescriptor* field) {
  const Reflection* r = message.GetReflection();
  if (field->is_repeated() && r->FieldSize(message, field) == 0)
    return field->is_map() ? "{}" : "[]";
  if (!field->is_repeated() && field->has_presence() && !r->HasField(message, field)) {
    return "null";
  }
  std::string out;
  AppendField(message, field, out);
  return out;
}

}  // namespace rectify::gateway
