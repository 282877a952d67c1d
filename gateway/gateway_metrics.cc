#include "gateway/gateway_metrics.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace rectify::gateway {

struct GatewayMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests = prometheus::BuildCounter()
                                                          .Name("rectify_gateway_requests_total")
                                                          .Help("HTTP requests by route and status")
                                                          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("rectify_gateway_request_seconds")
          .Help("HTTP request latency by route, until the answer is handed to the connection")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& gauges =
      prometheus::BuildGauge()
          .Name("rectify_gateway_open")
          .Help(
              "open HTTP connections (kind=connections) and event-stream subscribers "
              "(kind=streams)")
          .Register(*registry);
  prometheus::Gauge& connections = gauges.Add({{"kind", "connections"}});
  prometheus::Gauge& streams = gauges.Add({{"kind", "streams"}});
  std::mutex mu;
  std::function<int()> open_connections;
};

GatewayMetrics::GatewayMetrics() : impl_(std::make_unique<Impl>()) {}
GatewayMetrics::~GatewayMetrics() = default;

void GatewayMetrics::RecordRequest(absl::string_view route, unsigned status, double seconds) {
  std::string r(route);
  impl_->requests.Add({{"route", r}, {"status", absl::StrCat(status)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};
  impl_->latency.Add({{"route", r}}, kBuckets).Observe(seconds);
}

void GatewayMetrics::WatchConnections(std::function<int()> open) {
  std::lock_guard lock(impl_->mu);
  impl_->open_connections = std::move(open);
}

void GatewayMetrics::StreamOpened() { impl_->streams.Increment(); }
void GatewayMetrics::StreamClosed() { impl_->streams.Decrement(); }

std::string GatewayMetrics::Scrape() const {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->open_connections) impl_->connections.Set(impl_->open_connections());
  }
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace rectify::gateway
