#include "gateway/gateway.h"

#include <atomic>
#include <cmath>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/auth.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/status.h"
#include "gateway/event_stream.h"
#include "gateway/file_transfer.h"
#include "gateway/openapi.h"
#include "gateway/transcode/http_response.h"
#include "gateway/transcode/request_transcoder.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/stub_options.h"

namespace rectify::gateway {
namespace http = boost::beast::http;

namespace {

// Header values that may travel as gRPC metadata: printable ASCII.
bool PrintableAscii(absl::string_view v) {
  for (char c : v) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string RequestIdOf(const HttpRequest& request) {
  auto it = request.find("X-Request-Id");
  if (it != request.end()) {
    absl::string_view v(it->value().data(), it->value().size());
    bool ok = !v.empty() && v.size() <= kMaxRequestIdLength;
    for (char c : v) ok = ok && (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.');
    if (ok) return std::string(v);
  }
  // A label for logs, not a secret: a fast generator will do.
  thread_local absl::BitGen bits;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

std::string Header(const HttpRequest& request, http::field field) {
  auto it = request.find(field);
  return it == request.end() ? "" : std::string(it->value());
}
std::string Header(const HttpRequest& request, const char* name) {
  auto it = request.find(name);
  return it == request.end() ? "" : std::string(it->value());
}

}  // namespace

bool ParseTimeout(absl::string_view text, absl::Duration& out) {
  if (text.size() < 2 || text.size() > 9) return false;
  int64_t n = 0;
  if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &n) || n < 0) return false;
  switch (text.back()) {
    case 'H':
      out = absl::Hours(n);
      return true;
    case 'M':
      out = absl::Minutes(n);
      return true;
    case 'S':
      out = absl::Seconds(n);
      return true;
    case 'm':
      out = absl::Milliseconds(n);
      return true;
    case 'u':
      out = absl::Microseconds(n);
      return true;
    case 'n':
      out = absl::Nanoseconds(n);
      return true;
    default:
      return false;
  }
}

// One request on its way through the gateway.
struct Gateway::Call {
  std::shared_ptr<Exchange> exchange;
  GatewayMetrics* metrics = nullptr;
  absl::Time start = absl::Now();
  std::string request_id;
  std::string route_label = "unrouted";

  grpc::ClientContext context;
  grpc::ByteBuffer request_bytes, response_bytes;
  std::unique_ptr<InFlight::Ticket> ticket;
  // What is forwarded: the caller's own, or the public token for a caller without one (then
  // `anonymous`, its request ids scoped to its address).
  std::string authorization;
  bool anonymous = false;

  // The connection is let go before the ticket (shutdown waits for tickets, then stops the
  // io_context the connection's socket needs), and the ticket before the context it names.
  ~Call() {
    exchange.reset();
    ticket.reset();
  }

