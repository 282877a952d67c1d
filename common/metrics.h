// Prometheus metrics (prometheus-cpp from Debian): RPCs by method and code, latency histograms
// and connection-pool gauges, exposed over HTTP on the metrics port.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prometheus {
class Registry;
class Exposer;
}  // namespace prometheus

namespace rectify {
namespace mysql {
class Pool;
}

// The server's own capacity, read at every scrape.
struct RuntimeGauges {
  int workers = 0;
  int workers_busy = 0;
  int calls_queued = 0;
  int64_t calls_expired_in_queue = 0;
  int64_t calls_refused_busy = 0;
  int streams_open = 0;
  bool saturated = false;
};

// Where a consumer of another service's events stands, read at every scrape.
struct ConsumerGauges {
  int64_t cursor = 0;         // the last event applied
  int64_t source_cursor = 0;  // the newest event seen on the stream
  double lag_seconds = 0;     // from the event's commit to its effect, for the last one applied
};

class Metrics {
 public:
  explicit Metrics(absl::string_view service);
  ~Metrics();

  void RecordRpc(absl::string_view method, absl::StatusCode code, double seconds);
  // Reports the pool's open / in-use / waiting connections at every scrape.
  void WatchPool(const mysql::Pool* pool);
  // Reports the workers, their queue, the open streams and saturation at every scrape.
  void WatchRuntime(std::function<RuntimeGauges()> read);
  // Reports a consumer's cursor and lag (rectify_consumer_*{source=...}) at every scrape.
  void WatchConsumer(std::string source, std::function<ConsumerGauges()> read);
  // One event's time from its commit at the source to its effect here
  // (rectify_consumer_apply_lag_seconds{source=...}, a histogram).
  void RecordConsumerLag(const std::string& source, double seconds);
  // Serves /metrics on "host:port" (port 0 picks one). Returns the bound port.
  absl::StatusOr<int> Expose(const std::string& address);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rectify
