#include "common/metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <exception>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/mysql/pool.h"

namespace rectify {
namespace {

class PoolCollector : public prometheus::Collectable {
 public:
  PoolCollector(std::string service, const mysql::Pool* pool)
      : service_(std::move(service)), pool_(pool) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    auto stats = pool_->Stats();
    std::vector<prometheus::MetricFamily> out;
    auto gauge = [&](const char* name, const char* help, int value) {
      prometheus::MetricFamily f;
      f.name = name;
      f.help = help;
      f.type = prometheus::MetricType::Gauge;
      prometheus::ClientMetric m;
      m.label.push_back({"service", service_});
      m.gauge.value = value;
      f.metric.push_back(m);
      out.push_back(std::move(f));
    };
    gauge("rectify_db_pool_open", "Open database connections", stats.open);
    gauge("rectify_db_pool_in_use", "Database connections in use", stats.in_use);
    gauge("rectify_db_pool_waiting", "Callers waiting for a database connection", stats.waiting);
    gauge("rectify_db_pool_capacity", "Maximum database connections", stats.capacity);
    return out;
  }

 private:
  std::string service_;
  const mysql::Pool* pool_;
};

prometheus::MetricFamily Gauge(const std::string& service, const char* name, const char* help,
                               double value, prometheus::MetricType type) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  prometheus::ClientMetric m;
  m.label.push_back({"service", service});
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  f.metric.push_back(m);
  return f;
}

class RuntimeCollector : public prometheus::Collectable {
 public:
  RuntimeCollector(std::string service, std::function<RuntimeGauges()> read)
      : service_(std::move(service)), read_(std::move(read)) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    RuntimeGauges g = read_();
    constexpr auto kGauge = prometheus::MetricType::Gauge;
    constexpr auto kCounter = prometheus::MetricType::Counter;
    return {
        Gauge(service_, "rectify_workers", "Threads for blocking work", g.workers, kGauge),
        Gauge(service_, "rectify_workers_busy", "Workers running a call", g.workers_busy, kGauge),
        Gauge(service_, "rectify_calls_queued", "Calls waiting for a worker", g.calls_queued,
              kGauge),
        Gauge(service_, "rectify_calls_expired_in_queue_total",
              "Calls whose deadline passed while they waited for a worker",
              static_cast<double>(g.calls_expired_in_queue), kCounter),
        Gauge(service_, "rectify_calls_refused_busy_total",
              "Calls refused because the queue was full", static_cast<double>(g.calls_refused_busy),
              kCounter),
        Gauge(service_, "rectify_streams_open", "Open streams", g.streams_open, kGauge),
        Gauge(service_, "rectify_saturated",
              "1 while the service refuses work for lack of capacity (health NOT_SERVING)",
              g.saturated ? 1 : 0, kGauge),
    };
  }

 private:
  std::string service_;
  std::function<RuntimeGauges()> read_;
};

class ConsumerCollector : public prometheus::Collectable {
 public:
  ConsumerCollector(std::string service, std::string source, std::function<ConsumerGauges()> read)
      : service_(std::move(service)), source_(std::move(source)), read_(std::move(read)) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    ConsumerGauges g = read_();
    auto gauge = [&](const char* name, const char* help, double value) {
      prometheus::MetricFamily f =
          Gauge(service_, name, help, value, prometheus::MetricType::Gauge);
      f.metric[0].label.push_back({"source", source_});
      return f;
    };
    return {
        gauge("rectify_consumer_cursor", "The last event of the source applied",
              static_cast<double>(g.cursor)),
        gauge("rectify_consumer_lag_events", "Events of the source seen and not yet applied",
              static_cast<double>(std::max<int64_t>(0, g.source_cursor - g.cursor))),
        gauge("rectify_consumer_lag_seconds",
              "From the last applied event's commit at the source to its effect here",
              g.lag_seconds),
    };
  }

 private:
  std::string service_;
  std::string source_;
  std::function<ConsumerGauges()> read_;
};

}  // namespace