  void Answer(HttpResponse r) {
    r.headers.emplace_back("X-Request-Id", request_id);
    if (r.content_type == "application/json") r.headers.emplace_back("Cache-Control", "no-store");
    double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    metrics->RecordRequest(route_label, r.status, seconds);
    // Every request is counted in the metrics; the log gets the failures (and, at debug, all).
    if (r.status >= 500) {
      log::Warn("http", {{"request_id", request_id},
                         {"route", route_label},
                         {"status", r.status},
                         {"ms", seconds * 1000}});
    } else if (log::DebugEnabled()) {
      log::Debug("http", {{"request_id", request_id},
                          {"route", route_label},
                          {"status", r.status},
                          {"ms", seconds * 1000}});
    }
    exchange->Respond(std::move(r));
  }
  void Fail(const absl::Status& s) {
    grpc::StatusCode code = static_cast<grpc::StatusCode>(s.code());
    Answer(HttpResponse{
        static_cast<unsigned>(HttpStatusOf(code)), "application/json", {}, ErrorJson(s)});
  }
};

Gateway::Gateway(const RouteTable& routes, const Backends& backends, GatewayMetrics& metrics,
                 GatewayOptions options)
    : routes_(routes),
      backends_(backends),
      metrics_(metrics),
      options_(std::move(options)),
      aggregates_(backends, in_flight_, metrics),
      public_limiter_(options_.public_rate) {}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(const RouteTable& routes,
                                                         const Backends& backends,
                                                         GatewayMetrics& metrics,
                                                         GatewayOptions options) {
  std::unique_ptr<Gateway> g(new Gateway(routes, backends, metrics, std::move(options)));
  if (!g->options_.web_root.empty()) {
    auto web = StaticFiles::Open(g->options_.web_root);
    if (!web.ok()) return web.status();
    g->web_.emplace(*std::move(web));
  }
  // The merged feed's parts: every service's event stream, named by its path's first segment
  // ("/v1/issues:watchEvents" → "issues").
  for (const Route& route : routes.routes()) {
    grpc::GenericStub* stub = backends.Streams(route.service());
    if (!IsEventStream(route) || stub == nullptr) continue;
    absl::string_view path = route.path.text();
    absl::ConsumePrefix(&path, "/v1/");
    std::string name(path.substr(0, path.find_first_of("/:")));
    g->feed_sources_.push_back(FeedSource{name, &route, stub});
  }
  for (const Route& route : routes.routes()) {
    if (IsFileUpload(route)) g->upload_methods_.insert(route.http_method);
  }
  auto openapi = GatewayOpenApi(routes);
  if (!openapi.ok()) return openapi.status();
  g->openapi_ = openapi->dump();
  return g;
}

void Gateway::Handle(HttpRequest&& request, std::shared_ptr<Exchange> exchange) {
  auto call = std::make_shared<Call>();
  call->ticket = in_flight_.Enter(&call->context);
  call->exchange = std::move(exchange);
  call->metrics = &metrics_;
  call->request_id = RequestIdOf(request);
  absl::string_view target(request.target().data(), request.target().size());
  size_t q = target.find('?');
  std::string path(target.substr(0, q));
  std::string query(q == absl::string_view::npos ? "" : target.substr(q + 1));

  if (path == "/healthz") {
    call->route_label = "GET /healthz";
    return call->Answer(HttpResponse{200, "application/json", {}, R"({"status":"SERVING"})"});
  }
  if (path == "/readyz") {
    call->route_label = "GET /readyz";
    return Ready(call);
  }
  if (path == "/metrics") {
    call->route_label = "GET /metrics";
    return call->Answer(
        HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", {}, metrics_.Scrape()});
  }
  if (path == "/openapi.json") {
    call->route_label = "GET /openapi.json";
    return call->Answer(
        HttpResponse{200, "application/json", {{"Cache-Control", "no-cache"}}, openapi_});
  }
  if (path == "/v1/dev:signIn") {
    call->route_label = "POST /v1/dev:signIn";
    return DevSignIn(request, *call);
  }
  if (path == "/v1/events") {
    call->route_label = "GET /v1/events";
    if (!Identify(request, *call)) return;
    return MergedEvents(request, query, call);
  }
  if (absl::StartsWith(path, "/v1/")) {
    if (!Identify(request, *call)) return;
    if (Aggregate(request, path, query, call)) return;
    return Transcode(request, path, query, call);
  }
  if (web_) {
    call->route_label = "static";
    StaticAnswer answer = web_->Serve(
        absl::string_view(request.method_string().data(), request.method_string().size()), target,
        Header(request, http::field::if_none_match));
    if (answer.head_content_length) {
      answer.response.headers.emplace_back("Content-Length",
                                           absl::StrCat(*answer.head_content_length));
    }
    return call->Answer(std::move(answer.response));
  }
  call->Fail(absl::NotFoundError(absl::StrCat("nothing at ", path)));
}

void Gateway::DevSignIn(const HttpRequest& request, Call& call) {
  if (options_.dev_signing_key.empty()) {
    return call.Fail(absl::NotFoundError("development sign-in is off on this gateway"));
  }
  if (request.method() != http::verb::post) {
    return call.Answer(HttpResponse{
        405,
        "application/json",
        {{"Allow", "POST"}},
        ErrorJson(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "sign in with POST"), 405)});
  }
  nlohmann::json body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object()) return call.Fail(InvalidField("body", "a JSON object: role, org, region"));
  auto text = [&](const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Principal p;
  std::optional<Role> role = ParseRole(text("role"));
  if (!role || *role == Role::kService) {
    return call.Fail(
        InvalidField("role", "office, department, city, county, supervisor, discipline or public"));
  }
  p.role = *role;
  p.org = text("org");
  p.region = text("region");
  if (p.role != Role::kPublic && (p.org.empty() || p.org.size() > 64 || !PrintableAscii(p.org))) {
    return call.Fail(InvalidField("org", "an org id, e.g. hlj-water or gov-230100"));
  }
  if (!p.region.empty() &&
      (p.region.size() != 6 || p.region.find_first_not_of("0123456789") != std::string::npos)) {
    return call.Fail(InvalidField("region", "a six-digit GB/T 2260 code"));
  }
  p.subject = absl::StrCat(RoleName(p.role), "@", p.org.empty() ? "public" : p.org);
  JwtSettings settings;
  settings.secret = options_.dev_signing_key;
  absl::Duration ttl = absl::Hours(12);
  std::string token = MintToken(settings, p, absl::Now(), ttl);
  nlohmann::json answer = {{"token", token},
                           {"expiresIn", absl::StrCat(absl::ToInt64Seconds(ttl), "s")}};
  call.Answer(HttpResponse{200, "application/json", {}, answer.dump()});
}

bool Gateway::Identify(const HttpRequest& request, Call& call) {
  std::string authorization = Header(request, http::field::authorization);
  if (!authorization.empty() && (!PrintableAscii(authorization) || authorization.size() > 8192)) {
    call.Fail(absl::UnauthenticatedError("a malformed Authorization header"));
    return false;
  }
  if (authorization.empty() && !options_.public_token.empty()) {
    // The public portal: no token, so a bucket per address, a small body and the public role.
    absl::Duration wait = public_limiter_.Take(call.exchange->peer(), absl::Now());
    if (wait > absl::ZeroDuration()) {
      grpc::Status s(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "too many requests without a token from this address; try again later");
      call.Answer(HttpResponse{429,
                               "application/json",
                               {{"Retry-After", absl::StrCat(static_cast<int64_t>(
                                                    std::ceil(absl::ToDoubleSeconds(wait))))}},
                               ErrorJson(s, 429)});
      return false;
    }
    if (request.body().size() > options_.public_body_bytes) {
      grpc::Status s(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     absl::StrCat("a request without a token has at most ",
                                  options_.public_body_bytes, " bytes of body"));
      call.Answer(HttpResponse{413, "application/json", {}, ErrorJson(s, 413)});
      return false;
    }
    authorization = "Bearer " + options_.public_token;
    call.anonymous = true;
  }
  call.authorization = std::move(authorization);
  return true;
}

bool Gateway::Aggregate(const HttpRequest& request, const std::string& path,
                        const std::string& query, std::shared_ptr<Call> call) {
  bool board = path == "/v1/board";
  bool dossier = absl::StartsWith(path, "/v1/issues/") && absl::EndsWith(path, ":dossier");
  if (!board && !dossier) return false;
  call->route_label = board ? "GET /v1/board" : "GET /v1/issues/{id}:dossier";
  if (request.method() != http::verb::get) {
    call->Answer(HttpResponse{
        405,
        "application/json",
        {{"Allow", "GET"}},
        ErrorJson(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "a view is read with GET"), 405)});
    return true;
  }
  AggregateCall who{call->authorization, call->request_id, options_.default_deadline,
                    call->route_label};
  std::vector<std::pair<std::string, std::string>> params;
  if (!ParseQuery(query, params)) {
    call->Fail(InvalidField("query", "a malformed %-escape"));
    return true;
  }
  if (dossier) {
    absl::string_view id_text(path);
    absl::ConsumePrefix(&id_text, "/v1/issues/");
    absl::ConsumeSuffix(&id_text, ":dossier");
    int64_t id = 0;
    if (!absl::SimpleAtoi(id_text, &id) || id <= 0) {
      call->Fail(InvalidField("id", "an issue's id"));
    } else if (!params.empty()) {
      call->Fail(InvalidField(params[0].first, "unknown query parameter: a dossier takes none"));
    } else {
      aggregates_.Dossier(id, std::move(who), call->exchange);
    }
    return true;
  }
  std::string region;
  for (const auto& [name, value] : params) {
    if (name != "regionCode" && name != "region_code") {
      call->Fail(InvalidField(name, "unknown query parameter: the board takes regionCode"));
      return true;
    }
    region = value;
  }
  aggregates_.Board(region, std::move(who), call->exchange);
  return true;
}

void Gateway::MergedEvents(const HttpRequest& request, const std::string& query,
                           std::shared_ptr<Call> call) {
  if (request.method() != http::verb::get) {
    return call->Answer(HttpResponse{
        405,
        "application/json",
        {{"Allow", "GET"}},
        ErrorJson(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "the feed is read with GET"),
                  405)});
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (!ParseQuery(query, params)) return call->Fail(InvalidField("query", "a malformed %-escape"));
  std::string after = Header(request, "Last-Event-ID");
  std::vector<std::string> types;
  bool from_now = false;
  for (auto& [name, value] : params) {
    if (name == "after") {
      if (after.empty()) after = value;  // Last-Event-ID wins: it is where the client got to
    } else if (name == "types") {
      types.push_back(value);
    } else if (name == "from") {
      if (value != "now") return call->Fail(InvalidField("from", "only now"));
      from_now = true;
    } else {
      return call->Fail(InvalidField(name,
                                     "unknown query parameter: the feed takes after, from and "
                                     "types"));
    }
  }
  auto cursors = ParseFeedCursors(after, feed_sources_);
  if (!cursors.ok()) return call->Fail(InvalidField("Last-Event-ID", cursors.status().message()));
  if (request.version() < 11) {
    return call->Fail(InvalidField("HTTP version", "an event stream needs HTTP/1.1"));
  }
  const std::string& authorization = call->authorization;
  // A client resuming (an id given) continues where it got to, whatever it asked first.
  StartMergedFeed(
      feed_sources_, *cursors, from_now && cursors->empty(), std::move(types),
      StreamCall{nullptr, nullptr, authorization, call->request_id, &in_flight_, call->route_label},
      call->exchange, metrics_);
}

bool Gateway::StreamsBody(const RequestHead& head) const {
  // Only uploads stream their bodies: other methods need no lookup here.
  if (upload_methods_.count(std::string(head.method_string())) == 0) return false;
  absl::string_view target(head.target().data(), head.target().size());
  auto found = routes_.Find(std::string(head.method_string()), target.substr(0, target.find('?')));
  return found.ok() && IsFileUpload(*found->route);
}

void Gateway::Transcode(const HttpRequest& request, const std::string& path,
                        const std::string& query, std::shared_ptr<Call> call) {
  std::string method(request.method_string());
  auto found = routes_.Find(method, path);
  if (!found.ok()) {
    if (absl::IsFailedPrecondition(found.status())) {
      call->route_label = "405";
      std::string allow = absl::StrJoin(routes_.AllowedMethods(path), ", ");
      grpc::Status s(grpc::StatusCode::UNIMPLEMENTED, std::string(found.status().message()));
      return call->Answer(
          HttpResponse{405, "application/json", {{"Allow", allow}}, ErrorJson(s, 405)});
    }
    call->route_label = "404";
    return call->Fail(found.status());
  }
  const Route& route = *found->route;
  call->route_label = absl::StrCat(route.http_method, " ", route.path.text());
  bool streamed = route.server_streaming() || route.method->client_streaming();
  if (streamed && !IsEventStream(route) && !IsFileDownload(route) && !IsFileUpload(route)) {
    return call->Fail(absl::UnimplementedError(
        absl::StrCat(route.method->full_name(), " streams what the gateway cannot carry")));
  }
  grpc::GenericStub* stub =
      streamed ? backends_.Streams(route.service()) : backends_.Calls(route.service());
  if (stub == nullptr) {
    return call->Fail(
        absl::UnavailableError(absl::StrCat(route.service(), " is not behind this gateway")));
  }

  HttpRequestParts parts;
  parts.query = query;
  parts.body = request.body();
  parts.idempotency_key = Header(request, "Idempotency-Key");
  parts.if_match = Header(request, http::field::if_match);
  if (!PrintableAscii(parts.idempotency_key) ||
      parts.idempotency_key.size() > kMaxRequestIdLength) {
    return call->Fail(InvalidField(
        "Idempotency-Key",
        absl::StrCat("printable ASCII, at most ", kMaxRequestIdLength, " characters")));
  }
  if (!PrintableAscii(parts.if_match) || parts.if_match.size() > 200) {
    return call->Fail(InvalidField("If-Match", "an entity tag the gateway gave (printable ASCII)"));
  }
  const std::string& authorization = call->authorization;
  if (IsFileUpload(route)) {
    UploadRequest upload{*found,
                         query,
                         parts.idempotency_key,
                         Header(request, http::field::content_type),
                         Header(request, http::field::content_disposition),
                         call->anonymous ? call->exchange->peer() : ""};
    return StartFileUpload(
        *stub, StreamCall{&route, nullptr, authorization, call->request_id, &in_flight_, ""},
        std::move(upload), call->exchange, metrics_);
  }
  auto message = RequestTranscoder::Build(*found, parts);
  if (!message.ok()) return call->Fail(message.status());
  if (call->anonymous) ScopeRequestIds(**message, call->exchange->peer());
  if (IsFileDownload(route)) {
    return StartFileDownload(
        *stub,
        StreamCall{&route, *std::move(message), authorization, call->request_id, &in_flight_, ""},
        call->exchange, metrics_);
  }

  if (IsEventStream(route)) {
    if (request.version() < 11) {
      return call->Fail(InvalidField("HTTP version", "an event stream needs HTTP/1.1"));
    }
    // Last-Event-ID resumes after the last event the client saw, unless the query names a cursor.
    if (std::string last = Header(request, "Last-Event-ID"); !last.empty()) {
      const auto* f = (*message)->GetDescriptor()->FindFieldByName("after_cursor");
      int64_t cursor = 0;
      if (!absl::SimpleAtoi(last, &cursor) || cursor < 0) {
        return call->Fail(InvalidField("Last-Event-ID", "an event's id (a cursor)"));
      }
      auto* reflection = (*message)->GetReflection();
      if (f != nullptr && reflection->GetInt64(**message, f) == 0) {
        reflection->SetInt64(message->get(), f, cursor);
      }
    }
    return StartEventStream(
        *stub,
        StreamCall{&route, *std::move(message), authorization, call->request_id, &in_flight_, ""},
        call->exchange, metrics_);
  }

  absl::Duration deadline = options_.default_deadline;
  if (std::string t = Header(request, "Grpc-Timeout"); !t.empty()) {
    if (!ParseTimeout(t, deadline)) {
      return call->Fail(InvalidField("Grpc-Timeout", "digits and a unit (H, M, S, m, u, n)"));
    }
    deadline = std::min(deadline, options_.max_deadline);
  }
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (!authorization.empty()) call->context.AddMetadata("authorization", authorization);
  call->context.AddMetadata("x-request-id", call->request_id);
  call->request_bytes = ToByteBuffer(**message);

  stub->UnaryCall(
      &call->context, route.grpc_path, grpc::StubOptions(), &call->request_bytes,
      &call->response_bytes, [call, &route](grpc::Status status) {
        if (!status.ok()) {
          return call->Answer(HttpResponse{static_cast<unsigned>(HttpStatusOf(status.error_code())),
                                           "application/json",
                                           {},
                                           ErrorJson(status)});
        }
        std::unique_ptr<google::protobuf::Message> response(
            google::protobuf::MessageFactory::generated_factory()
                ->GetPrototype(route.method->output_type())
                ->New());
        if (!FromByteBuffer(call->response_bytes, *response)) {
          return call->Fail(absl::InternalError("the service's answer did not parse"));
        }
        auto json = ResponseJson(route, *response);
        if (!json.ok()) return call->Fail(json.status());
        HttpResponse r{200, "application/json", {}, *std::move(json)};
        if (std::string etag = ResourceEtag(*response); !etag.empty()) {
          r.headers.emplace_back("ETag", EntityTag(etag));
        }
        call->Answer(std::move(r));
      });
}

void Gateway::Ready(std::shared_ptr<Call> call) {
  // Every backend's grpc.health.v1 answer, in parallel.
  struct Round {
    absl::Mutex mu;
    std::vector<std::string> not_serving;
    std::atomic<int> pending{0};
    std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
    std::vector<grpc::ByteBuffer> requests, responses;
  };
  auto round = std::make_shared<Round>();
  const auto& addresses = backends_.addresses();
  round->pending = static_cast<int>(addresses.size());
  round->contexts.resize(addresses.size());
  round->requests.resize(addresses.size());
  round->responses.resize(addresses.size());
  auto finish = [round, call] {
    if (round->pending.fetch_sub(1) != 1) return;
    bool ok = round->not_serving.empty();
    nlohmann::json body = {{"ready", ok}, {"not_serving", round->not_serving}};
    call->Answer(HttpResponse{ok ? 200u : 503u, "application/json", {}, body.dump()});
  };
  if (addresses.empty()) {
    round->pending = 1;
    return finish();
  }
  size_t i = 0;
  for (const auto& [service, address] : addresses) {
    auto& context = round->contexts[i];
    context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    round->requests[i] = ToByteBuffer(grpc::health::v1::HealthCheckRequest());
    backends_.Calls(service)->UnaryCall(
        context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &round->requests[i],
        &round->responses[i], [round, i, service = service, finish](grpc::Status s) {
          grpc::health::v1::HealthCheckResponse answer;
          bool serving = s.ok() && FromByteBuffer(round->responses[i], answer) &&
                         answer.status() == grpc::health::v1::HealthCheckResponse::SERVING;
          if (!serving) {
            absl::MutexLock lock(&round->mu);
            round->not_serving.push_back(service);
          }
          finish();
        });
    ++i;
  }
}

}  // namespace rectify::gateway
