// The gateway as a whole: routes from the fronted services' descriptors, channels to them, the
// request handling and the HTTP server with its threads; started by main and by tests alike, and
// stopped with a drain.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "gateway/backends.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/routing/route_table.h"

namespace rectify::gateway {

struct GatewayConfig {
  // Service full name → address; a service not named is not fronted.
  std::map<std::string, std::string> addresses;
  std::string listen = "127.0.0.1:0";
  int threads = 2;
  HttpLimits limits;
  GatewayOptions options;
};

class GatewayServer {
 public:
  // Listening and serving when it returns.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(GatewayConfig config);
  // Stop(absl::ZeroDuration()) unless stopped.
  ~GatewayServer();

  // Stops accepting, lets the connections finish their answers within `drain` (streams are
  // ended), waits for the calls still under way (cancelling those that outlast the drain), then
  // stops the threads.
  void Stop(absl::Duration drain);
  // Only the drain's first step: stop accepting and end streams.
  void Drain() { server_->Drain(); }

  int port() const { return server_->port(); }
  int open_connections() const { return server_->open_connections(); }
  const RouteTable& routes() const { return routes_; }
  Gateway& gateway() { return *gateway_; }

 private:
  explicit GatewayServer(RouteTable routes, GatewayConfig config);

  GatewayConfig config_;
  RouteTable routes_;
  Backends backends_;
  GatewayMetrics metrics_;
  std::unique_ptr<Gateway> gateway_;
  boost::asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

}  // namespace rectify::gateway
