#include "common/outbox.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "common/mysql/row_batch.h"
#include "common/status.h"

namespace rectify {

absl::Status EventLog::Init(absl::Time deadline) {
  ASSIGN_OR_RETURN(
      int64_t max,
      mysql::ReadFor<int64_t>(pool_, deadline, [](mysql::Connection& c) -> absl::StatusOr<int64_t> {
        auto rs = c.Query("SELECT COALESCE(MAX(seq), 0) AS m FROM outbox");
        rs->next();
        return static_cast<int64_t>(rs->getInt64("m"));
      }));
  absl::MutexLock lock(&mu_);
  committed_max_ = std::max(committed_max_, max);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> EventLog::Append(mysql::Tx& tx, const OutboxEvent& event) {
  ASSIGN_OR_RETURN(auto cursors, AppendAll(tx, {event}));
  return cursors.front();
}

absl::StatusOr<std::vector<int64_t>> EventLog::AppendAll(mysql::Tx& tx,
                                                         const std::vector<OutboxEvent>& events) {
  std::vector<int64_t> cursors;
  if (events.empty()) return cursors;
  int64_t ticket;
  {
    absl::MutexLock lock(&mu_);
    ticket = next_ticket_++;
    active_[ticket] = Writer{committed_max_, std::nullopt, 0};
  }
  tx.OnFinish([this, ticket](bool committed) {
    std::vector<Wake> due;
    {
      absl::MutexLock lock(&mu_);
      auto it = active_.find(ticket);
      if (it == active_.end()) return;
      if (committed && it->second.cursor) {
        committed_max_ = std::max(committed_max_, it->second.last);
      }
      active_.erase(it);
      due = DueWakesLocked();
    }
    for (auto& wake : due) std::move(wake)();
  });
  mysql::RowBatch rows(
      "INSERT INTO outbox (event_type, resource, actor, actor_org, payload, create_time) VALUES ",
      "(?, ?, ?, ?, ?, ?)", " RETURNING seq");
  for (const auto& e : events) {
    rows.Add(e.type, e.resource, e.actor, e.actor_org, e.payload_json,
             mysql::FormatDateTime(e.create_time));
  }
  cursors.reserve(events.size());
  rows.Exec(tx.conn(), [&](sql::ResultSet& rs) { cursors.push_back(rs.getInt64("seq")); });
  absl::MutexLock lock(&mu_);
  // Until the transaction ends nothing at or past its first cursor may be served.
  Writer& w = active_[ticket];
  w.cursor = *std::min_element(cursors.begin(), cursors.end());
  w.last = *std::max_element(cursors.begin(), cursors.end());
  return cursors;
}

int64_t EventLog::HorizonLocked() const {
  int64_t horizon = committed_max_;
  for (const auto& [ticket, w] : active_) {
    horizon = std::min(horizon, w.cursor ? *w.cursor - 1 : w.floor);
  }
  return horizon;
}

int64_t EventLog::Horizon() const {
  absl::MutexLock lock(&mu_);
  return HorizonLocked();
}

absl::StatusOr<std::vector<OutboxEvent>> EventLog::ReadAfter(int64_t after, int limit,
                                                             absl::Time deadline) {
  int64_t horizon = Horizon();
  if (horizon <= after) return std::vector<OutboxEvent>{};
  return mysql::ReadFor<std::vector<OutboxEvent>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<OutboxEvent>> {
        auto rs = c.Query(
            "SELECT seq, event_type, resource, actor, actor_org, payload, create_time "
            "FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
            after, horizon, limit);
        std::vector<OutboxEvent> out;
        while (rs->next()) {
          OutboxEvent e;
          e.cursor = rs->getInt64("seq");
          e.type = rs->getString("event_type").asStdString();
          e.resource = rs->getString("resource").asStdString();
          e.actor = rs->getString("actor").asStdString();
          e.actor_org = rs->getString("actor_org").asStdString();
          e.payload_json = mysql::GetString(*rs, "payload");
          e.create_time = mysql::ParseDateTime(rs->getString("create_time").asStdString());
          out.push_back(std::move(e));
        }
        return out;
      });
}

bool EventLog::WaitBeyond(int64_t after, absl::Time until) {
  absl::MutexLock lock(&mu_);
  auto ready = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return shutdown_ || HorizonLocked() > after;
  };
  mu_.AwaitWithDeadline(absl::Condition(&ready), until);
  return !shutdown_ && HorizonLocked() > after;
}

std::vector<EventLog::Wake> EventLog::DueWakesLocked() {
  std::vector<Wake> due;
  if (subscribers_.empty()) return due;
  int64_t horizon = HorizonLocked();
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (shutdown_ || horizon > it->second.after) {
      due.push_back(std::move(it->second.wake));
      it = subscribers_.erase(it);
    } else {
      ++it;
    }
  }
  return due;
}

int64_t EventLog::Subscribe(int64_t after, Wake wake) {
  {
    absl::MutexLock lock(&mu_);
    if (!shutdown_ && HorizonLocked() <= after) {
      int64_t id = next_subscriber_++;
      subscribers_.emplace(id, Subscriber{after, std::move(wake)});
      return id;
    }
  }
  std::move(wake)();
  return 0;
}

bool EventLog::Unsubscribe(int64_t id) {
  absl::MutexLock lock(&mu_);
  return subscribers_.erase(id) > 0;
}

bool EventLog::IsShutdown() const {
  absl::MutexLock lock(&mu_);
  return shutdown_;
}

void EventLog::Shutdown() {
  std::vector<Wake> due;
  {
    absl::MutexLock lock(&mu_);
    shutdown_ = true;
    due = DueWakesLocked();
  }
  for (auto& wake : due) std::move(wake)();
}

}  // namespace rectify
