#include "bench/load_generator.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace rectify::bench {

LoadResult RunLoad(const LoadOptions& options,
                   const std::function<grpc::Status(int, int64_t)>& call) {
  const absl::Time start = absl::Now();
  const absl::Time measure_from = start + options.warmup;
  const absl::Time stop = measure_from + options.duration;
  std::vector<std::vector<double>> latencies(options.in_flight);
  std::atomic<int64_t> errors{0};
  absl::Mutex mu;
  std::string first_error;
  std::vector<std::thread> workers;
  for (int w = 0; w < options.in_flight; ++w) {
    workers.emplace_back([&, w] {
      auto& mine = latencies[w];
      mine.reserve(100000);
      for (int64_t n = 0;; ++n) {
        absl::Time t0 = absl::Now();
        if (t0 >= stop) break;
        grpc::Status s = call(w, n);
        absl::Time t1 = absl::Now();
        if (t0 < measure_from) continue;
        if (!s.ok()) {
          ++errors;
          absl::MutexLock lock(&mu);
          if (first_error.empty()) first_error = s.error_message();
          continue;
        }
        mine.push_back(absl::ToDoubleMilliseconds(t1 - t0));
      }
    });
  }
  for (auto& t : workers) t.join();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  LoadResult r;
  r.ok = static_cast<int64_t>(all.size());
  r.errors = errors;
  r.first_error = first_error;
  r.requests_per_second = r.ok / absl::ToDoubleSeconds(options.duration);
  auto pct = [&](double p) {
    return all.empty() ? 0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  r.p50_ms = pct(0.50);
  r.p90_ms = pct(0.90);
  r.p99_ms = pct(0.99);
  r.max_ms = all.empty() ? 0 : all.back();
  return r;
}

}  // namespace rectify::bench
