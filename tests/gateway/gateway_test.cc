// The gateway over HTTP in front of the three services running in process on their test
// databases: every annotated RPC reached, JSON both ways, the headers that stand for fields,
// errors in AIP-193 form, and bad input refused with the gateway still serving.
#include <sys/resource.h>
#include <sys/socket.h>

#include <map>
#include <set>

#include "gateway/event_stream.h"
#include "gateway/file_transfer.h"
#include "tests/gateway/gateway_fixture.h"

namespace rectify::testing {
namespace {

TEST_F(GatewayTest, EveryAnnotatedRpcIsReachedOverHttp) {
  // Each route with its variables filled and an empty body: the answer must come from the
  // service that owns the method (its JSON or its refusal), never a routing miss or a crash.
  int reached = 0;
  std::set<std::string> methods;
  for (const auto& r : g_->server->routes().routes()) {
    if (gateway::IsEventStream(r)) continue;  // never ends: EventsStreamAndResume
    std::string path = r.path.text();
    for (const auto& v : r.path.Variables()) {
      size_t at = path.find("{" + v);
      path.replace(at, path.find('}', at) - at + 1, v.find("id") != std::string::npos ? "1" : "x");
    }
    HttpClient client(g_->port());
    auto answer =
        client.Send(r.http_method, path, r.body.empty() ? "" : "{}", {{"Authorization", office_}});
    SCOPED_TRACE(r.http_method + " " + path);
    ASSERT_NE(answer.status, 0u);
    if (gateway::IsFileDownload(r) && answer.status == 200u) {
      // The ledger's export: a file, named.
      EXPECT_NE(answer.Header("Content-Disposition").find("filename*=UTF-8''"), std::string::npos);
    } else {
      json body = json::parse(answer.body, nullptr, false);
      EXPECT_FALSE(body.is_discarded()) << answer.body.substr(0, 200);
    }
    EXPECT_NE(answer.status, 405u);
    EXPECT_NE(answer.status, 500u) << answer.body;
    EXPECT_NE(answer.status, 501u) << answer.body;
    EXPECT_NE(answer.status, 503u) << answer.body;
    if (answer.status == 404u) {
      // The service's own "not found" names the resource; the gateway's names the path.
      EXPECT_EQ(answer.body.find("no route"), std::string::npos) << answer.body;
    }
    EXPECT_FALSE(answer.Header("X-Request-Id").empty());
    methods.insert(r.method->full_name());
    ++reached;
  }
  EXPECT_GT(reached, 60);
  EXPECT_GT(methods.size(), 60u);
}

TEST_F(GatewayTest, JsonBothWaysWithEtagsAndIdempotencyKeys) {
  json created = CreateIssue("create-1");
  ASSERT_TRUE(created.contains("id"));
  EXPECT_EQ(created["title"], "网关测试：城区黑臭水体");
  EXPECT_TRUE(created.contains("regionCode")) << "lowerCamelCase out";
  json again = CreateIssue("create-1");
  EXPECT_EQ(again["id"], created["id"]) << "the same Idempotency-Key answers the first result";

  std::string id = created["id"].get<std::string>();
  auto got = Call("GET", "/v1/issues/" + id);
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.Header("ETag"), "\"" + created["etag"].get<std::string>() + "\"");
  EXPECT_EQ(got.Header("Content-Type"), "application/json");

  // A stale If-Match: ABORTED → 409, in AIP-193 form.
  json patch = {{"title", "改过的标题"}};
  auto stale = Call("PATCH", "/v1/issues/" + id + "?updateMask=title", patch.dump(),
                    {{"If-Match", "\"v99\""}});
  EXPECT_EQ(stale.status, 409u) << stale.body;
  json error = json::parse(stale.body)["error"];
  EXPECT_EQ(error["status"], "ABORTED");
  EXPECT_EQ(error["code"], 409);
  auto updated = Call("PATCH", "/v1/issues/" + id + "?updateMask=title", patch.dump(),
                      {{"If-Match", got.Header("ETag")}});
  EXPECT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(json::parse(updated.body)["title"], "改过的标题");

