// Outbox events on the wire (rectify.v1.Event), shared by every service's WatchEvents.
#pragma once

#include "common/outbox.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/sync_stream.h"
#include "rectify/v1/events.pb.h"

namespace rectify {

void ToProto(const OutboxEvent& event, v1::Event* out);
OutboxEvent FromProto(const v1::Event& event);

// The body of every service's WatchEvents RPC, after its own permission check: replays the
// service's outbox after the requested cursor, then follows live until the client goes away.
absl::Status StreamEvents(EventLog& log, const v1::WatchEventsRequest& request,
                          grpc::ServerContext* context, grpc::ServerWriter<v1::Event>* writer);

}  // namespace rectify