struct Metrics::Impl {
  std::string service;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>* rpcs = nullptr;
  prometheus::Family<prometheus::Histogram>* latency = nullptr;
  prometheus::Family<prometheus::Histogram>* consumer_lag = nullptr;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectors;
  std::unique_ptr<prometheus::Exposer> exposer;
  absl::Mutex mu;
  absl::flat_hash_map<std::string, prometheus::Histogram*> latency_by_method ABSL_GUARDED_BY(mu);
  absl::flat_hash_map<std::string, prometheus::Histogram*> consumer_lag_by_source
      ABSL_GUARDED_BY(mu);
  absl::flat_hash_map<std::pair<std::string, absl::StatusCode>, prometheus::Counter*>
      rpcs_by_method_code ABSL_GUARDED_BY(mu);
};

Metrics::Metrics(absl::string_view service) : impl_(std::make_unique<Impl>()) {
  impl_->service = std::string(service);
  impl_->rpcs = &prometheus::BuildCounter()
                     .Name("rectify_rpcs_total")
                     .Help("RPCs handled, by method and status code")
                     .Register(*impl_->registry);
  impl_->latency = &prometheus::BuildHistogram()
                        .Name("rectify_rpc_latency_seconds")
                        .Help("RPC handling latency, by method")
                        .Register(*impl_->registry);
  impl_->consumer_lag = &prometheus::BuildHistogram()
                             .Name("rectify_consumer_apply_lag_seconds")
                             .Help("From an event's commit at its source to its effect here")
                             .Register(*impl_->registry);
}

Metrics::~Metrics() = default;

void Metrics::RecordRpc(absl::string_view method, absl::StatusCode code, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  prometheus::Histogram* latency;
  prometheus::Counter* counter;
  {
    // Label lookups in prometheus-cpp hash the whole label set; the handles are kept instead.
    absl::MutexLock lock(&impl_->mu);
    auto& h = impl_->latency_by_method[method];
    if (h == nullptr) {
      h = &impl_->latency->Add({{"service", impl_->service}, {"method", std::string(method)}},
                               kBuckets);
    }
    latency = h;
    auto& c = impl_->rpcs_by_method_code[std::make_pair(std::string(method), code)];
    if (c == nullptr) {
      c = &impl_->rpcs->Add({{"service", impl_->service},
                             {"method", std::string(method)},
                             {"code", absl::StatusCodeToString(code)}});
    }
    counter = c;
  }
  latency->Observe(seconds);
  counter->Increment();
}

void Metrics::WatchPool(const mysql::Pool* pool) {
  auto collector = std::make_shared<PoolCollector>(impl_->service, pool);
  impl_->collectors.push_back(collector);
  if (impl_->exposer) impl_->exposer->RegisterCollectable(collector);
}

void Metrics::WatchRuntime(std::function<RuntimeGauges()> read) {
  auto collector = std::make_shared<RuntimeCollector>(impl_->service, std::move(read));
  impl_->collectors.push_back(collector);
  if (impl_->exposer) impl_->exposer->RegisterCollectable(collector);
}

void Metrics::WatchConsumer(std::string source, std::function<ConsumerGauges()> read) {
  auto collector =
      std::make_shared<ConsumerCollector>(impl_->service, std::move(source), std::move(read));
  impl_->collectors.push_back(collector);
  if (impl_->exposer) impl_->exposer->RegisterCollectable(collector);
}

void Metrics::RecordConsumerLag(const std::string& source, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30};
  prometheus::Histogram* h;
  {
    absl::MutexLock lock(&impl_->mu);
    auto& slot = impl_->consumer_lag_by_source[source];
    if (slot == nullptr) {
      slot = &impl_->consumer_lag->Add({{"service", impl_->service}, {"source", source}}, kBuckets);
    }
    h = slot;
  }
  h->Observe(seconds);
}

absl::StatusOr<int> Metrics::Expose(const std::string& address) {
  try {
    impl_->exposer = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  impl_->exposer->RegisterCollectable(impl_->registry);
  for (const auto& c : impl_->collectors) impl_->exposer->RegisterCollectable(c);
  auto ports = impl_->exposer->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace rectify