  // Query parameters: enums by name, paging.
  auto departments = Call("GET", "/v1/orgs?kind=DEPARTMENT");
  ASSERT_EQ(departments.status, 200u) << departments.body;
  auto orgs = json::parse(departments.body)["orgs"];
  ASSERT_GT(orgs.size(), 3u);
  for (const auto& o : orgs) EXPECT_EQ(o["kind"], "DEPARTMENT") << o.dump();
  auto listed = Call("GET", "/v1/issues?pageSize=1&filter=state%20%3D%20REGISTERED");
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(json::parse(listed.body)["issues"].size(), 1u);
}

TEST_F(GatewayTest, ErrorsCarryTheServicesDetails) {
  json bad = {{"title", ""}, {"regionCode", "999999"}};
  auto r = Call("POST", "/v1/issues", bad.dump());
  ASSERT_EQ(r.status, 400u) << r.body;
  json error = json::parse(r.body)["error"];
  EXPECT_EQ(error["status"], "INVALID_ARGUMENT");
  bool named = false;
  for (const auto& d : error["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      for (const auto& v : d["fieldViolations"]) named = named || v["field"] == "issue.title";
    }
  }
  EXPECT_TRUE(named) << r.body;

  auto anonymous = HttpClient(g_->port()).Send("GET", "/v1/issues");
  EXPECT_EQ(anonymous.status, 401u) << anonymous.body;
  auto forged = Call("GET", "/v1/issues", "", {{"Authorization", "Bearer not.a.token"}});
  EXPECT_EQ(forged.status, 401u) << forged.body;
  auto missing = Call("GET", "/v1/issues/987654");
  EXPECT_EQ(missing.status, 404u) << missing.body;
  EXPECT_EQ(json::parse(missing.body)["error"]["status"], "NOT_FOUND");
}

TEST_F(GatewayTest, BadInputGetsTheRight4xxAndTheGatewayKeepsServing) {
  struct Case {
    std::string what, method, target, body;
    unsigned status;
  };
  std::vector<Case> cases = {
      {"no route", "GET", "/v1/nothing", "", 404},
      {"method not allowed", "DELETE", "/v1/issues/1", "", 405},
      {"malformed JSON", "POST", "/v1/issues", "{\"issue\": ", 400},
      {"wrong type", "POST", "/v1/issues", R"({"title": 12, "measures": "x"})", 400},
      {"unknown field", "POST", "/v1/issues", R"({"colour": "red"})", 400},
      {"unknown query parameter", "GET", "/v1/issues?colour=red", "", 400},
      {"bad escape (no path matches)", "GET", "/v1/issues/%zz", "", 404},
      {"not UTF-8 in the query", "GET", "/v1/issues?filter=%FF%FE", "", 400},
      {"not UTF-8 in the path", "PUT", "/v1/orgs/%C0%AF", "{}", 400},
      {"not UTF-8 in the body", "POST", "/v1/issues", "{\"title\": \"\xFF\"}", 400},
      {"nested too deep", "POST", "/v1/issues", std::string(5000, '[') + std::string(5000, ']'),
       400},
      {"bad path value", "GET", "/v1/issues/abc", "", 400},
      {"body on a GET", "GET", "/v1/issues", "{}", 400},
      {"bad timeout", "GET", "/v1/issues", "", 400},
  };
  for (const auto& c : cases) {
    std::map<std::string, std::string> headers;
    if (c.what == "bad timeout") headers["Grpc-Timeout"] = "soon";
    auto r = Call(c.method, c.target, c.body, headers);
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.body;
    EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << c.what;
  }
  auto allowed = Call("DELETE", "/v1/issues/1");
  EXPECT_NE(allowed.Header("Allow").find("GET"), std::string::npos);
  EXPECT_EQ(json::parse(allowed.body)["error"]["code"], 405) << "the body's code is the status";

  // Oversized body and headers, raw garbage, CRLF smuggled into a header value.
  auto big = Call("POST", "/v1/issues", std::string(70 * 1024, 'x'));
  EXPECT_EQ(big.status, 413u);
  auto headers = Call("GET", "/v1/issues", "", {{"X-Padding", std::string(9 * 1024, 'a')}});
  EXPECT_EQ(headers.status, 431u);
  HttpClient raw(g_->port());
  EXPECT_NE(raw.Raw("NONSENSE\r\n\r\n").find("400"), std::string::npos);
  EXPECT_NE(raw.Raw("GET /v1/issues HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n").find(" 400 "),
            std::string::npos);
  // Still serving.
  EXPECT_EQ(Call("GET", "/healthz").status, 200u);
  EXPECT_EQ(Call("GET", "/v1/regions").status, 200u);
}

TEST_F(GatewayTest, EventsStreamAsServerSentEventsAndResumeFromLastEventId) {
  for (int i = 0; i < 3; ++i) CreateIssue();
  std::string auth = "Authorization: " + office_ + "\r\n";
  std::string all = ReadEvents(g_->port(), "/v1/issues:watchEvents", auth, 3);
  EXPECT_NE(all.find("text/event-stream"), std::string::npos) << all.substr(0, 300);
  auto ids = IdsIn(all);
  ASSERT_GE(ids.size(), 3u) << all;
  EXPECT_NE(all.find("event: issue.created"), std::string::npos);
  EXPECT_NE(all.find("\"payloadJson\""), std::string::npos);

  // Resume after the first: the next one comes first, nothing lost, nothing repeated.
  std::string rest = ReadEvents(g_->port(), "/v1/issues:watchEvents",
                                auth + "Last-Event-ID: " + std::to_string(ids[0]) + "\r\n", 2);
  auto resumed = IdsIn(rest);
  ASSERT_GE(resumed.size(), 2u) << rest;
  EXPECT_EQ(resumed[0], ids[1]);
  EXPECT_EQ(resumed[1], ids[2]);

  // Caught up, the stream is open at once and waits; refused, it is an HTTP error.
  std::string open = ReadEvents(g_->port(), "/v1/issues:watchEvents?afterCursor=999999", auth, 0);
  EXPECT_NE(open.find("HTTP/1.1 200"), std::string::npos) << open;
  std::string refused = ReadEvents(g_->port(), "/v1/issues:watchEvents", "", 0);
  EXPECT_NE(refused.find("HTTP/1.1 401"), std::string::npos) << refused;
  std::string bad =
      ReadEvents(g_->port(), "/v1/issues:watchEvents", auth + "Last-Event-ID: x\r\n", 0);
  EXPECT_NE(bad.find("HTTP/1.1 400"), std::string::npos) << bad;
  // The gateway still answers calls while streams are open elsewhere.
  EXPECT_EQ(Call("GET", "/v1/regions").status, 200u);
}

TEST_F(GatewayTest, ASlowOrIdleClientIsClosedAndHoldsNoOneElseUp) {
  gateway::HttpLimits limits;
  limits.read_timeout = absl::Seconds(1);
  limits.idle_timeout = absl::Seconds(2);
  limits.max_connections = 3;
  GatewayProcess g(addresses_, limits);
  // Half a request, never finished: closed after the read timeout.
  RawConnection slow(g.port());
  slow.Send("GET /v1/regions HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  // Meanwhile others are served.
  EXPECT_EQ(HttpClient(g.port()).Send("GET", "/healthz").status, 200u);
  absl::Time start = absl::Now();
  std::string out;
  EXPECT_TRUE(slow.ReadUntilClosed(out)) << out;
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // At the cap, one more connection is closed at once; the open ones keep working.
  HttpClient a(g.port()), b(g.port());
  ASSERT_EQ(a.Send("GET", "/healthz").status, 200u);
  ASSERT_EQ(b.Send("GET", "/healthz").status, 200u);
  RawConnection c(g.port());
  ASSERT_EQ(HttpClient(g.port()).Send("GET", "/healthz").status, 0u) << "over the cap";
  EXPECT_EQ(a.Send("GET", "/healthz").status, 200u);
}

TEST_F(GatewayTest, TwoThousandIdleKeptAliveConnectionsHoldNoOneUp) {
  // Each connection is a socket here and one in the gateway: make room for both.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < 4500) GTEST_SKIP() << "open files are limited to " << files.rlim_cur;

  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> idle;
  const std::string ping = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  auto answered = [&](boost::asio::ip::tcp::socket& socket) {
    boost::asio::write(socket, boost::asio::buffer(ping));
    boost::beast::flat_buffer buffer;
    boost::beast::http::response<boost::beast::http::string_body> response;
    boost::system::error_code ec;
    boost::beast::http::read(socket, buffer, response, ec);
    return !ec && response.result_int() == 200 && response.keep_alive();
  };
  for (int i = 0; i < 2000; ++i) {
    idle.emplace_back(io);
    idle.back().connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(g_->port())});
    timeval timeout{10, 0};
    setsockopt(idle.back().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ASSERT_TRUE(answered(idle.back())) << "connection " << i;
  }
  EXPECT_GE(g_->server->open_connections(), 2000);
  // While they idle, others are served as ever, calls to the services included.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Call("GET", "/v1/regions").status, 200u) << i;
  }
  // And the idle ones are still there, kept alive, when they speak again.
  for (size_t i = 0; i < idle.size(); i += 97) EXPECT_TRUE(answered(idle[i])) << "connection " << i;
}

