#include "common/reliable_delivery.h"

#include <algorithm>

#include "common/logging.h"

namespace rectify {

bool ReliableDispatcher::IsPermanent(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) || absl::IsNotFound(s) || absl::IsInvalidArgument(s);
}

absl::Duration ReliableDispatcher::Backoff(int attempts_so_far) {
  return std::min(absl::Seconds(1) * (1 << std::min(std::max(attempts_so_far, 0), 9)),
                  absl::Minutes(5));
}

absl::StatusOr<int> ReliableDispatcher::RunOnce(absl::Time now) {
  auto due = book_.Due(now, 50);
  if (!due.ok()) return due.status();
  int settled = 0;
  for (const auto& intent : *due) {
    absl::Status answer = deliver_(intent);
    DeliveryResult result;
    if (answer.ok()) {
      result.outcome = DeliveryOutcome::kDelivered;
    } else {
      result.error = std::string(answer.message());
      if (IsPermanent(answer)) {
        result.outcome = DeliveryOutcome::kSkipped;
      } else {
        result.outcome = DeliveryOutcome::kRetry;
        result.next_attempt = now + Backoff(book_.Attempts(intent) + 1);
        log::Warn(
            absl::StrCat(what_, " not delivered yet"),
            {{"owner", intent.owner_id}, {"target", intent.target_id}, {"error", result.error}});
      }
    }
    auto recorded = book_.Record(intent, result, now);
    if (recorded.ok() && *recorded) ++settled;
  }
  return settled;
}

void ReliableDispatcher::Run(absl::Duration poll) {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopped_ || notified_; };
      mu_.AwaitWithTimeout(absl::Condition(&wake), poll);
      if (stopped_) return;
      notified_ = false;
    }
    auto done = RunOnce(absl::Now());
    if (!done.ok()) {
      log::Warn(absl::StrCat(what_, " dispatcher"),
                {{"error", std::string(done.status().message())}});
    }
  }
}

void ReliableDispatcher::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void ReliableDispatcher::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
}

}  // namespace rectify
