// The fixed set of threads that run blocking work (database calls, calls to other services) for
// the callback-API server, whose own threads must never block.
//
// Contract:
// - `threads` threads are started once and live as long as the object; no thread is created per
//   call. Size them like the connection pool: a worker holds at most one connection at a time.
// - Work waits in a queue per owner (a caller's principal) and owners are served in turn, so one
//   caller with many calls in the queue delays the others by at most one item each round.
// - Queued work waits within its deadline instead of being refused: an item whose deadline has
//   passed when its turn comes is run with DEADLINE_EXCEEDED (quickly, so it can finish its call).
// - Only beyond `max_queued` items is new work refused (RESOURCE_EXHAUSTED); the pool then
//   reports itself saturated until the queue has drained to half of that.
// - One owner may have at most `max_queued_per_owner` items waiting: a caller that floods the
//   queue is refused alone (RESOURCE_EXHAUSTED, CALLER_BUSY), so it cannot fill the queue for
//   everyone else.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify {

struct WorkerStats {
  int threads = 0;
  int busy = 0;
  int queued = 0;
  int64_t expired = 0;  // items whose deadline passed in the queue
  int64_t refused = 0;  // items refused because the queue was full
  bool saturated = false;
};

class BlockingWorkers {
 public:
  // Called with the status of the turn: OK to do the work, DEADLINE_EXCEEDED when the deadline
  // passed in the queue, CANCELLED when the workers shut down before the turn came.
  using Work = absl::AnyInvocable<void(absl::Status turn) &&>;

  BlockingWorkers(int threads, int max_queued, int max_queued_per_owner);
  ~BlockingWorkers();  // Stop()
  // Runs what is queued with SHUTTING_DOWN and joins the threads; afterwards nothing the workers
  // held (a stream's last reference) outlives the call. Idempotent.
  void Stop();
  BlockingWorkers(const BlockingWorkers&) = delete;
  BlockingWorkers& operator=(const BlockingWorkers&) = delete;

  // Queues `work` for `owner`. RESOURCE_EXHAUSTED (and `work` is dropped unrun) when the queue is
  // full.
  absl::Status Submit(absl::string_view owner, absl::Time deadline, Work work);

  WorkerStats Stats() const;
  // Called (outside the lock, on the thread that changed it) when saturation starts or ends.
  void OnSaturationChange(std::function<void(bool saturated)> listener);

 private:
  struct Item {
    absl::Time deadline;
    Work work;
  };
  void Loop();
  // Takes the next item, serving owners in turn; false once shutting down and empty.
  bool Next(Item* item);

  const int max_queued_;
  const int max_queued_per_owner_;
  mutable absl::Mutex mu_;
  absl::CondVar ready_;
  absl::flat_hash_map<std::string, std::deque<Item>> queues_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> turns_ ABSL_GUARDED_BY(mu_);  // owners with queued work, in turn
  int queued_ ABSL_GUARDED_BY(mu_) = 0;
  int busy_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t expired_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
  bool saturated_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void(bool)> listener_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

}  // namespace rectify