TEST_F(GatewayTest, DrainEndsStreamsLetsAnswersLandAndRefusesNewConnections) {
  auto g = std::make_unique<GatewayProcess>(addresses_);
  RawConnection stream(g->port());
  stream.Send(
      "GET /v1/issues:watchEvents?afterCursor=999999 HTTP/1.1\r\nHost: x\r\n"
      "Authorization: " +
      office_ + "\r\n\r\n");
  char head[512];
  size_t n = stream.socket.read_some(boost::asio::buffer(head));
  ASSERT_NE(std::string(head, n).find("200"), std::string::npos);
  g->server->Drain();
  std::string rest;
  EXPECT_TRUE(stream.ReadUntilClosed(rest)) << "the stream is ended, not left hanging";
  EXPECT_TRUE(g->server->gateway().in_flight().WaitIdle(absl::Seconds(10)))
      << "the stream's call is over once its client is gone";
  EXPECT_EQ(HttpClient(g->port()).Send("GET", "/healthz").status, 0u) << "no longer accepting";
}

TEST_F(GatewayTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(Call("GET", "/healthz").status, 200u);
  auto ready = Call("GET", "/readyz");
  EXPECT_EQ(ready.status, 200u) << ready.body;
  Call("GET", "/v1/regions");
  auto metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("rectify_gateway_requests_total{route=\"GET /v1/regions\","),
            std::string::npos)
      << metrics.body.substr(0, 500);
  // With a service gone, readiness says which.
  s_.reset();
  ready = Call("GET", "/readyz");
  EXPECT_EQ(ready.status, 503u);
  EXPECT_NE(ready.body.find("rectify.v1.Supervision"), std::string::npos) << ready.body;
}

}  // namespace
}  // namespace rectify::testing
