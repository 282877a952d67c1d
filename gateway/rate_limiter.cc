#include "gateway/rate_limiter.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace rectify::gateway {

void RateLimiter::Refill(Bucket& b, absl::Time now) const {
  double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - b.updated));
  b.tokens = std::min(limit_.burst, b.tokens + elapsed * limit_.per_second);
  b.updated = now;
}

void RateLimiter::MakeRoom(absl::Time now) {
  // First those that have refilled: forgetting them changes nothing.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Bucket copy = it->second;
    Refill(copy, now);
    it = copy.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < limit_.max_clients - limit_.max_clients / 8) return;
  // Still nearly full (a flood of distinct clients): the eighth idle longest goes at once, so
  // that this sweep is paid once per many new clients rather than for each.
  std::vector<std::pair<absl::Time, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [client, b] : buckets_) by_age.emplace_back(b.updated, client);
  size_t drop = std::max<size_t>(1, buckets_.size() / 8);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_age.end());
  for (size_t i = 0; i < drop; ++i) buckets_.erase(by_age[i].second);
}

absl::Duration RateLimiter::Take(const std::string& client, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_clients) MakeRoom(now);
    it = buckets_.emplace(client, Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return absl::ZeroDuration();
  }
  return absl::Seconds((1 - b.tokens) / limit_.per_second);
}

size_t RateLimiter::clients() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace rectify::gateway
