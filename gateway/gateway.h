// The gateway's request handling: health, readiness and metrics of its own, and every other
// /v1/ request transcoded by route (RouteTable) into a call of the service that owns the method
// (RequestTranscoder → GenericStub → http_response). Asynchronous throughout: a handler returns
// at once, and the call's completion answers the exchange.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/aggregates.h"
#include "gateway/backends.h"
#include "gateway/event_stream.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/in_flight.h"
#include "gateway/rate_limiter.h"
#include "gateway/routing/route_table.h"
#include "gateway/static_files.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {

struct GatewayOptions {
  // A call's deadline when the request names none (Grpc-Timeout), and the most it may name.
  absl::Duration default_deadline = absl::Seconds(15);
  absl::Duration max_deadline = absl::Seconds(120);
  // The portal's built files; none served when empty.
  std::string web_root;
  // A token of the public role, forwarded for requests that come without one (the public
  // portal); empty: such requests go on without a token (and the services refuse them).
  std::string public_token;
  RateLimit public_rate;
  size_t public_body_bytes = 16 * 1024;
  // The development signing key: with it, POST /v1/dev:signIn mints a token for the role, org and
  // region asked (as `rectctl token` does), for the portal's development sign-in. Never set in
  // production, where tokens come from the province's identity provider.
  std::string dev_signing_key;
};

class Gateway {
 public:
  // Fails when the web root cannot be opened or the OpenAPI document cannot be made.
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(const RouteTable& routes,
                                                         const Backends& backends,
                                                         GatewayMetrics& metrics,
                                                         GatewayOptions options);

  void Handle(HttpRequest&& request, std::shared_ptr<Exchange> exchange);
  // Whether a request's body is streamed to its service (an upload) rather than read first.
  bool StreamsBody(const RequestHead& head) const;
  // The calls and streams under way: wait for them (and cancel what outlasts the wait) before
  // the gateway goes, as their completions use it.
  InFlight& in_flight() { return in_flight_; }

 private:
  struct Call;
  void Transcode(const HttpRequest& request, const std::string& path, const std::string& query,
                 std::shared_ptr<Call> call);
  void Ready(std::shared_ptr<Call> call);
  // Who the request is forwarded as (Call::authorization); false when it was answered already
  // (a malformed token, an anonymous caller over its rate or body limit).
  bool Identify(const HttpRequest& request, Call& call);
  void DevSignIn(const HttpRequest& request, Call& call);
  void MergedEvents(const HttpRequest& request, const std::string& query,
                    std::shared_ptr<Call> call);
  // The views gathered from several services (aggregates.h); false when `path` is none of them.
  bool Aggregate(const HttpRequest& request, const std::string& path, const std::string& query,
                 std::shared_ptr<Call> call);

  Gateway(const RouteTable& routes, const Backends& backends, GatewayMetrics& metrics,
          GatewayOptions options);

  const RouteTable& routes_;
  const Backends& backends_;
  GatewayMetrics& metrics_;
  GatewayOptions options_;
  std::optional<StaticFiles> web_;
  std::vector<FeedSource> feed_sources_;
  std::set<std::string> upload_methods_;  // the HTTP methods of upload routes
  std::string openapi_;
  InFlight in_flight_;
  Aggregates aggregates_;
  RateLimiter public_limiter_;
};

// The OpenAPI document of what the gateway serves with `routes`: theirs and its own.
absl::StatusOr<nlohmann::json> GatewayOpenApi(const RouteTable& routes);

// "Grpc-Timeout"-style durations: digits and a unit (H, M, S, m, u, n), e.g. "5S", "250m".
bool ParseTimeout(absl::string_view text, absl::Duration& out);

}  // namespace rectify::gateway
