// Reliable delivery of what one service owes another (a reopening to the issue registry, an
// accountability case to open for a transfer): the intent is stored in the same transaction as
// the change that makes it, so it survives a crash of either side, and a dispatcher delivers it
// until the other side confirms, with the same request every time (so the receiver answers a
// repeat without a second effect).
//
// The service keeps its intents where it likes (DeliveryBook); the dispatcher owns the policy:
// what is due is attempted, a confirmation settles it as delivered, an answer that asking again
// would not change (FAILED_PRECONDITION, NOT_FOUND, INVALID_ARGUMENT) settles it as skipped with
// the reason kept, anything else is retried later with exponential backoff (1 s doubling to
// 5 min). It wakes when told that something was stored, and polls as a fallback.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify {

// One intent: which record of the sender owes what to which resource of the receiver.
struct DeliveryIntent {
  int64_t owner_id = 0;   // e.g. the case that decided
  int64_t target_id = 0;  // e.g. the issue to reopen
};

enum class DeliveryOutcome { kDelivered, kSkipped, kRetry };

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kRetry;
  std::string error;        // the receiver's answer when not delivered
  absl::Time next_attempt;  // with kRetry
};

// Where a service keeps its intents.
class DeliveryBook {
 public:
  virtual ~DeliveryBook() = default;
  // Intents pending and due by `now`, at most `limit`.
  virtual absl::StatusOr<std::vector<DeliveryIntent>> Due(absl::Time now, int limit) = 0;
  // Records an attempt's result with the intent (in the owner's history, where it has one).
  // Returns whether the intent is settled now (delivered or skipped).
  virtual absl::StatusOr<bool> Record(const DeliveryIntent& intent, const DeliveryResult& result,
                                      absl::Time now) = 0;
  // How many attempts the intent has had (for the backoff).
  virtual int Attempts(const DeliveryIntent& intent) = 0;
};

class ReliableDispatcher {
 public:
  using Deliver = std::function<absl::Status(const DeliveryIntent&)>;

  // `what` names the deliveries in log lines ("reopening").
  ReliableDispatcher(std::string what, DeliveryBook& book, Deliver deliver)
      : what_(std::move(what)), book_(book), deliver_(std::move(deliver)) {}

  // Attempts what is due now; returns how many intents were settled.
  absl::StatusOr<int> RunOnce(absl::Time now);
  // Loops until Stop(): wakes on Notify() (an intent was stored) or every `poll`.
  void Run(absl::Duration poll);
  void Notify();
  void Stop();

  // The policy, for the book and for tests.
  static bool IsPermanent(const absl::Status& answer);
  static absl::Duration Backoff(int attempts_so_far);

 private:
  const std::string what_;
  DeliveryBook& book_;
  Deliver deliver_;
  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace rectify
