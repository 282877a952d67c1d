// A service's WatchEvents as server-sent events (text/event-stream): `id:` is the event's cursor,
// `event:` its type, `data:` the Event as JSON; Last-Event-ID (or after_cursor) resumes after a
// cursor; a comment line is the heartbeat. The gRPC stream runs on the gateway's stream channel;
// the next event is read only once the last one is written to the client (a slow reader slows its
// own stream, nothing else), and a client that goes away cancels the call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/in_flight.h"
#include "gateway/routing/route_table.h"
#include "gateway/stream_call.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"

namespace rectify::gateway {

// Starts the stream; it answers `exchange` (an SSE stream, or an HTTP error when the service
// refuses before it accepts) and cleans up after itself.
void StartEventStream(grpc::GenericStub& stub, StreamCall call, std::shared_ptr<Exchange> exchange,
                      GatewayMetrics& metrics);

// Whether a route's answers are events (a stream of rectify.v1.Event).
bool IsEventStream(const Route& route);

// One service's part of the merged feed: its short name (in the feed's ids and events), its
// WatchEvents route and the channel to reach it.
struct FeedSource {
  std::string name;  // "issues"
  const Route* route = nullptr;
  grpc::GenericStub* stub = nullptr;
};

// The merged feed (GET /v1/events): every service's events in one SSE stream, in the order they
// arrive, each with `data` the Event as JSON plus `service`. An event's `id:` names every
// service's cursor ("issues=12,supervision=40,accountability=3"), so Last-Event-ID resumes each
// where the client left it. A service that refuses the caller is left out; one that is down, or
// ends its stream, is announced (`event: unavailable`) and tried again, backing off, and
// announced again when it is back (`event: available`). When no service accepts, the answer is
// the first refusal as an HTTP error. `call.route` is unused; `types` filters the events.
// `from_now` skips the past: each service starts at its present horizon (rectify.v1's bookmark),
// sent to the client as an `id:` line alone, which moves Last-Event-ID without an event.
void StartMergedFeed(std::vector<FeedSource> sources, const std::map<std::string, int64_t>& after,
                     bool from_now, std::vector<std::string> types, StreamCall call,
                     std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics);

// The cursors a merged feed's id names; INVALID_ARGUMENT for anything else.
absl::StatusOr<std::map<std::string, int64_t>> ParseFeedCursors(
    absl::string_view text, const std::vector<FeedSource>& sources);

}  // namespace rectify::gateway
