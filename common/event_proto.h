// Outbox events on the wire (rectify.v1.Event), shared by every service's WatchEvents.
#pragma once

#include "absl/functional/any_invocable.h"
#include "common/outbox.h"
#include "common/rpc.h"
#include "grpcpp/support/server_callback.h"
#include "rectify/v1/events.pb.h"

namespace rectify {

void ToProto(const OutboxEvent& event, v1::Event* out);
OutboxEvent FromProto(const v1::Event& event);

// The body of every service's WatchEvents RPC: after `allow` accepts the caller (its role),
// replays the service's outbox after the requested cursor, then follows live until the client
// goes away or the log shuts down (UNAVAILABLE: resume from the last cursor). Between commits
// the stream holds no thread: a commit wakes it.
grpc::ServerWriteReactor<v1::Event>* StreamEvents(
    const RpcRunner& rpc, grpc::CallbackServerContext* context, EventLog& log,
    const v1::WatchEventsRequest* request,
    absl::AnyInvocable<absl::Status(const Principal&)> allow);

}  // namespace rectify
