// The transactional outbox and its live stream.
//
// A service appends an event in the same transaction as the change it describes. WatchEvents
// serves the outbox in cursor order, replaying from a cursor and then following live: a commit
// wakes the waiting streams (no polling), and a waiting stream holds no thread.
//
// Auto-increment cursors are allocated at INSERT, not at COMMIT, so a later cursor can become
// visible before an earlier one. Serving past such a hole would lose the earlier event for good.
// The EventLog therefore only serves up to a *horizon* below which every cursor is settled
// (committed or rolled back): it tracks the transactions of this process that are writing events.
// One process writes a service's outbox.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/mysql/pool.h"

namespace rectify {

struct OutboxEvent {
  int64_t cursor = 0;
  std::string type;       // "issue.created"
  std::string resource;   // "issues/42"
  std::string actor;      // token subject
  std::string actor_org;  // token org
  std::string payload_json;
  absl::Time create_time;
};

class EventLog {
 public:
  explicit EventLog(mysql::Pool& pool) : pool_(pool) {}

  // Reads the highest committed cursor; call once before serving.
  absl::Status Init(absl::Time deadline);

  // Inside a transaction: writes the event row and tracks it until the transaction ends.
  absl::StatusOr<int64_t> Append(mysql::Tx& tx, const OutboxEvent& event);
  // Several events, written with a few multi-row statements; returns their cursors in order.
  absl::StatusOr<std::vector<int64_t>> AppendAll(mysql::Tx& tx,
                                                 const std::vector<OutboxEvent>& events);

  // Up to `limit` events with cursor > after and <= the horizon, in order.
  absl::StatusOr<std::vector<OutboxEvent>> ReadAfter(int64_t after, int limit, absl::Time deadline);

  // Blocks until the horizon passes `after`, `until` arrives or Shutdown is called. Returns
  // whether there may be new events.
  bool WaitBeyond(int64_t after, absl::Time until);
  // Calls `wake` once, without blocking anyone: when the horizon passes `after` or the log shuts
  // down, from the thread that made it so (outside any lock), or at once if that has happened.
  // Returns an id for Unsubscribe.
  using Wake = absl::AnyInvocable<void() &&>;
  int64_t Subscribe(int64_t after, Wake wake);
  // True when the wake was removed before it ran: it never will.
  bool Unsubscribe(int64_t id);
  void Shutdown();
  bool IsShutdown() const;

  int64_t Horizon() const;

 private:
  struct Writer {
    int64_t floor = 0;  // committed_max_ when the writer began
    // The lowest and highest cursors its events took, once they are written.
    std::optional<int64_t> cursor;
    int64_t last = 0;
  };
  int64_t HorizonLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the wakes that are due; the caller runs them after unlocking.
  std::vector<Wake> DueWakesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  struct Subscriber {
    int64_t after;
    Wake wake;
  };

  mysql::Pool& pool_;
  mutable absl::Mutex mu_;
  int64_t committed_max_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int64_t, Writer> active_ ABSL_GUARDED_BY(mu_);
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
  int64_t next_subscriber_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<int64_t, Subscriber> subscribers_ ABSL_GUARDED_BY(mu_);
};

struct WatchOptions {
  int64_t after_cursor = 0;
  bool from_now = false;           // after_cursor is then the horizon when the watch begins
  std::vector<std::string> types;  // empty: all
  int batch_size = 500;
};

}  // namespace rectify
