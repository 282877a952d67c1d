// What the gateway carries beyond unary JSON: files both ways (streamed, raw and multipart, a size
// limit answered 413), the merged event feed of all three services, its OpenAPI document and the
// portal's static files.
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "tests/gateway/gateway_fixture.h"

namespace rectify::testing {
namespace {

class GatewayTransferTest : public GatewayTest {
 protected:
  gateway::HttpLimits Limits() override {
    gateway::HttpLimits l = GatewayTest::Limits();
    l.streamed_body_bytes = size_t{24} << 20;
    return l;
  }
  int64_t MaxEvidenceBytes() override { return int64_t{32} << 20; }
  gateway::GatewayOptions Options() override {
    web_root_ = std::filesystem::path(::testing::TempDir()) /
                absl::StrCat("web-", ::testing::UnitTest::GetInstance()->random_seed(), "-",
                             reinterpret_cast<uintptr_t>(this));
    std::filesystem::create_directories(web_root_ / "assets");
    std::ofstream(web_root_ / "index.html") << "<!doctype html><title>整改</title>";
    std::ofstream(web_root_ / "assets" / "app-3f2a.js") << "console.log('ok')";
    gateway::GatewayOptions o;
    o.web_root = web_root_.string();
    return o;
  }
  void TearDown() override { std::filesystem::remove_all(web_root_); }

  // An issue the office may add evidence to: assigned and acknowledged.
  std::string AssignedIssue() {
    json created = CreateIssue();
    std::string id = created["id"].get<std::string>();
    json assign = {{"leadOrgId", "hlj-water"},      {"responsibleOrgIds", {"hlj-water"}},
                   {"acceptanceOrgId", "hlj-deee"}, {"jointReviewerOrgIds", {"hlj-housing"}},
                   {"deadline", "2027-06-30"},      {"rectificationClass", "TIME_LIMITED"}};
    auto assigned = Call("POST", "/v1/issues/" + id + ":assign", assign.dump());
    EXPECT_EQ(assigned.status, 200u) << assigned.body;
    return id;
  }

