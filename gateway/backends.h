// The services behind the gateway: a channel per service for calls, and another for streams, so
// that a stream a slow browser holds open never queues a call behind it on one HTTP/2 connection.
// Calls go through grpc::GenericStub with the serialized request: no per-service stubs.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace rectify::gateway {

class Backends {
 public:
  // Service full name ("rectify.v1.IssueRegistry") → address ("127.0.0.1:50051").
  explicit Backends(const std::map<std::string, std::string>& addresses);

  // nullptr for a service the gateway was not given.
  grpc::GenericStub* Calls(const std::string& service) const;
  grpc::GenericStub* Streams(const std::string& service) const;
  const std::map<std::string, std::string>& addresses() const { return addresses_; }

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> calls_channel, streams_channel;
    std::unique_ptr<grpc::GenericStub> calls, streams;
  };
  std::map<std::string, std::string> addresses_;
  std::map<std::string, Backend> backends_;
};

}  // namespace rectify::gateway
