#include "gateway/backends.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace rectify::gateway {

Backends::Backends(const std::map<std::string, std::string>& addresses) : addresses_(addresses) {
  for (const auto& [service, address] : addresses) {
    Backend b;
    b.calls_channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    grpc::ChannelArguments streams;
    // A subchannel (and so a connection) of its own.
    streams.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    streams.SetString("rectify.channel", "streams");
    b.streams_channel =
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), streams);
    b.calls = std::make_unique<grpc::GenericStub>(b.calls_channel);
    b.streams = std::make_unique<grpc::GenericStub>(b.streams_channel);
    backends_.emplace(service, std::move(b));
  }
}

grpc::GenericStub* Backends::Calls(const std::string& service) const {
  auto it = backends_.find(service);
  return it == backends_.end() ? nullptr : it->second.calls.get();
}

grpc::GenericStub* Backends::Streams(const std::string& service) const {
  auto it = backends_.find(service);
  return it == backends_.end() ? nullptr : it->second.streams.get();
}

}  // namespace rectify::gateway