  std::filesystem::path web_root_;
};

std::string Png(size_t size) {
  std::string content = "\x89PNG\r\n\x1A\n";
  std::mt19937_64 random(42);
  while (content.size() < size) content.push_back(static_cast<char>(random()));
  content.resize(size);
  return content;
}

TEST_F(GatewayTransferTest, A20MiBUploadAndDownloadRoundTripWithTheirDigest) {
  std::string issue = AssignedIssue();
  std::string content = Png(20 << 20);
  std::string digest = crypto::ToHex(crypto::Sha256(content));
  std::string target = "/v1/issues/" + issue +
                       "/evidence?metadata.kind=PHOTO_AFTER&metadata.description="
                       "%E6%95%B4%E6%94%B9%E5%90%8E";
  std::map<std::string, std::string> headers = {
      {"Content-Type", "image/png"},
      {"Content-Disposition", "attachment; filename*=UTF-8''%E5%A0%A4%E5%B2%B8.png"},
      {"Idempotency-Key", "upload-1"}};
  auto up = Call("POST", target, content, headers);
  ASSERT_EQ(up.status, 200u) << up.body.substr(0, 500);
  json evidence = json::parse(up.body);
  EXPECT_EQ(evidence["fileName"], "堤岸.png");
  EXPECT_EQ(evidence["mediaType"], "image/png");
  EXPECT_EQ(evidence["sizeBytes"], std::to_string(content.size()));
  EXPECT_EQ(evidence["sha256"], digest);
  EXPECT_EQ(evidence["description"], "整改后");

  std::string id = evidence["id"].get<std::string>();
  auto down = Call("GET", "/v1/issues/" + issue + "/evidence/" + id + ":download");
  ASSERT_EQ(down.status, 200u) << down.body.substr(0, 300);
  EXPECT_EQ(down.Header("Content-Type"), "image/png");
  EXPECT_EQ(down.Header("Content-Length"), std::to_string(content.size())) << [&] {
    std::string all;
    for (auto& [k, v] : down.headers) all += k + ": " + v + "\n";
    return all;
  }();
  EXPECT_EQ(down.Header("Content-Disposition"),
            "attachment; filename=\"______.png\"; filename*=UTF-8''%E5%A0%A4%E5%B2%B8.png");
  EXPECT_EQ(down.Header("Repr-Digest"),
            absl::StrCat("sha-256=:", absl::Base64Escape(crypto::Sha256(content)), ":"));
  EXPECT_EQ(crypto::ToHex(crypto::Sha256(down.body)), digest) << "the same bytes came back";

  // The same Idempotency-Key answers the first upload, not a second file.
  auto again = Call("POST", target, content, headers);
  ASSERT_EQ(again.status, 200u) << again.body.substr(0, 300);
  EXPECT_EQ(json::parse(again.body)["id"], evidence["id"]);
  auto listed = json::parse(Call("GET", "/v1/issues/" + issue + "/evidence").body);
  EXPECT_EQ(listed["evidence"].size(), 1u) << listed.dump();
}

TEST_F(GatewayTransferTest, AMultipartFormUploadsItsFileWithItsFields) {
  std::string issue = AssignedIssue();
  std::string pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  std::string boundary = "----rectify7MA4YWxkTrZu0gW";
  std::string body = absl::StrCat(
      "--", boundary,
      "\r\nContent-Disposition: form-data; name=\"metadata.kind\"\r\n\r\nDOCUMENT\r\n", "--",
      boundary,
      "\r\nContent-Disposition: form-data; name=\"metadata.description\"\r\n\r\n验收报告\r\n", "--",
      boundary,
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"; "
      "filename*=UTF-8''%E9%AA%8C%E6%94%B6%E6%8A%A5%E5%91%8A.pdf\r\n"
      "Content-Type: application/pdf\r\n\r\n",
      pdf, "\r\n--", boundary, "--\r\n");
  auto up = Call("POST", "/v1/issues/" + issue + "/evidence", body,
                 {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  ASSERT_EQ(up.status, 200u) << up.body;
  json evidence = json::parse(up.body);
  EXPECT_EQ(evidence["fileName"], "验收报告.pdf");
  EXPECT_EQ(evidence["kind"], "DOCUMENT");
  EXPECT_EQ(evidence["description"], "验收报告");
  EXPECT_EQ(evidence["sha256"], crypto::ToHex(crypto::Sha256(pdf)));

  // Small forms arrive in one piece with the body's end: the last message must be queued before
  // a write completing meanwhile can take the upload for done (a race once seen in CI).
  for (int i = 0; i < 20; ++i) {
    std::string small = absl::StrCat(
        "--", boundary,
        "\r\nContent-Disposition: form-data; name=\"metadata.kind\"\r\n\r\nDOCUMENT\r\n", "--",
        boundary, "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.pdf\"\r\n",
        "Content-Type: application/octet-stream\r\n\r\n", pdf, i, "\r\n--", boundary, "--\r\n");
    auto r = Call("POST", "/v1/issues/" + issue + "/evidence", small,
                  {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    ASSERT_EQ(r.status, 200u) << i << ": " << r.body;
  }

  // A field after the file, two files, no file, a broken form: each a 400 naming it.
  std::string late = absl::StrCat(
      "--", boundary,
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n", pdf,
      "\r\n--", boundary,
      "\r\nContent-Disposition: form-data; name=\"metadata.kind\"\r\n\r\nDOCUMENT\r\n--", boundary,
      "--\r\n");
  std::string no_file = absl::StrCat(
      "--", boundary,
      "\r\nContent-Disposition: form-data; name=\"metadata.kind\"\r\n\r\nDOCUMENT\r\n--", boundary,
      "--\r\n");
  std::string unterminated = absl::StrCat(
      "--", boundary,
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n", pdf);
  for (const auto& [what, form] :
       std::vector<std::pair<std::string, std::string>>{{"comes after the file", late},
                                                        {"has no file part", no_file},
                                                        {"closing delimiter", unterminated}}) {
    auto r = Call("POST", "/v1/issues/" + issue + "/evidence", form,
                  {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    EXPECT_EQ(r.status, 400u) << what << ": " << r.body;
    EXPECT_NE(r.body.find(what), std::string::npos) << r.body;
  }
  // The service's own refusal comes through: a file the dossier does not take.
  auto refused = Call("POST", "/v1/issues/" + issue + "/evidence?metadata.kind=DOCUMENT",
                      "MZ\x90\x00 not a document",
                      {{"Content-Type", "application/octet-stream"},
                       {"Content-Disposition", "attachment; filename=\"x.exe\""}});
  EXPECT_EQ(refused.status, 400u) << refused.body;
  EXPECT_NE(refused.body.find("chunk"), std::string::npos) << refused.body;
  auto listed = json::parse(Call("GET", "/v1/issues/" + issue + "/evidence").body);
  EXPECT_EQ(listed["evidence"].size(), 21u) << "nothing half-stored: " << listed.dump();
}

TEST_F(GatewayTransferTest, AnUploadOverTheLimitIs413AndTheGatewayKeepsServing) {
  std::string issue = AssignedIssue();
  std::string content = Png((24 << 20) + 1);
  // Declared too large: refused before a byte of the body is read.
  auto declared = Call(
      "POST", "/v1/issues/" + issue + "/evidence?metadata.kind=PHOTO_AFTER", content,
      {{"Content-Type", "image/png"}, {"Content-Disposition", "attachment; filename=\"big.png\""}});
  EXPECT_EQ(declared.status, 413u) << declared.body;
  // Chunked, so that only the reading finds it out: 413 too, and the service stored nothing.
  HttpClient raw(g_->port());
  std::string head = absl::StrCat(
      "POST /v1/issues/", issue, "/evidence?metadata.kind=PHOTO_AFTER HTTP/1.1\r\nHost: x\r\n",
      "Authorization: ", office_,
      "\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"big.png\"\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  std::string chunked = head;
  for (size_t at = 0; at < content.size(); at += 1 << 20) {
    std::string piece = content.substr(at, 1 << 20);
    absl::StrAppend(&chunked, absl::Hex(piece.size()), "\r\n", piece, "\r\n");
  }
  chunked += "0\r\n\r\n";
  std::string answer = raw.Raw(chunked);
  EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << answer.substr(0, 300);
  auto listed = json::parse(Call("GET", "/v1/issues/" + issue + "/evidence").body);
  EXPECT_TRUE(listed["evidence"].empty()) << listed.dump();
  EXPECT_EQ(Call("GET", "/healthz").status, 200u);
}

TEST_F(GatewayTransferTest, TheMergedFeedCarriesEveryServiceAndResumesFromItsId) {
  std::string auth = "Authorization: " + office_ + "\r\n";
  CreateIssue();
  CreateIssue();
  std::string first = ReadEvents(g_->port(), "/v1/events", auth, 2);
  ASSERT_NE(first.find("HTTP/1.1 200"), std::string::npos) << first.substr(0, 300);
  EXPECT_NE(first.find("\"service\":\"issues\""), std::string::npos) << first;
  // The first event's id names every service's cursor.
  size_t at = first.find("\nid: ");
  ASSERT_NE(at, std::string::npos);
  std::string id = first.substr(at + 5, first.find('\n', at + 5) - at - 5);
  EXPECT_NE(id.find("issues="), std::string::npos) << id;
  EXPECT_NE(id.find("supervision="), std::string::npos) << id;
  EXPECT_NE(id.find("cases="), std::string::npos) << id;
  // Resumed from it: each service's stream goes on after its cursor in the id (the services'
  // events interleave as they arrive), so the second event comes again and the first does not.
  auto data_of = [&](size_t id_at) {
    size_t d = first.find("\ndata: ", id_at);
    return first.substr(d, first.find('\n', d + 1) - d);
  };
  size_t second_at = first.find("\nid: ", at + 1);
  ASSERT_NE(second_at, std::string::npos);
  RawConnection again(g_->port());
  again.Send("GET /v1/events HTTP/1.1\r\nHost: x\r\n" + auth + "Last-Event-ID: " + id + "\r\n\r\n");
  std::string resumed;
  EXPECT_TRUE(again.ReadUntil(data_of(second_at), resumed)) << resumed;
  EXPECT_EQ(resumed.find(data_of(at)), std::string::npos) << resumed;
  // Not a feed's id; no token.
  EXPECT_NE(
      ReadEvents(g_->port(), "/v1/events", auth + "Last-Event-ID: 12\r\n", 0).find("HTTP/1.1 400"),
      std::string::npos);
  EXPECT_NE(ReadEvents(g_->port(), "/v1/events", "", 0).find("HTTP/1.1 401"), std::string::npos);

  // A service that goes away is announced, and the feed goes on with the others.
  std::string after = "Last-Event-ID: " + id + "\r\n";
  RawConnection stream(g_->port());
  stream.Send("GET /v1/events HTTP/1.1\r\nHost: x\r\n" + auth + after + "\r\n");
  std::string seen;
  auto read_until = [&](const std::string& what) { return stream.ReadUntil(what, seen); };
  ASSERT_TRUE(read_until(": open")) << seen;
  a_.reset();
  EXPECT_TRUE(read_until("event: unavailable\ndata: {\"error\"")) << seen;
  EXPECT_NE(seen.find("\"service\":\"cases\""), std::string::npos) << seen;
  CreateIssue();
  EXPECT_TRUE(read_until("event: issue.created")) << seen;
}

TEST_F(GatewayTransferTest, TheMergedFeedFromNowSkipsThePastAndGivesAnIdToResumeFrom) {
  std::string auth = "Authorization: " + office_ + "\r\n";
  CreateIssue();
  CreateIssue();
  RawConnection stream(g_->port());
  stream.Send("GET /v1/events?from=now HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
  std::string seen;
  // Each service says where it starts: an id alone, no event. The issues' part starts after
  // the two creations.
  ASSERT_TRUE(stream.ReadUntil("issues=2,", seen)) << seen;
  ASSERT_TRUE(stream.ReadUntil("cases=", seen)) << seen;
  EXPECT_EQ(seen.find("event: issue.created"), std::string::npos)
      << "the past is skipped: " << seen;
  EXPECT_EQ(seen.find("data: "), std::string::npos) << seen;
  std::string third = CreateIssue()["id"].get<std::string>();
  ASSERT_TRUE(stream.ReadUntil("event: issue.created", seen)) << seen;
  EXPECT_TRUE(stream.ReadUntil("\"resource\":\"issues/" + third + "\"", seen)) << seen;
  // Resuming wins over from=now: the last id given continues where it was (the issues' part
  // from its second event; the other services' parts, from their start, may come first).
  RawConnection resumed(g_->port());
  resumed.Send("GET /v1/events?from=now HTTP/1.1\r\nHost: x\r\n" + auth +
               "Last-Event-ID: issues=1\r\n\r\n");
  std::string again;
  EXPECT_TRUE(resumed.ReadUntil("\"resource\":\"issues/2\"", again)) << again;
  EXPECT_NE(ReadEvents(g_->port(), "/v1/events?from=yesterday", auth, 0).find("HTTP/1.1 400"),
            std::string::npos);
}

TEST_F(GatewayTransferTest, TheDossierGathersEveryServiceAndNamesWhatIsLeftOut) {
  std::string issue = AssignedIssue();
  std::string pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  ASSERT_EQ(Call("POST", "/v1/issues/" + issue + "/evidence?metadata.kind=DOCUMENT", pdf,
                 {{"Content-Type", "application/pdf"},
                  {"Content-Disposition", "attachment; filename=\"plan.pdf\""}})
                .status,
            200u);
  auto got = Call("GET", "/v1/issues/" + issue + ":dossier");
  ASSERT_EQ(got.status, 200u) << got.body;
  json d = json::parse(got.body);
  EXPECT_EQ(d["issue"]["id"], issue);
  EXPECT_EQ(d["issue"]["state"], "ASSIGNED");
  EXPECT_GE(d["history"]["records"].size(), 2u) << "created and assigned";
  EXPECT_EQ(d["verification"]["ok"], true) << d["verification"].dump();
  ASSERT_EQ(d["evidence"]["evidence"].size(), 1u);
  EXPECT_EQ(d["evidence"]["evidence"][0]["fileName"], "plan.pdf");
  for (const char* part : {"progressReports", "extensions", "objections", "escalations", "cases"}) {
    EXPECT_TRUE(d.contains(part)) << part << " in " << got.body.substr(0, 300);
  }
  EXPECT_TRUE(d.contains("supervision")) << "a record, or null before supervision has it";
  EXPECT_EQ(d["withheld"], json::array());
  EXPECT_EQ(d["unavailable"], json::array());

  // The issue's own refusal is the answer, for a caller it hides from and for a missing one.
  std::string outsider = "Bearer " + h_->Token(Role::kDepartment, "hlj-forest");
  auto direct = Call("GET", "/v1/issues/" + issue, "", {{"Authorization", outsider}});
  auto hidden = Call("GET", "/v1/issues/" + issue + ":dossier", "", {{"Authorization", outsider}});
  EXPECT_NE(hidden.status, 200u);
  EXPECT_EQ(hidden.status, direct.status) << hidden.body;
  EXPECT_EQ(Call("GET", "/v1/issues/999999:dossier").status, 404u);
  EXPECT_EQ(Call("GET", "/v1/issues/abc:dossier").status, 400u);
  EXPECT_EQ(Call("POST", "/v1/issues/" + issue + ":dossier", "{}").status, 405u);

  // Accountability gone: the dossier still comes, naming what it lacks.
  a_.reset();
  got = Call("GET", "/v1/issues/" + issue + ":dossier");
  ASSERT_EQ(got.status, 200u) << got.body;
  d = json::parse(got.body);
  EXPECT_EQ(d["unavailable"], json::array({"cases"}));
  EXPECT_FALSE(d.contains("cases"));
  EXPECT_EQ(d["issue"]["id"], issue);
}

TEST_F(GatewayTransferTest, TheBoardGathersTheMapAndTheStatisticsOfOneScope) {
  AssignedIssue();
  auto board = Call("GET", "/v1/board");
  ASSERT_EQ(board.status, 200u) << board.body;
  json b = json::parse(board.body);
  EXPECT_TRUE(b.contains("ledger") && b.contains("map") && b.contains("accountability"))
      << board.body.substr(0, 400);
  EXPECT_EQ(b["unavailable"], json::array());
  auto city = Call("GET", "/v1/board?regionCode=230100");
  EXPECT_EQ(city.status, 200u) << city.body;
  EXPECT_EQ(Call("GET", "/v1/board?colour=red").status, 400u);
  EXPECT_EQ(Call("GET", "/v1/board", "", {{"Authorization", ""}}).status, 401u);
}

// The public portal's callers: no token, the public role's view, a bucket per address.
class GatewayPublicTest : public GatewayTest {
 protected:
  gateway::GatewayOptions Options() override {
    gateway::GatewayOptions o;
    o.public_token = h_ != nullptr ? h_->Token(Role::kPublic, "") : "";
    o.public_rate = {/*per_second=*/0.5, /*burst=*/4, /*max_clients=*/1000};
    o.public_body_bytes = 1024;
    o.dev_signing_key = kTestJwtSecret;
    return o;
  }
};

TEST_F(GatewayPublicTest, WithoutATokenThePublicSeesItsOwnViewWithinItsRate) {
  CreateIssue();  // new, so not for the public's eyes
  std::map<std::string, std::string> none = {{"Authorization", ""}};
  auto listed = Call("GET", "/v1/issues", "", none);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_FALSE(json::parse(listed.body).contains("issues")) << "nothing in public notice yet";
  auto office = Call("GET", "/v1/issues");
  EXPECT_TRUE(json::parse(office.body).contains("issues")) << "the office sees it";
  // The public may not do what the office does, whatever it sends.
  auto create = Call("POST", "/v1/issues", R"({"title": "x"})", none);
  EXPECT_EQ(create.status, 403u) << create.body;
  auto big = Call("POST", "/v1/issues/1/objections", std::string(2048, ' '), none);
  EXPECT_EQ(big.status, 413u) << big.body;
  // Four in the burst are spent (listed, create, big, and this one); the next waits.
  Call("GET", "/v1/regions", "", none);
  auto limited = Call("GET", "/v1/regions", "", none);
  EXPECT_EQ(limited.status, 429u) << limited.body;
  EXPECT_EQ(limited.Header("Retry-After"), "2");
  EXPECT_EQ(json::parse(limited.body)["error"]["status"], "RESOURCE_EXHAUSTED");
  // Callers with a token are theirs, not the bucket's.
  EXPECT_EQ(Call("GET", "/v1/regions").status, 200u);
  EXPECT_EQ(Call("GET", "/healthz", "", none).status, 200u);
}

TEST_F(GatewayPublicTest, DevelopmentSignInMintsATokenTheServicesTake) {
  std::map<std::string, std::string> none = {{"Authorization", ""}};
  auto signed_in = Call("POST", "/v1/dev:signIn",
                        R"({"role": "county", "org": "gov-230102", "region": "230102"})", none);
  ASSERT_EQ(signed_in.status, 200u) << signed_in.body;
  std::string token = json::parse(signed_in.body)["token"];
  auto listed = Call("GET", "/v1/issues", "", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(listed.status, 200u) << listed.body;
  for (const char* bad : {R"({"role": "service", "org": "x"})", R"({"role": "office"})",
                          R"({"role": "city", "org": "gov-230100", "region": "23"})", "[]"}) {
    EXPECT_EQ(Call("POST", "/v1/dev:signIn", bad, none).status, 400u) << bad;
  }
  EXPECT_EQ(Call("GET", "/v1/dev:signIn", "", none).status, 405u);
}

TEST_F(GatewayTransferTest, WithoutTheDevelopmentKeyThereIsNoSignIn) {
  EXPECT_EQ(Call("POST", "/v1/dev:signIn", R"({"role": "office", "org": "hlj-office"})").status,
            404u);
}

TEST_F(GatewayTransferTest, TheOpenApiDocumentDescribesEveryRoute) {
  auto r = Call("GET", "/openapi.json", "", {{"Authorization", ""}});
  ASSERT_EQ(r.status, 200u);
  json doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const auto& route : g_->server->routes().routes()) {
    std::string path = route.path.text();
    size_t eq;
    while ((eq = path.find('=')) != std::string::npos) path.erase(eq, path.find('}', eq) - eq);
    std::string method = absl::AsciiStrToLower(route.http_method);
    EXPECT_TRUE(doc["paths"].contains(path) && doc["paths"][path].contains(method))
        << route.http_method << " " << path;
  }
  // The protos' comments are the descriptions.
  const json& ack = doc["paths"]["/v1/issues/{id}:acknowledge"]["post"];
  EXPECT_NE(ack["description"].get<std::string>().find("lead org signs"), std::string::npos)
      << ack.dump();
  EXPECT_EQ(doc["components"]["schemas"]["rectify.v1.Issue"]["properties"]["id"]["type"], "string")
      << "64-bit integers are strings in protobuf's JSON";
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("bearerAuth"));
}

TEST_F(GatewayTransferTest, ThePortalsFilesAreServedSafely) {
  auto index = Call("GET", "/", "", {{"Authorization", ""}});
  ASSERT_EQ(index.status, 200u);
  EXPECT_NE(index.body.find("整改"), std::string::npos);
  EXPECT_NE(index.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  auto asset = Call("GET", "/assets/app-3f2a.js");
  EXPECT_EQ(asset.status, 200u);
  EXPECT_NE(asset.Header("Cache-Control").find("immutable"), std::string::npos);
  auto again = Call("GET", "/assets/app-3f2a.js", "", {{"If-None-Match", asset.Header("ETag")}});
  EXPECT_EQ(again.status, 304u);
  auto head = Call("HEAD", "/assets/app-3f2a.js");
  EXPECT_EQ(head.Header("Content-Length"), "17");
  EXPECT_EQ(Call("GET", "/issues/42").body, index.body) << "a client-side route";
  for (const char* escape :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2F..%2Fx", "/.git/config"}) {
    EXPECT_EQ(Call("GET", escape).status, 404u) << escape;
  }
  EXPECT_EQ(Call("GET", "/v1/nothing").status, 404u) << "the API's misses are not the portal's";
}

}  // namespace
}  // namespace rectify::testing
