// The gateway's JSON printer against protobuf's own util::MessageToJsonString: for every message
// of the API, filled at random (fixed seeds) through reflection, both give the same JSON value.
#include "gateway/transcode/json_printer.h"

#include <random>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rectify/v1/accountability.pb.h"
#include "rectify/v1/issue_registry.pb.h"
#include "rectify/v1/supervision.pb.h"

namespace rectify::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

class Filler {
 public:
  explicit Filler(uint32_t seed) : random_(seed) {}

  void Fill(Message& m, int depth) {
    const Descriptor* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    if (d->full_name() == "google.protobuf.Timestamp") {
      r->SetInt64(&m, d->FindFieldByName("seconds"), Int(0, 4000000000LL));
      r->SetInt32(&m, d->FindFieldByName("nanos"), static_cast<int32_t>(Nanos()));
      return;
    }
    if (d->full_name() == "google.protobuf.Duration") {
      int64_t s = Int(-100000, 100000);
      int32_t n = static_cast<int32_t>(Nanos());
      r->SetInt64(&m, d->FindFieldByName("seconds"), s);
      r->SetInt32(&m, d->FindFieldByName("nanos"), s < 0 ? -n : n);
      return;
    }
    if (d->full_name() == "google.protobuf.FieldMask") {
      for (int i = Int(0, 3); i > 0; --i) {
        r->AddString(&m, d->FindFieldByName("paths"), i % 2 ? "lead_org_id" : "title");
      }
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (Int(0, 3) == 0) continue;  // some fields stay unset
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth >= 3) continue;
      int n = f->is_repeated() ? static_cast<int>(Int(0, 3)) : 1;
      for (int k = 0; k < n; ++k) Set(m, f, f->is_repeated(), depth);
    }
  }

 private:
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random_);
  }
  int64_t Nanos() {
    switch (Int(0, 3)) {
      case 0:
        return 0;
      case 1:
        return Int(0, 999) * 1000000;
      case 2:
        return Int(0, 999999) * 1000;
      default:
        return Int(0, 999999999);
    }
  }
  std::string Text() {
    static const char* kPieces[] = {"整改", "a", "\"", "\\", "\n", "\t",     "\x01",
                                    "<b>",  "€", "😀",  " ",  "0",  "\u2028", "/"};
    std::string s;
    for (int i = Int(0, 6); i > 0; --i) s += kPieces[Int(0, 13)];
    return s;
  }
  void Set(Message& m, const FieldDescriptor* f, bool add, int depth) {
    const auto* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: {
        auto v = static_cast<int32_t>(Int(INT32_MIN, INT32_MAX));
        add ? r->AddInt32(&m, f, v) : r->SetInt32(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        auto v = static_cast<uint32_t>(Int(0, UINT32_MAX));
        add ? r->AddUInt32(&m, f, v) : r->SetUInt32(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = Int(0, 1) ? Int(INT64_MIN, INT64_MAX) : Int(-5, 5);
        add ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        auto v = static_cast<uint64_t>(Int(0, INT64_MAX));
        add ? r->AddUInt64(&m, f, v) : r->SetUInt64(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double choices[] = {0.1, 1e21, -2.5, 1.0 / 3, 100, 1e-7, 0.87654321};
        double v = choices[Int(0, 6)];
        add ? r->AddDouble(&m, f, v) : r->SetDouble(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        float v = static_cast<float>(Int(-1000, 1000)) / 7.0f;
        add ? r->AddFloat(&m, f, v) : r->SetFloat(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = Int(0, 1) == 1;
        add ? r->AddBool(&m, f, v) : r->SetBool(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        // A known value, or (proto3 enums are open) a number this build does not know.
        int v = Int(0, 5) == 0
                    ? 99
                    : f->enum_type()->value(Int(0, f->enum_type()->value_count() - 1))->number();
        add ? r->AddEnumValue(&m, f, v) : r->SetEnumValue(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string v =
            f->type() == FieldDescriptor::TYPE_BYTES ? std::string("\x00\xff\x10", 3) : Text();
        add ? r->AddString(&m, f, v) : r->SetString(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(add ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1);
        break;
    }
  }

  std::mt19937_64 random_;
};

void CollectMessages(const Descriptor* d, std::vector<const Descriptor*>& out) {
  if (d->options().map_entry()) return;
  out.push_back(d);
  for (int i = 0; i < d->nested_type_count(); ++i) CollectMessages(d->nested_type(i), out);
}

TEST(JsonPrinterTest, PrintsWhatProtobufPrintsForEveryMessageOfTheApi) {
  std::vector<const Descriptor*> messages;
  for (const auto* file : {v1::Issue::descriptor()->file(), v1::Case::descriptor()->file(),
                           v1::Escalation::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      CollectMessages(file->message_type(i), messages);
    }
  }
  ASSERT_GT(messages.size(), 100u);
  int compared = 0;
  for (const Descriptor* d : messages) {
    for (uint32_t seed = 0; seed < 8; ++seed) {
      std::unique_ptr<Message> m(
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
      Filler(seed * 7919 + d->index()).Fill(*m, 0);
      std::string theirs;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*m, &theirs).ok()) << d->full_name();
      std::string ours = PrintJson(*m);
      auto a = nlohmann::json::parse(ours, nullptr, false);
      ASSERT_FALSE(a.is_discarded()) << d->full_name() << ": " << ours;
      EXPECT_EQ(a, nlohmann::json::parse(theirs))
          << d->full_name() << "\nours:   " << ours << "\ntheirs: " << theirs;
      ++compared;
    }
  }
  EXPECT_GT(compared, 800);
}

TEST(JsonPrinterTest, OneFieldAloneAsARouteResponseBodyTakesIt) {
  v1::ListIssuesResponse list;
  const auto* issues = list.GetDescriptor()->FindFieldByName("issues");
  EXPECT_EQ(PrintFieldJson(list, issues), "[]");
  list.add_issues()->set_title("河");
  EXPECT_EQ(PrintFieldJson(list, issues), R"([{"title":"河"}])");
  v1::Issue issue;
  EXPECT_EQ(PrintFieldJson(issue, issue.GetDescriptor()->FindFieldByName("acceptance")), "null");
  EXPECT_EQ(PrintFieldJson(issue, issue.GetDescriptor()->FindFieldByName("title")), R"("")");
}

}  // namespace
}  // namespace rectify::gateway
