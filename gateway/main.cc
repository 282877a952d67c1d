// gateway: HTTP/1.1 and JSON in front of the suite's three services, routed by their
// google.api.http annotations (see README.md).
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "boost/asio/io_context.hpp"
#include "common/config.h"
#include "common/logging.h"
#include "common/server.h"
#include "gateway/backends.h"
#include "gateway/fronted_services.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/routing/route_table.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:8080", "HTTP address");
ABSL_FLAG(std::string, issue_service, "127.0.0.1:50051", "issue-service address");
ABSL_FLAG(std::string, supervision_service, "127.0.0.1:50052",
          "supervision-service address (empty: not behind this gateway)");
ABSL_FLAG(std::string, accountability_service, "127.0.0.1:50053",
          "accountability-service address (empty: not behind this gateway)");
ABSL_FLAG(int, threads, 2, "threads serving HTTP");
ABSL_FLAG(int, max_connections, 10000, "open connections at most");
ABSL_FLAG(int, max_body_kib, 1024, "largest JSON body, in KiB");
ABSL_FLAG(int, read_timeout_seconds, 15, "a whole request must arrive within this");
ABSL_FLAG(int, idle_timeout_seconds, 75, "a kept-alive connection waits this long for more");
ABSL_FLAG(int, drain_seconds, 10, "on SIGTERM, how long answers in flight may take");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::gateway;
  BlockTerminationSignals();
  ParseFlagsWithEnvironment(argc, argv, "gateway: HTTP/JSON in front of the Rectify services");
  log::Init("gateway", absl::GetFlag(FLAGS_log_level));

  std::map<std::string, std::string> addresses;
  auto add = [&](const char* service, const std::string& address) {
    if (!address.empty()) addresses[service] = address;
  };
  add("rectify.v1.IssueRegistry", absl::GetFlag(FLAGS_issue_service));
  add("rectify.v1.Supervision", absl::GetFlag(FLAGS_supervision_service));
  add("rectify.v1.Accountability", absl::GetFlag(FLAGS_accountability_service));
  std::vector<std::string> services;
  for (const auto& service : FrontedServices()) {
    if (addresses.count(service)) services.push_back(service);
  }
  auto routes = RouteTable::FromServices(services);
  if (!routes.ok()) {
    log::Error("routes", {{"error", std::string(routes.status().message())}});
    return 1;
  }
  Backends backends(addresses);
  GatewayMetrics metrics;
  Gateway gateway(*routes, backends, metrics, GatewayOptions{});

  boost::asio::io_context io;
  HttpLimits limits;
  limits.max_connections = absl::GetFlag(FLAGS_max_connections);
  limits.body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_body_kib)) * 1024;
  limits.read_timeout = absl::Seconds(absl::GetFlag(FLAGS_read_timeout_seconds));
  limits.idle_timeout = absl::Seconds(absl::GetFlag(FLAGS_idle_timeout_seconds));
  HttpServer server(
      io, [&](HttpRequest&& r, std::shared_ptr<Exchange> e) { gateway.Handle(std::move(r), e); },
      limits);
  metrics.WatchConnections([&] { return server.open_connections(); });
  if (auto s = server.Listen(absl::GetFlag(FLAGS_listen)); !s.ok()) {
    log::Error("listen", {{"error", std::string(s.message())}});
    return 1;
  }
  log::Info("started",
            {{"port", server.port()}, {"routes", routes->routes().size()}, {"services", services}});

  std::vector<std::thread> threads;
  auto work = boost::asio::make_work_guard(io);
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_threads)); ++i) {
    threads.emplace_back([&] { io.run(); });
  }
  int signal = WaitForTerminationSignal();
  log::Info("draining", {{"signal", signal}, {"open", server.open_connections()}});
  server.Drain();
  absl::Time until = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  while (server.open_connections() > 0 && absl::Now() < until)
    absl::SleepFor(absl::Milliseconds(20));
  // Calls and streams still under way complete into the gateway: wait for them, cancel what
  // outlasts the drain, and wait for those completions too, before it goes.
  auto& in_flight = gateway.in_flight();
  if (!in_flight.WaitIdle(std::max(absl::ZeroDuration(), until - absl::Now()))) {
    in_flight.CancelAll();
    if (!in_flight.WaitIdle(absl::Seconds(5))) log::Warn("calls still under way at exit");
  }
  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  log::Info("stopped", {{"open", server.open_connections()}});
  return 0;
}
