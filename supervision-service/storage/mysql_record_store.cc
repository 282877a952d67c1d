#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/change_record.h"
#include "common/clock.h"
#include "common/mysql/delivery_intents.h"
#include "common/mysql/idempotency.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/storage/mysql_supervision_store.h"

namespace rectify::supervision {

using namespace rows;  // NOLINT: the schema's shared row helpers

absl::Status MysqlRecordStore::ApplyIssueEvent(Tx& tx, const IssueEvent& e,
                                               const RecordKeeper& keeper) {
  if (!e.issue) return absl::OkStatus();
  auto& c = tx.conn();
  ASSIGN_OR_RETURN(auto locked, LockRecord(c, e.issue->id));
  std::optional<SupervisionRecord> current;
  HistoryHead head;
  if (locked) {
    current = locked->record;
    head = locked->head;
  }
  std::vector<Obligation> obligations;
  auto rs = c.Query("SELECT id, version, body FROM obligations WHERE issue_id = ? FOR UPDATE",
                    e.issue->id);
  while (rs->next()) {
    ASSIGN_OR_RETURN(Obligation o, ObligationFromRow(*rs));
    obligations.push_back(std::move(o));
  }
  auto p = c.Query("SELECT version, body FROM policies ORDER BY version DESC LIMIT 1");
  EscalationPolicy policy = DefaultPolicy();
  if (p->next()) {
    ASSIGN_OR_RETURN(policy, PolicyFromRow(*p));
  }
  RecordUpdate change = keeper.Apply(current, obligations, e, policy);
  if (!change.record || change.event_type.empty()) return absl::OkStatus();
  SupervisionRecord& after = *change.record;
  after.version = current ? current->version + 1 : 1;
  // The registry's service acts here; its event's actor is kept in the payload.
  Principal actor{"supervision-service", e.actor_org, Role::kService, ""};
  nlohmann::json payload = ToJson(after);
  payload["issue_event"] = {{"type", e.type}, {"cursor", e.cursor}};
  HistoryHead h =
      RecordChange(tx, events_, actor, e.time, RecordResource(after.issue.id), change.event_type,
                   Dump(payload), current ? std::optional<HistoryHead>(head) : HistoryHead{});
  StoreRecord(c, current, after, h);
  for (auto& o : change.new_obligations) {
    StoreObligation(tx, events_, actor, e.time, o, "supervision.obligation_created", true,
                    std::nullopt);
  }
  for (auto& o : change.met_obligations) {
    o.version += 1;
    StoreObligation(tx, events_, actor, e.time, o, "supervision.obligation_met", false,
                    std::nullopt);
  }
  return absl::OkStatus();
}

absl::StatusOr<SupervisionRecord> MysqlRecordStore::GetRecord(int64_t issue_id,
                                                              absl::Time deadline) {
  return mysql::ReadFor<SupervisionRecord>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<SupervisionRecord> {
        auto rs = c.Query(
            absl::StrCat("SELECT ", kRecordColumns, " FROM records WHERE issue_id = ?"), issue_id);
        if (!rs->next()) return NotFoundError(RecordResource(issue_id));
        return RecordFromRow(*rs);
      });
}

absl::StatusOr<std::vector<SupervisionRecord>> MysqlRecordStore::ListRecords(
    const RecordQuery& q, const Scope& scope, int64_t after_id, int limit, absl::Time deadline) {
  Where w;
  w.Add("r.issue_id > ?");
  w.Num(after_id);
  if (scope.transfers_only) return std::vector<SupervisionRecord>{};
  AddScope(w, scope, "r.region_code",
           "r.issue_id IN (SELECT o.issue_id FROM record_orgs o WHERE o.org_id = ?)", 1);
  if (q.light) {
    w.Add("r.light = ?");
    w.Num(ToInt(*q.light));
  }
  if (q.level) {
    w.Add("r.level = ?");
    w.Num(ToInt(*q.level));
  }
  if (q.region_prefix) {
    w.Add("r.region_code LIKE ?");
    w.Str(*q.region_prefix + "%");
  }
  if (q.org) {
    w.Add("r.issue_id IN (SELECT g.issue_id FROM record_orgs g WHERE g.org_id = ?)");
    w.Str(*q.org);
  }
  if (q.active) {
    w.Add("r.active = ?");
    w.Num(*q.active ? 1 : 0);
  }
  if (q.state) {
    w.Add("r.state = ?");
    w.Num(ToInt(*q.state));
  }
  if (q.overdue) {
    w.Add(*q.overdue ? "(r.active = 1 AND r.settled = 0 AND r.deadline < ?)"
                     : "NOT (r.active = 1 AND r.settled = 0 AND r.deadline IS NOT NULL AND "
                       "r.deadline < ?)");
    w.Str(q.today);
  }
  w.Num(limit);
  std::string sql = absl::StrCat(
      "SELECT r.issue_id, r.light, r.version, r.body, r.history_seq, "
      "r.history_hash FROM records r WHERE ",
      w.Sql(), " ORDER BY r.issue_id LIMIT ?");
  return mysql::ReadFor<std::vector<SupervisionRecord>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<SupervisionRecord>> {
        auto rs = c.QueryDynamic(sql, w.binders);
        std::vector<SupervisionRecord> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(SupervisionRecord r, RecordFromRow(*rs));
          out.push_back(std::move(r));
        }
        return out;
      });
}

absl::StatusOr<RecordCounts> MysqlRecordStore::CountRecords(absl::Time deadline) {
  return mysql::ReadFor<RecordCounts>(pool_, deadline,
                                      [&](Connection& c) -> absl::StatusOr<RecordCounts> {
                                        auto rs = c.Query(
                                            "SELECT COUNT(*) AS n, COALESCE(SUM(active), 0) AS a "
                                            "FROM records");
                                        rs->next();
                                        return RecordCounts{rs->getInt64("n"), rs->getInt64("a")};
                                      });
}

}  // namespace rectify::supervision
