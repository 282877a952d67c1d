#include "gateway/gateway.h"

#include <atomic>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/rpc.h"
#include "common/status.h"
#include "gateway/event_stream.h"
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
  return crypto::ToHex(crypto::RandomBytes(8));
}

std::string Header(const HttpRequest& request, http::field field) {
  auto it = request.find(field);
  return it == request.end() ? "" : std::string(it->value());
}
std::string Header(const HttpRequest& request, const char* name) {
  auto it = request.find(name);
  return it == request.end() ? "" : std::string(it->value());
}

grpc::ByteBuffer Serialize(const google::protobuf::Message& m) {
  std::string bytes = m.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool Parse(grpc::ByteBuffer& buffer, google::protobuf::Message& m) {
  grpc::ProtoBufferReader reader(&buffer);
  return m.ParseFromZeroCopyStream(&reader);
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
    } else {
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
    : routes_(routes), backends_(backends), metrics_(metrics), options_(options) {}

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
  if (absl::StartsWith(path, "/v1/")) return Transcode(request, path, query, call);
  call->Fail(absl::NotFoundError(absl::StrCat("nothing at ", path)));
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
  if (route.server_streaming() && !IsEventStream(route)) {
    return call->Fail(absl::UnimplementedError(
        absl::StrCat(route.method->full_name(), " is a file stream, not served over HTTP yet")));
  }
  grpc::GenericStub* stub =
      IsEventStream(route) ? backends_.Streams(route.service()) : backends_.Calls(route.service());
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
  auto message = RequestTranscoder::Build(*found, parts);
  if (!message.ok()) return call->Fail(message.status());
  std::string authorization = Header(request, http::field::authorization);
  if (!authorization.empty() && (!PrintableAscii(authorization) || authorization.size() > 8192)) {
    return call->Fail(absl::UnauthenticatedError("a malformed Authorization header"));
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
        EventStreamCall{&route, *std::move(message), authorization, call->request_id, &in_flight_},
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
  call->request_bytes = Serialize(**message);

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
        if (!Parse(call->response_bytes, *response)) {
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
    round->requests[i] = Serialize(grpc::health::v1::HealthCheckRequest());
    backends_.Calls(service)->UnaryCall(
        context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &round->requests[i],
        &round->responses[i], [round, i, service = service, finish](grpc::Status s) {
          grpc::health::v1::HealthCheckResponse answer;
          bool serving = s.ok() && Parse(round->responses[i], answer) &&
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
