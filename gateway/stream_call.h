// What a streamed call through the gateway (an event stream, a download, an upload) carries from
// the HTTP request into its gRPC call.
#pragma once

#include <memory>
#include <string>

#include "gateway/in_flight.h"
#include "gateway/routing/route_table.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"

namespace rectify::gateway {

struct StreamCall {
  const Route* route = nullptr;
  // The request; for an upload, its first message (the metadata).
  std::unique_ptr<google::protobuf::Message> request;
  std::string authorization;
  std::string request_id;
  // Where the stream counts itself under way (the gateway waits for it before it goes).
  InFlight* in_flight = nullptr;

  // The forwarded identity and request id.
  void Prepare(grpc::ClientContext& context) const {
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    context.AddMetadata("x-request-id", request_id);
  }
  // The metrics' label: the route's template, or `label` for a stream of the gateway's own.
  std::string label;
  std::string Label() const {
    return route == nullptr ? label : route->http_method + " " + route->path.text();
  }
};

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);
bool FromByteBuffer(grpc::ByteBuffer& buffer, google::protobuf::Message& message);

}  // namespace rectify::gateway
