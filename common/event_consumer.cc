#include "common/event_consumer.h"

#include <deque>
#include <thread>

#include "common/logging.h"
#include "common/status.h"

namespace rectify {

absl::StatusOr<int64_t> EventConsumer::Cursor(absl::Time deadline) {
  ASSIGN_OR_RETURN(
      int64_t cursor,
      mysql::ReadFor<int64_t>(
          pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<int64_t> {
            auto rs =
                c.Query("SELECT cursor_value FROM consumer_cursors WHERE source = ?", source_);
            return rs->next() ? static_cast<int64_t>(rs->getInt64("cursor_value")) : int64_t{0};
          }));
  absl::MutexLock lock(&mu_);
  committed_ = std::max(committed_, cursor);
  return cursor;
}

absl::StatusOr<bool> EventConsumer::Handle(const v1::Event& event, absl::Time deadline) {
  ASSIGN_OR_RETURN(int applied, HandleBatch({event}, deadline));
  return applied > 0;
}

absl::StatusOr<int> EventConsumer::HandleBatch(const std::vector<v1::Event>& events,
                                               absl::Time deadline) {
  std::vector<const v1::Event*> applied;
  RETURN_IF_ERROR(pool_.Transact(deadline, [&](mysql::Tx& tx) -> absl::Status {
    applied.clear();  // a retried transaction starts again
    auto& c = tx.conn();
    c.Exec(
        "INSERT INTO consumer_cursors (source, cursor_value, update_time) "
        "VALUES (?, 0, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE source = source",
        source_);
    auto rs =
        c.Query("SELECT cursor_value FROM consumer_cursors WHERE source = ? FOR UPDATE", source_);
    rs->next();
    int64_t cursor = rs->getInt64("cursor_value");
    for (const auto& event : events) {
      if (event.cursor() <= cursor) continue;
      RETURN_IF_ERROR(apply_(tx, event));
      cursor = event.cursor();
      applied.push_back(&event);
    }
    if (applied.empty()) return absl::OkStatus();
    c.Exec(
        "UPDATE consumer_cursors SET cursor_value = ?, update_time = UTC_TIMESTAMP(6) "
        "WHERE source = ?",
        cursor, source_);
    return absl::OkStatus();
  }));
  absl::Time now = absl::Now();
  std::vector<double> lags;
  for (const v1::Event* event : applied) {
    absl::Time committed_at = absl::FromUnixSeconds(event->create_time().seconds()) +
                              absl::Nanoseconds(event->create_time().nanos());
    lags.push_back(absl::ToDoubleSeconds(now - committed_at));
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& event : events) {
      committed_ = std::max(committed_, event.cursor());
      seen_ = std::max(seen_, event.cursor());
    }
    if (!lags.empty()) last_lag_seconds_ = lags.back();
  }
  if (observe_) {
    for (double lag : lags) observe_(lag);
  }
  return static_cast<int>(applied.size());
}

struct EventConsumer::Inbox {
  absl::Mutex mu;
  std::deque<v1::Event> queue ABSL_GUARDED_BY(mu);
  bool ended ABSL_GUARDED_BY(mu) = false;
  bool closed ABSL_GUARDED_BY(mu) = false;  // the applier is done: stop reading
};

void EventConsumer::ReadInto(grpc::ClientReaderInterface<v1::Event>& reader, Inbox& inbox) {
  v1::Event event;
  while (reader.Read(&event)) {
    {
      absl::MutexLock lock(&mu_);
      seen_ = std::max(seen_, event.cursor());
    }
    absl::MutexLock lock(&inbox.mu);
    // A bounded backlog: the reader waits while the applier is a full batch ten times behind.
    auto room = [&inbox]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox.mu) {
      return inbox.closed || inbox.queue.size() < 10 * kBatch;
    };
    inbox.mu.Await(absl::Condition(&room));
    if (inbox.closed) break;
    inbox.queue.push_back(std::move(event));
  }
  absl::MutexLock lock(&inbox.mu);
  inbox.ended = true;
}

absl::StatusOr<int64_t> EventConsumer::Drain(Inbox& inbox) {
  int64_t applied = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return applied;
    }
    std::vector<v1::Event> batch;
    {
      absl::MutexLock lock(&inbox.mu);
      auto ready = [&inbox]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(inbox.mu) {
        return inbox.ended || !inbox.queue.empty();
      };
      inbox.mu.Await(absl::Condition(&ready));
      if (inbox.queue.empty()) return applied;  // ended, everything applied
      while (!inbox.queue.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(inbox.queue.front()));
        inbox.queue.pop_front();
      }
    }
    auto handled = HandleBatch(batch, absl::Now() + absl::Seconds(30));
    if (!handled.ok()) {
      log::Warn("events not applied; will retry from the committed cursor",
                {{"source", source_},
                 {"first_cursor", batch.front().cursor()},
                 {"last_cursor", batch.back().cursor()},
                 {"error", std::string(handled.status().message())}});
      return handled.status();
    }
    applied += *handled;
  }
}

ConsumerGauges EventConsumer::Progress() const {
  absl::MutexLock lock(&mu_);
  return ConsumerGauges{committed_, std::max(seen_, committed_), last_lag_seconds_};
}

void EventConsumer::Run(const OpenStream& open) {
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return;
    }
    auto cursor = Cursor(absl::Now() + absl::Seconds(10));
    grpc::Status status;
    if (cursor.ok()) {
      grpc::ClientContext ctx;
      {
        absl::MutexLock lock(&mu_);
        if (stopped_) return;
        active_ = &ctx;
      }
      v1::WatchEventsRequest req;
      req.set_after_cursor(*cursor);
      auto reader = open(&ctx, req);
      Inbox inbox;
      std::thread reading([&] { ReadInto(*reader, inbox); });
      auto applied = Drain(inbox);
      {
        absl::MutexLock lock(&inbox.mu);
        inbox.closed = true;  // a reader waiting for room stops
      }
      if (!applied.ok()) {
        ctx.TryCancel();
      } else if (*applied > 0) {
        backoff = absl::Milliseconds(100);  // it was working: reconnect soon
      }
      reading.join();
      status = reader->Finish();
      absl::MutexLock lock(&mu_);
      active_ = nullptr;
    }
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    log::Info("event stream interrupted; reconnecting",
              {{"source", source_},
               {"code", static_cast<int>(status.error_code())},
               {"backoff_ms", absl::ToInt64Milliseconds(backoff)}});
    // Waits out the backoff unless stopped first.
    auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopped_; };
    mu_.AwaitWithTimeout(absl::Condition(&stopped), backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
}

void EventConsumer::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (active_) active_->TryCancel();
}

bool EventConsumer::WaitForCursor(int64_t cursor, absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto reached = [this, cursor]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return committed_ >= cursor; };
  return mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
}

}  // namespace rectify
