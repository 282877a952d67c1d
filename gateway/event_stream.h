// A service's WatchEvents as server-sent events (text/event-stream): `id:` is the event's cursor,
// `event:` its type, `data:` the Event as JSON; Last-Event-ID (or after_cursor) resumes after a
// cursor; a comment line is the heartbeat. The gRPC stream runs on the gateway's stream channel;
// the next event is read only once the last one is written to the client (a slow reader slows its
// own stream, nothing else), and a client that goes away cancels the call.
#pragma once

#include <memory>
#include <string>

#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/in_flight.h"
#include "gateway/routing/route_table.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"

namespace rectify::gateway {

struct EventStreamCall {
  const Route* route = nullptr;
  std::unique_ptr<google::protobuf::Message> request;  // a WatchEventsRequest
  std::string authorization;
  std::string request_id;
  // Where the stream counts itself under way (the gateway waits for it before it goes).
  InFlight* in_flight = nullptr;
};

// Starts the stream; it answers `exchange` (an SSE stream, or an HTTP error when the service
// refuses before it accepts) and cleans up after itself.
void StartEventStream(grpc::GenericStub& stub, EventStreamCall call,
                      std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics);

// Whether a route's answers are events (a stream of rectify.v1.Event).
bool IsEventStream(const Route& route);

}  // namespace rectify::gateway
