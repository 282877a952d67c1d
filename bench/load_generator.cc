#include "bench/load_generator.h"

#include <algorithm>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace rectify::bench {
namespace {

// One slot: a chain of calls, each started when the previous one finished.
struct Slot {
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;
  int64_t n = 0;
  absl::Time started;
};

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const StartCall& start) {
  const absl::Time begin = absl::Now();
  const absl::Time measure_from = begin + options.warmup;
  const absl::Time stop = measure_from + options.duration;
  std::vector<Slot> slots(options.in_flight);
  absl::Mutex mu;
  int running = options.in_flight;

  std::function<void(int)> next = [&](int s) {
    Slot& slot = slots[s];
    slot.started = absl::Now();
    if (slot.started >= stop) {
      absl::MutexLock lock(&mu);
      --running;
      return;
    }
    start(s, slot.n++, [&, s](const grpc::Status& status) {
      Slot& mine = slots[s];
      absl::Time end = absl::Now();
      if (mine.started >= measure_from) {
        if (status.ok()) {
          mine.latencies_ms.push_back(absl::ToDoubleMilliseconds(end - mine.started));
        } else {
          if (mine.errors++ == 0) mine.first_error = status.error_message();
        }
      }
      next(s);
    });
  };
  for (int s = 0; s < options.in_flight; ++s) {
    slots[s].latencies_ms.reserve(100000);
    next(s);
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* r) { return *r == 0; }, &running));
  }

  std::vector<double> all;
  LoadResult r;
  for (auto& slot : slots) {
    all.insert(all.end(), slot.latencies_ms.begin(), slot.latencies_ms.end());
    r.errors += slot.errors;
    if (r.first_error.empty()) r.first_error = slot.first_error;
  }
  std::sort(all.begin(), all.end());
  r.ok = static_cast<int64_t>(all.size());
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
