#include "common/mysql/delivery_intents.h"

#include "common/status.h"

namespace rectify::mysql {
namespace {

// The stored states: pending until settled one way or the other.
enum class Stored { kPending = 1, kDelivered = 2, kSkipped = 3 };

int ToInt(Stored s) { return static_cast<int>(s); }

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

}  // namespace

void StoredDeliveries::Add(Tx& tx, const std::string& kind, const DeliveryIntent& intent,
                           absl::Time now) {
  tx.conn().Exec(
      "INSERT IGNORE INTO delivery_intents (kind, owner_id, target_id, state, attempts, "
      "last_error, next_attempt, create_time) VALUES (?, ?, ?, ?, 0, '', ?, ?)",
      kind, intent.owner_id, intent.target_id, ToInt(Stored::kPending), FormatDateTime(now),
      FormatDateTime(now));
}

absl::StatusOr<std::vector<DeliveryIntent>> StoredDeliveries::Due(absl::Time now, int limit) {
  return ReadFor<std::vector<DeliveryIntent>>(
      pool_, Deadline(), [&](Connection& c) -> absl::StatusOr<std::vector<DeliveryIntent>> {
        auto rs = c.Query(
            "SELECT owner_id, target_id FROM delivery_intents WHERE kind = ? AND state = ? AND "
            "next_attempt <= ? ORDER BY next_attempt LIMIT ?",
            kind_, ToInt(Stored::kPending), FormatDateTime(now), limit);
        std::vector<DeliveryIntent> out;
        while (rs->next()) out.push_back({rs->getInt64("owner_id"), rs->getInt64("target_id")});
        return out;
      });
}

bool StoredDeliveries::RecordIn(Tx& tx, const std::string& kind, const DeliveryIntent& intent,
                                const DeliveryResult& result, absl::Time now) {
  Stored state = result.outcome == DeliveryOutcome::kDelivered ? Stored::kDelivered
                 : result.outcome == DeliveryOutcome::kSkipped ? Stored::kSkipped
                                                               : Stored::kPending;
  absl::Time next = result.outcome == DeliveryOutcome::kRetry ? result.next_attempt : now;
  // Only a pending intent changes: one settled meanwhile stays as it was.
  tx.conn().Exec(
      "UPDATE delivery_intents SET state = ?, attempts = attempts + 1, last_error = ?, "
      "next_attempt = ? WHERE kind = ? AND owner_id = ? AND target_id = ? AND state = ?",
      ToInt(state), result.error, FormatDateTime(next), kind, intent.owner_id, intent.target_id,
      ToInt(Stored::kPending));
  return state != Stored::kPending;
}

absl::StatusOr<bool> StoredDeliveries::Record(const DeliveryIntent& intent,
                                              const DeliveryResult& result, absl::Time now) {
  return TransactFor<bool>(pool_, Deadline(), [&](Tx& tx) -> absl::StatusOr<bool> {
    return RecordIn(tx, kind_, intent, result, now);
  });
}

int StoredDeliveries::Attempts(const DeliveryIntent& intent) {
  auto n = ReadFor<int>(pool_, Deadline(), [&](Connection& c) -> absl::StatusOr<int> {
    auto rs = c.Query(
        "SELECT attempts FROM delivery_intents WHERE kind = ? AND owner_id = ? AND target_id = ?",
        kind_, intent.owner_id, intent.target_id);
    return rs->next() ? rs->getInt("attempts") : 0;
  });
  return n.ok() ? *n : 0;
}

}  // namespace rectify::mysql
