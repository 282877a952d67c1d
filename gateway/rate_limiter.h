// Per-client token buckets, for the callers the gateway cannot tell apart by identity: requests
// without a token (the public portal). Each client (its address) may make `burst` requests at
// once and `rate` a second after that; a request over it is told how long to wait (429 with
// Retry-After). The table is bounded: when it is full, clients whose buckets have refilled are
// forgotten first (they would start full anyway), then the longest idle.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify::gateway {

struct RateLimit {
  double per_second = 5;
  double burst = 20;
  size_t max_clients = 100000;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Zero when `client` may go ahead now (a token is taken), else how long until it may.
  absl::Duration Take(const std::string& client, absl::Time now);

  size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  void Refill(Bucket& b, absl::Time now) const;
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  RateLimit limit_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::gateway
