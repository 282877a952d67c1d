// The gateway's Prometheus metrics, served on its own /metrics: requests by route and status,
// latency by route, open connections and stream subscribers.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace rectify::gateway {

class GatewayMetrics {
 public:
  GatewayMetrics();
  ~GatewayMetrics();

  // `route` is the template ("GET /v1/issues/{id}"), never the raw path: bounded label values.
  void RecordRequest(absl::string_view route, unsigned status, double seconds);
  void WatchConnections(std::function<int()> open);
  void StreamOpened();
  void StreamClosed();
  // The text exposition format.
  std::string Scrape() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rectify::gateway
