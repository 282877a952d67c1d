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

absl::StatusOr<std::vector<Obligation>> MysqlObligationStore::ListObligations(
    const ObligationQuery& q, const Scope& scope, int64_t after_id, int limit,
    absl::Time deadline) {
  Where w;
  w.Add("b.id > ?");
  w.Num(after_id);
  if (scope.transfers_only) return std::vector<Obligation>{};
  AddScope(w, scope, "b.region_code",
           "(b.owner_org_id = ? OR b.issue_id IN (SELECT o.issue_id FROM record_orgs o WHERE "
           "o.org_id = ?))",
           2);
  if (q.issue_id) {
    w.Add("b.issue_id = ?");
    w.Num(*q.issue_id);
  }
  if (q.state) {
    w.Add("b.state = ?");
    w.Num(ToInt(*q.state));
  }
  if (q.org) {
    w.Add("b.owner_org_id = ?");
    w.Str(*q.org);
  }
  if (q.kind) {
    w.Add("b.kind = ?");
    w.Num(ToInt(*q.kind));
  }
  if (q.region_prefix) {
    w.Add("b.region_code LIKE ?");
    w.Str(*q.region_prefix + "%");
  }
  w.Num(limit);
  std::string sql = absl::StrCat("SELECT b.id, b.version, b.body FROM obligations b WHERE ",
                                 w.Sql(), " ORDER BY b.id LIMIT ?");
  return mysql::ReadFor<std::vector<Obligation>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<Obligation>> {
        auto rs = c.QueryDynamic(sql, w.binders);
        std::vector<Obligation> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Obligation o, ObligationFromRow(*rs));
          out.push_back(std::move(o));
        }
        return out;
      });
}

absl::StatusOr<Obligation> MysqlObligationStore::MutateObligation(
    const Mutation& m, int64_t id,
    const std::function<absl::StatusOr<Change>(Obligation&, std::vector<Obligation>&,
                                               const SupervisionRecord*)>& rule) {
  return mysql::Idempotent<Obligation>(
      pool_, mysql::KeyOf(m), &ObligationFromJson,
      [](const Obligation& o) {
        nlohmann::json j = ToJson(o);
        return Dump(j);
      },
      [&](Tx& tx) -> absl::StatusOr<Obligation> {
        auto& c = tx.conn();
        auto found = c.Query("SELECT issue_id FROM obligations WHERE id = ?", id);
        if (!found->next()) return NotFoundError(ObligationResource(id));
        int64_t issue_id = found->getInt64("issue_id");
        ASSIGN_OR_RETURN(auto record, LockRecord(c, issue_id));
        auto rs = c.Query(
            "SELECT id, version, body, history_seq, history_hash FROM obligations WHERE issue_id "
            "= ? ORDER BY id FOR UPDATE",
            issue_id);
        std::vector<Obligation> all;
        std::map<int64_t, HistoryHead> heads;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Obligation o, ObligationFromRow(*rs));
          heads[o.id] = {rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
          all.push_back(std::move(o));
        }
        auto it =
            std::find_if(all.begin(), all.end(), [&](const Obligation& o) { return o.id == id; });
        if (it == all.end()) return NotFoundError(ObligationResource(id));
        std::vector<Obligation> before = all;
        Obligation target = *it;
        std::vector<Obligation> others;
        for (const auto& o : all) {
          if (o.id != id) others.push_back(o);
        }
        ASSIGN_OR_RETURN(Change change, rule(target, others, record ? &record->record : nullptr));
        if (change.event_type.empty()) return *it;
        target.version += 1;
        StoreObligation(tx, events_, m.actor, m.now, target, change.event_type, false, heads[id]);
        for (auto& o : others) {
          auto was = std::find_if(before.begin(), before.end(),
                                  [&](const Obligation& b) { return b.id == o.id; });
          if (was != before.end() && Dump(ToJson(*was)) != Dump(ToJson(o))) {
            o.version += 1;
            StoreObligation(tx, events_, m.actor, m.now, o, "supervision.obligation_rescheduled",
                            false, heads[o.id]);
          }
        }
        return target;
      });
}

}  // namespace rectify::supervision
