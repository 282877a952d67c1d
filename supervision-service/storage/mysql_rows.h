// What supervision's MySQL stores share: the tables' row mappings, the record's lock and store
// with its board counts, the escalation counters, obligations' storage, scope clauses. Internal
// to storage/ (the only place supervision's SQL lives).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/history_chain.h"
#include "common/mysql/pool.h"
#include "common/mysql/where.h"
#include "common/outbox.h"
#include "supervision-service/domain/access.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// The kind of delivery a TRANSFER owes (common/mysql/delivery_intents.h): owner = the
// escalation, target = its issue.
inline constexpr char kCaseDeliveries[] = "accountability.open_case";

// The schema's connections and outbox, shared by its stores.
struct SupervisionTables {
  explicit SupervisionTables(mysql::Pool& p) : pool(p), events(p) {}
  mysql::Pool& pool;
  EventLog events;
  // Called after a transaction that stored a transfer's delivery intent commits.
  std::function<void()> on_transfer;
};

namespace rows {

using mysql::Binder;
using mysql::Connection;
using mysql::Tx;
using mysql::Where;

// Counter rows per key, to spread concurrent increments.
inline constexpr int kShards = 16;
// Rows written per transaction by the sweep's batches.
inline constexpr size_t kRaiseChunk = 200;
inline constexpr char kRecordColumns[] =
    "issue_id, light, version, body, history_seq, history_hash";
inline constexpr char kEscalationColumns[] = "id, version, body, history_seq, history_hash";

int ToInt(auto e) { return static_cast<int>(e); }
std::optional<std::string> OptionalDate(const std::string& d);
std::optional<std::string> OptionalTime(const std::optional<absl::Time>& t);
std::optional<absl::Time> TimeColumn(sql::ResultSet& rs, const char* column);

// ---- Records
struct LockedRecord {
  SupervisionRecord record;
  HistoryHead head;
};
absl::StatusOr<SupervisionRecord> RecordFromRow(sql::ResultSet& rs);
absl::StatusOr<std::optional<LockedRecord>> LockRecord(Connection& c, int64_t issue_id);
// The records of those issues that have one, locked, by issue.
absl::StatusOr<std::map<int64_t, LockedRecord>> LockRecords(Connection& c,
                                                            std::vector<int64_t> issue_ids);

// Changes to the board's counters (records by region, state and light; open deadlines; escalations
// by region and level), summed in memory and written with a few statements.
class CounterChanges {
 public:
  // A record's counts added (`delta` +1) or taken away (-1).
  void Add(const SupervisionRecord& r, int delta);
  void AddEscalation(const Escalation& e, int delta);
  void Write(Connection& c) const;

 private:
  std::map<std::tuple<std::string, int, int, int>, int64_t> records_;
  std::map<std::pair<std::string, std::string>, int64_t> deadlines_;
  std::map<std::tuple<std::string, int, int>, int64_t> escalations_;
};
void Count(Connection& c, const SupervisionRecord& r, int delta);
void CountEscalation(Connection& c, const Escalation& e, int delta);

// A record to store: `after` (inserted when `before` is absent) under its chain's new head.
struct RecordWrite {
  std::optional<SupervisionRecord> before;
  SupervisionRecord after;
  HistoryHead head;
};
// Stores the records with their counts; the caller records history.
void StoreRecords(Connection& c, const std::vector<RecordWrite>& writes);
void StoreRecord(Connection& c, const std::optional<SupervisionRecord>& before,
                 const SupervisionRecord& after, const HistoryHead& head);
// A listing's scope as terms of `w`: `org_sql` has `org_params` placeholders for the org.
void AddScope(Where& w, const Scope& scope, const char* region_column, const char* org_sql,
              int org_params);

// ---- Escalations
absl::StatusOr<Escalation> EscalationFromRow(sql::ResultSet& rs);
absl::StatusOr<std::vector<Escalation>> ReadEscalations(Connection& c, const std::string& sql,
                                                        const std::vector<Binder>& b);
// 1 while open (the unique key's slot), NULL once settled.
std::optional<int> OpenSlot(EscalationState s);
std::string EscalationsAnswer(const std::vector<Escalation>& raised);
absl::StatusOr<std::vector<Escalation>> EscalationsFromAnswer(const std::string& text);

// ---- Obligations, linkage, meetings, the policy
absl::StatusOr<Obligation> ObligationFromRow(sql::ResultSet& rs);
// Stores `o` (inserted when `insert`) with its history record and event `event_type`.
void StoreObligation(Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                     Obligation& o, const std::string& event_type, bool insert,
                     std::optional<HistoryHead> head);
absl::StatusOr<LinkageRequest> LinkageFromRow(sql::ResultSet& rs);
absl::StatusOr<Directive> DirectiveFromRow(sql::ResultSet& rs);
absl::StatusOr<Meeting> MeetingFromRow(Connection& c, sql::ResultSet& rs);
absl::StatusOr<EscalationPolicy> PolicyFromRow(sql::ResultSet& rs);

}  // namespace rows
}  // namespace rectify::supervision
