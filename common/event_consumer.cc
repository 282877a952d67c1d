#include "common/event_consumer.h"

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
  bool applied = false;
  RETURN_IF_ERROR(pool_.Transact(deadline, [&](mysql::Tx& tx) -> absl::Status {
    auto& c = tx.conn();
    c.Exec(
        "INSERT INTO consumer_cursors (source, cursor_value, update_time) "
        "VALUES (?, 0, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE source = source",
        source_);
    auto rs =
        c.Query("SELECT cursor_value FROM consumer_cursors WHERE source = ? FOR UPDATE", source_);
    rs->next();
    if (event.cursor() <= rs->getInt64("cursor_value")) return absl::OkStatus();
    RETURN_IF_ERROR(apply_(tx, event));
    c.Exec(
        "UPDATE consumer_cursors SET cursor_value = ?, update_time = UTC_TIMESTAMP(6) "
        "WHERE source = ?",
        event.cursor(), source_);
    applied = true;
    return absl::OkStatus();
  }));
  double lag = 0;
  if (applied) {
    absl::Time committed_at = absl::FromUnixSeconds(event.create_time().seconds()) +
                              absl::Nanoseconds(event.create_time().nanos());
    lag = absl::ToDoubleSeconds(absl::Now() - committed_at);
  }
  {
    absl::MutexLock lock(&mu_);
    committed_ = std::max(committed_, event.cursor());
    seen_ = std::max(seen_, event.cursor());
    if (applied) last_lag_seconds_ = lag;
  }
  if (applied && observe_) observe_(lag);
  return applied;
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
      v1::Event event;
      bool healthy = true;
      while (healthy && reader->Read(&event)) {
        {
          absl::MutexLock lock(&mu_);
          seen_ = std::max(seen_, event.cursor());
        }
        auto handled = Handle(event, absl::Now() + absl::Seconds(30));
        if (!handled.ok()) {
          log::Warn("event not applied; will retry from the committed cursor",
                    {{"source", source_},
                     {"cursor", event.cursor()},
                     {"error", std::string(handled.status().message())}});
          ctx.TryCancel();
          healthy = false;
        } else {
          backoff = absl::Milliseconds(100);
        }
      }
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
