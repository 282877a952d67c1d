// What a streamed call through the gateway (an event stream, a download, an upload) carries from
// the HTTP request into its gRPC call.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gateway/in_flight.h"
#include "gateway/routing/route_table.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"

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

// A server stream read one message at a time: the next read starts only once the last message
// has been handed on (written to the client), so a slow client slows its own stream and nothing
// else. The hand-off completes on a server thread, outside any reaction: a hold keeps the call
// until the next read has started or the call is cancelled.
class PacedStreamReader : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 protected:
  // To be run once the message just read has been written (true) or cannot be (false).
  std::function<void(bool written)> ReadNextWhenWritten() {
    AddHold();
    return [this](bool written) {
      if (written) {
        StartRead(&response_);
      } else {
        context_.TryCancel();
      }
      RemoveHold();
    };
  }

  grpc::ClientContext context_;
  grpc::ByteBuffer request_, response_;
};

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);
bool FromByteBuffer(grpc::ByteBuffer& buffer, google::protobuf::Message& message);

}  // namespace rectify::gateway
