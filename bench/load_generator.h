// A closed-loop load generator: N workers each keep one call in flight for a warm-up and then a
// measured period; it reports requests per second and latency percentiles.
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace rectify::bench {

struct LoadOptions {
  int in_flight = 16;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
};

struct LoadResult {
  double requests_per_second = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  int64_t ok = 0;
  int64_t errors = 0;
  std::string first_error;
};

// `call(worker, n)` makes the n-th call of a worker and returns its status.
LoadResult RunLoad(const LoadOptions& options,
                   const std::function<grpc::Status(int worker, int64_t n)>& call);

}  // namespace rectify::bench
