#include "gateway/gateway_server.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "common/logging.h"
#include "gateway/fronted_services.h"

namespace rectify::gateway {

GatewayServer::GatewayServer(RouteTable routes, GatewayConfig config)
    : config_(std::move(config)), routes_(std::move(routes)), backends_(config_.addresses) {}

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(GatewayConfig config) {
  std::vector<std::string> services;
  for (const auto& service : FrontedServices()) {
    if (config.addresses.count(service) > 0) services.push_back(service);
  }
  auto routes = RouteTable::FromServices(services);
  if (!routes.ok()) return routes.status();
  std::unique_ptr<GatewayServer> s(new GatewayServer(*std::move(routes), std::move(config)));
  auto gateway = Gateway::Create(s->routes_, s->backends_, s->metrics_, s->config_.options);
  if (!gateway.ok()) return gateway.status();
  s->gateway_ = *std::move(gateway);
  Gateway* g = s->gateway_.get();
  s->server_ = std::make_unique<HttpServer>(
      s->io_, [g](HttpRequest&& r, std::shared_ptr<Exchange> e) { g->Handle(std::move(r), e); },
      s->config_.limits, [g](const RequestHead& head) { return g->StreamsBody(head); });
  HttpServer* server = s->server_.get();
  s->metrics_.WatchConnections([server] { return server->open_connections(); });
  if (auto listened = s->server_->Listen(s->config_.listen); !listened.ok()) return listened;
  s->work_ =
      std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          s->io_.get_executor());
  for (int i = 0; i < std::max(1, s->config_.threads); ++i) {
    s->threads_.emplace_back([io = &s->io_] { io->run(); });
  }
  log::Info("started",
            {{"port", s->port()}, {"routes", s->routes_.routes().size()}, {"services", services}});
  return s;
}

GatewayServer::~GatewayServer() { Stop(absl::ZeroDuration()); }

void GatewayServer::Stop(absl::Duration drain) {
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr) {
    server_->Drain();
    absl::Time until = absl::Now() + drain;
    while (server_->open_connections() > 0 && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  // Calls and streams still under way complete into the gateway: wait for them, cancel what
  // outlasts the drain, and wait for those completions too, before it goes.
  if (gateway_ != nullptr) {
    auto& in_flight = gateway_->in_flight();
    if (!in_flight.WaitIdle(std::max(absl::ZeroDuration(), drain))) {
      in_flight.CancelAll();
      if (!in_flight.WaitIdle(absl::Seconds(30))) log::Warn("calls still under way at exit");
    }
  }
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace rectify::gateway
