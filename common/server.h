// Server bootstrap shared by every service: gRPC server with the health service (NOT_SERVING
// until the service says it is ready, NOT_SERVING again while draining), optional reflection,
// message and metadata size limits, and a graceful drain on SIGTERM/SIGINT. Services are
// registered as gRPC callback services (see common/rpc.h): no thread per call.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"

namespace rectify {

struct ServerOptions {
  std::string listen = "127.0.0.1:0";
  bool reflection = true;
  int max_message_bytes = 16 << 20;
  // The transport's limit on a call's metadata. It sits well above the application's token limit
  // (8 KiB, common/auth.cc) so that an oversized token is refused alone, as UNAUTHENTICATED,
  // instead of failing at the transport, which would abort every stream of the connection.
  int max_metadata_bytes = 64 << 10;
};

class ServiceHost {
 public:
  explicit ServiceHost(ServerOptions options);
  ~ServiceHost();

  // Registers a service before Start; the host does not own it.
  void Register(grpc::Service* service);
  absl::Status Start();
  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  void SetServing(bool serving);
  // Stops accepting calls, lets calls in flight finish until `grace`, then cancels the rest.
  void Shutdown(absl::Duration grace);
  void Wait();
  grpc::Server* server() { return server_.get(); }

 private:
  ServerOptions options_;
  std::vector<grpc::Service*> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// Blocks SIGINT and SIGTERM in the calling thread and every thread it later starts; call first
// thing in main. WaitForTerminationSignal then returns the signal that arrived.
void BlockTerminationSignals();
int WaitForTerminationSignal();

}  // namespace rectify
