// The gateway's routing and transcoding without a network: path templates, the route table read
// from the services' annotations, requests built from paths, queries, bodies and headers, and the
// error mapping.
#include <set>

#include "common/grpc_status.h"
#include "common/status.h"
#include "gateway/fronted_services.h"
#include "gateway/routing/path_template.h"
#include "gateway/routing/route_table.h"
#include "gateway/transcode/http_response.h"
#include "gateway/transcode/request_transcoder.h"
#include "google/api/annotations.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rectify/v1/accountability.pb.h"
#include "rectify/v1/issue_registry.pb.h"
#include "rectify/v1/supervision.pb.h"

namespace rectify::gateway {
namespace {

const std::vector<std::string>& kServices = FrontedServices();

std::string Bound(const PathTemplate& t, const std::string& path) {
  auto m = t.Match(path);
  if (!m) return "(no match)";
  std::string out;
  for (const auto& b : *m) {
    if (!out.empty()) out += " ";
    std::string name;
    for (const auto& f : b.field_path) name += (name.empty() ? "" : ".") + f;
    out += name + "=" + b.value;
  }
  return out;
}

TEST(PathTemplateTest, MatchesAndMisses) {
  struct Case {
    std::string tmpl, path, expected;
  };
  std::vector<Case> cases = {
      {"/v1/issues/{id}", "/v1/issues/12", "id=12"},
      {"/v1/issues/{id}", "/v1/issues/12/history", "(no match)"},
      {"/v1/issues/{id}", "/v1/issues/", "(no match)"},
      {"/v1/issues/{id}", "/v1/issues", "(no match)"},
      {"/v1/issues/{id}:assign", "/v1/issues/12:assign", "id=12"},
      {"/v1/issues/{id}:assign", "/v1/issues/12:close", "(no match)"},
      {"/v1/issues/{id}:assign", "/v1/issues/12", "(no match)"},
      {"/v1/issues/{issue.id}", "/v1/issues/7", "issue.id=7"},
      {"/v1/orgs/{org.id}", "/v1/orgs/hlj%2Dwater", "org.id=hlj-water"},
      {"/v1/orgs/{org.id}", "/v1/orgs/%E6%B0%B4%E5%88%A9%E5%8E%85", "org.id=水利厅"},
      {"/v1/orgs/{org.id}", "/v1/orgs/a%2Fb", "org.id=a/b"},
      {"/v1/{name=files/**}", "/v1/files/a/b%2Fc/d", "name=files/a/b%2Fc/d"},
      {"/v1/{name=files/*}/meta", "/v1/files/x/meta", "name=files/x"},
      {"/v1/{name=files/*}/meta", "/v1/files/x/y/meta", "(no match)"},
      {"/v1/*/issues", "/v1/anything/issues", ""},
      {"/v1/issues", "/v1/issues", ""},
      {"/v1/issues", "/v1/Issues", "(no match)"},
      {"/v1/issues/{id}", "/v1/issues/%zz", "(no match)"},
  };
  for (const auto& c : cases) {
    auto t = PathTemplate::Parse(c.tmpl);
    ASSERT_TRUE(t.ok()) << c.tmpl << ": " << t.status();
    EXPECT_EQ(Bound(*t, c.path), c.expected) << c.tmpl << " vs " << c.path;
  }
}

TEST(PathTemplateTest, RefusesMalformedTemplates) {
  for (const char* bad : {"", "v1/issues", "/v1//x", "/v1/{id", "/v1/{1d}", "/v1/{a.}", "/v1/**/x",
                          "/v1/x:", "/v1/{id=}", "/v1/{id}}",
                          // Found by fuzzing: a verb with ':' could never match (a path's verb is
                          // what follows its last ':'), and a field bound twice kept the last.
                          "/v1/cas=s:stes:stats", "/v1/issues/{id}/history/{id}"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

TEST(RouteTableTest, EveryAnnotatedMethodIsRoutedAndFoundByItsOwnTemplate) {
  auto table = RouteTable::FromServices(kServices);
  ASSERT_TRUE(table.ok()) << table.status();
  std::set<std::string> routed;
  for (const auto& r : table->routes()) routed.insert(r.method->full_name());
  int annotated = 0;
  for (const auto& name : kServices) {
    const auto* s = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    for (int i = 0; i < s->method_count(); ++i) {
      const auto* m = s->method(i);
      if (!m->options().HasExtension(google::api::http)) continue;
      ++annotated;
      EXPECT_TRUE(routed.count(m->full_name())) << m->full_name();
    }
  }
  EXPECT_GT(annotated, 60);
  // Each route, with its variables filled, finds itself (no template shadows another).
  for (const auto& r : table->routes()) {
    std::string path = r.path.text();
    for (const auto& v : r.path.Variables()) {
      size_t at = path.find("{" + v);
      size_t end = path.find('}', at);
      path.replace(at, end - at + 1, "7");
    }
    auto found = table->Find(r.http_method, path);
    ASSERT_TRUE(found.ok()) << r.http_method << " " << path << ": " << found.status();
    EXPECT_EQ(found->route->method->full_name(), r.method->full_name()) << path;
  }
}

TEST(RouteTableTest, NamesTheMethodsAllowedAndMisses) {
  auto table = RouteTable::FromServices(kServices);
  ASSERT_TRUE(table.ok());
  auto found = table->Find("GET", "/v1/issues/12");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->route->method->name(), "GetIssue");
  found = table->Find("POST", "/v1/issues/12:assign");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->route->method->name(), "AssignIssue");
  EXPECT_EQ(table->Find("DELETE", "/v1/issues/12").status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto allowed = table->AllowedMethods("/v1/issues/12");
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "GET"), allowed.end());
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "PATCH"), allowed.end());
  EXPECT_EQ(table->Find("GET", "/v1/nothing/here").status().code(), absl::StatusCode::kNotFound);
}

class TranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = RouteTable::FromServices(kServices);
    ASSERT_TRUE(t.ok());
    table_ = std::make_unique<RouteTable>(*std::move(t));
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Build(const std::string& method,
                                                                   const std::string& path,
                                                                   HttpRequestParts parts = {}) {
    auto found = table_->Find(method, path);
    if (!found.ok()) return absl::InternalError(absl::StrCat("no route for ", path));
    return RequestTranscoder::Build(*found, parts);
  }
  std::unique_ptr<RouteTable> table_;
};

TEST_F(TranscoderTest, QueryParametersFillFieldsByTheirTypes) {
  HttpRequestParts parts;
  parts.query = "pageSize=20&filter=state%20%3D%20ASSIGNED&order_by=deadline+desc";
  auto m = Build("GET", "/v1/issues", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& list = dynamic_cast<const v1::ListIssuesRequest&>(**m);
  EXPECT_EQ(list.page_size(), 20);
  EXPECT_EQ(list.filter(), "state = ASSIGNED");
  EXPECT_EQ(list.order_by(), "deadline desc");
}

TEST_F(TranscoderTest, UnknownQueryParametersAreNamed) {
  HttpRequestParts parts;
  parts.query = "pageSize=20&colour=red&page_size.x=1";
  auto m = Build("GET", "/v1/issues", parts);
  ASSERT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolations(m.status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "colour");
  EXPECT_EQ(violations[1].field, "page_size.x");
}

TEST_F(TranscoderTest, BodiesFillTheWholeRequestOrOneFieldAndThePathWins) {
  HttpRequestParts parts;
  parts.body = R"({"title": "黑臭水体", "regionCode": "230102", "id": "99"})";
  auto m = Build("PATCH", "/v1/issues/12", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& update = dynamic_cast<const v1::UpdateIssueRequest&>(**m);
  EXPECT_EQ(update.issue().id(), 12) << "the path names the issue";
  EXPECT_EQ(update.issue().title(), "黑臭水体");
  EXPECT_EQ(update.issue().region_code(), "230102");

  parts.body = R"({"title": "x", "colour": "red"})";
  m = Build("PATCH", "/v1/issues/12", parts);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("colour"), std::string::npos) << m.status();

  parts.body = "{not json";
  m = Build("PATCH", "/v1/issues/12", parts);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  parts.body = R"({"pageSize": "many"})";
  EXPECT_EQ(Build("GET", "/v1/issues", parts).status().code(), absl::StatusCode::kInvalidArgument)
      << "a GET takes no body";
}

TEST_F(TranscoderTest, HeadersStandForRequestIdAndEtag) {
  HttpRequestParts parts;
  parts.body = R"({"leadOrgId": "hlj-water"})";
  parts.idempotency_key = "k-1";
  parts.if_match = "W/\"v3\"";
  auto m = Build("POST", "/v1/issues/12:assign", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& assign = dynamic_cast<const v1::AssignIssueRequest&>(**m);
  EXPECT_EQ(assign.id(), 12);
  EXPECT_EQ(assign.request_id(), "k-1");
  EXPECT_EQ(assign.etag(), "v3");
  parts.body = R"({"requestId": "k-2"})";
  EXPECT_EQ(Build("POST", "/v1/issues/12:assign", parts).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "the body and the header disagree";
}

TEST_F(TranscoderTest, PathValuesAreCheckedByType) {
  EXPECT_EQ(Build("GET", "/v1/issues/twelve").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/issues/99999999999999999999").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, EnumsByNameOrNumberAndRepeatedByRepetition) {
  HttpRequestParts parts;
  parts.query = "kind=DEPARTMENT";
  auto m = Build("GET", "/v1/orgs", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(dynamic_cast<const v1::ListOrgsRequest&>(**m).kind(), v1::Org::DEPARTMENT);
  parts.query = "kind=3";
  m = Build("GET", "/v1/orgs", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(dynamic_cast<const v1::ListOrgsRequest&>(**m).kind(), v1::Org::GOVERNMENT);
  parts.query = "kind=PURPLE";
  EXPECT_EQ(Build("GET", "/v1/orgs", parts).status().code(), absl::StatusCode::kInvalidArgument);

  parts.query = "types=issue.created&types=issue.assigned&afterCursor=9007199254740993";
  m = Build("GET", "/v1/issues:watchEvents", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& watch = dynamic_cast<const v1::WatchEventsRequest&>(**m);
  ASSERT_EQ(watch.types_size(), 2);
  EXPECT_EQ(watch.types(1), "issue.assigned");
  EXPECT_EQ(watch.after_cursor(), 9007199254740993) << "64-bit, beyond a double's precision";
}

TEST_F(TranscoderTest, TheBodysOtherNameForAPathFieldGivesWayToThePath) {
  // The path binds issue.id: a body naming the issue's id yields to it.
  HttpRequestParts parts;
  parts.body = R"({"id": "99", "regionCode": "230102"})";
  auto m = Build("PATCH", "/v1/issues/12", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(dynamic_cast<const v1::UpdateIssueRequest&>(**m).issue().id(), 12);
  EXPECT_EQ(dynamic_cast<const v1::UpdateIssueRequest&>(**m).issue().region_code(), "230102");
  // A top-level body ("*") that uses the lowerCamelCase name of a path field (issueId).
  parts.body = R"({"issueId": "99"})";
  m = Build("POST", "/v1/issues/12/extensions", parts);
  ASSERT_TRUE(m.ok()) << m.status();
  const auto* request = (*m).get();
  const auto* f = request->GetDescriptor()->FindFieldByName("issue_id");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(request->GetReflection()->GetInt64(*request, f), 12);
}

TEST_F(TranscoderTest, TextThatIsNotUtf8AndJsonNestedTooDeepAreRefused) {
  HttpRequestParts parts;
  parts.query = "filter=%FF";
  auto m = Build("GET", "/v1/issues", parts);
  ASSERT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations(m.status())[0].field, "filter");
  parts.query = "%FF=1";
  EXPECT_EQ(Build("GET", "/v1/issues", parts).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("PUT", "/v1/orgs/%FF").status().code(), absl::StatusCode::kInvalidArgument);
  HttpRequestParts body;
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  body.body = deep;
  m = Build("PATCH", "/v1/issues/12", body);
  ASSERT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("deeper"), std::string::npos) << m.status();
  std::string not_utf8 = std::string(R"({"title": ")") + "\xFF\xFE" + "\"}";
  body.body = not_utf8;
  EXPECT_EQ(Build("PATCH", "/v1/issues/12", body).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Brackets inside strings are text, not nesting.
  std::string brackets = R"({"title": ")" + std::string(100, '[') + R"("})";
  body.body = brackets;
  EXPECT_TRUE(Build("PATCH", "/v1/issues/12", body).ok());
}

TEST_F(TranscoderTest, ConditionalAndIdempotentHeadersARouteCannotHonourAreRefused) {
  HttpRequestParts parts;
  parts.if_match = "\"v3\"";
  // A read is idempotent anyway; a change that takes no etag refuses the condition.
  EXPECT_TRUE(Build("GET", "/v1/issues/12", parts).ok());
  parts.if_match = "\"v1\", \"v2\"";
  EXPECT_EQ(Build("POST", "/v1/issues/12:assign", parts).status().code(),
            absl::StatusCode::kInvalidArgument);
  parts.if_match = "*";
  EXPECT_TRUE(Build("POST", "/v1/issues/12:assign", parts).ok());
}

TEST(ErrorMappingTest, EveryCodeHasItsHttpStatusAndAnAip193Body) {
  struct Row {
    grpc::StatusCode code;
    int http;
    const char* name;
  };
  std::vector<Row> rows = {
      {grpc::StatusCode::OK, 200, "OK"},
      {grpc::StatusCode::CANCELLED, 499, "CANCELLED"},
      {grpc::StatusCode::UNKNOWN, 500, "UNKNOWN"},
      {grpc::StatusCode::INVALID_ARGUMENT, 400, "INVALID_ARGUMENT"},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504, "DEADLINE_EXCEEDED"},
      {grpc::StatusCode::NOT_FOUND, 404, "NOT_FOUND"},
      {grpc::StatusCode::ALREADY_EXISTS, 409, "ALREADY_EXISTS"},
      {grpc::StatusCode::PERMISSION_DENIED, 403, "PERMISSION_DENIED"},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429, "RESOURCE_EXHAUSTED"},
      {grpc::StatusCode::FAILED_PRECONDITION, 400, "FAILED_PRECONDITION"},
      {grpc::StatusCode::ABORTED, 409, "ABORTED"},
      {grpc::StatusCode::OUT_OF_RANGE, 400, "OUT_OF_RANGE"},
      {grpc::StatusCode::UNIMPLEMENTED, 501, "UNIMPLEMENTED"},
      {grpc::StatusCode::INTERNAL, 500, "INTERNAL"},
      {grpc::StatusCode::UNAVAILABLE, 503, "UNAVAILABLE"},
      {grpc::StatusCode::DATA_LOSS, 500, "DATA_LOSS"},
      {grpc::StatusCode::UNAUTHENTICATED, 401, "UNAUTHENTICATED"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(HttpStatusOf(r.code), r.http) << r.name;
    EXPECT_EQ(CodeName(r.code), r.name);
    if (r.code == grpc::StatusCode::OK) continue;
    auto body = nlohmann::json::parse(ErrorJson(grpc::Status(r.code, "why")));
    EXPECT_EQ(body["error"]["code"], r.http);
    EXPECT_EQ(body["error"]["status"], r.name);
    EXPECT_EQ(body["error"]["message"], "why");
  }
  // A status of its own (405) is the body's code too.
  auto body =
      nlohmann::json::parse(ErrorJson(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "x"), 405));
  EXPECT_EQ(body["error"]["code"], 405);
  // The details the service attached come out decoded.
  body = nlohmann::json::parse(
      ErrorJson(ToGrpcStatus(InvalidField("issue.deadline", "is not a date"))));
  bool violation = false, info = false;
  for (const auto& d : body["error"]["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      violation = d["fieldViolations"][0]["field"] == "issue.deadline";
    }
    if (d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo") info = d["domain"] == "rectify";
  }
  EXPECT_TRUE(violation) << body.dump();
  EXPECT_TRUE(info) << body.dump();
}

}  // namespace
}  // namespace rectify::gateway
