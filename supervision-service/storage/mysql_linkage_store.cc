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

absl::StatusOr<LinkageRequest> MysqlLinkageStore::CreateLinkage(
    const Mutation& m, LinkageRequest l,
    const std::function<absl::Status(const std::optional<SupervisionRecord>&)>& rule) {
  return mysql::Idempotent<LinkageRequest>(
      pool_, mysql::KeyOf(m), &LinkageFromJson,
      [](const LinkageRequest& x) { return Dump(ToJson(x)); },
      [&](Tx& tx) -> absl::StatusOr<LinkageRequest> {
        auto& c = tx.conn();
        ASSIGN_OR_RETURN(auto record, LockRecord(c, l.issue_id));
        std::optional<SupervisionRecord> r;
        if (record) r = record->record;
        RETURN_IF_ERROR(rule(r));
        l.region_code = r->issue.region_code;
        l.version = 1;
        c.Exec(
            "INSERT INTO linkage_requests (issue_id, requesting_org_id, target_org_id, "
            "region_code, state, due_date, owed, version, body, history_hash) VALUES (?, ?, ?, ?, "
            "?, ?, ?, 1, '{}', ?)",
            l.issue_id, l.requesting_org_id, l.target_org_id, l.region_code, ToInt(l.state),
            l.due_date, LinkageOwed(l.state), std::string(kGenesisHash));
        auto rs = c.Query("SELECT LAST_INSERT_ID() AS id");
        rs->next();
        l.id = rs->getInt64("id");
        HistoryHead h =
            RecordChange(tx, events_, m.actor, m.now, LinkageResource(l.id),
                         "supervision.linkage_requested", Dump(ToJson(l)), HistoryHead{});
        c.Exec(
            "UPDATE linkage_requests SET body = ?, history_seq = ?, history_hash = ? WHERE id = ?",
            Dump(ToJson(l)), h.seq, h.hash, l.id);
        return l;
      });
}

absl::StatusOr<LinkageRequest> MysqlLinkageStore::MutateLinkage(
    const Mutation& m, int64_t id,
    const std::function<absl::StatusOr<Change>(LinkageRequest&)>& rule) {
  return mysql::Idempotent<LinkageRequest>(
      pool_, mysql::KeyOf(m), &LinkageFromJson,
      [](const LinkageRequest& x) { return Dump(ToJson(x)); },
      [&](Tx& tx) -> absl::StatusOr<LinkageRequest> {
        auto& c = tx.conn();
        auto rs = c.Query(
            "SELECT id, version, body, history_seq, history_hash FROM linkage_requests WHERE id = "
            "? FOR UPDATE",
            id);
        if (!rs->next()) return NotFoundError(LinkageResource(id));
        ASSIGN_OR_RETURN(LinkageRequest l, LinkageFromRow(*rs));
        HistoryHead head{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
        LinkageRequest before = l;
        ASSIGN_OR_RETURN(Change change, rule(l));
        if (change.event_type.empty()) return before;
        l.version = before.version + 1;
        HistoryHead h = RecordChange(tx, events_, m.actor, m.now, LinkageResource(id),
                                     change.event_type, Dump(ToJson(l)), head);
        c.Exec(
            "UPDATE linkage_requests SET state = ?, owed = ?, version = ?, body = ?, history_seq "
            "= ?, history_hash = ? WHERE id = ?",
            ToInt(l.state), LinkageOwed(l.state), l.version, Dump(ToJson(l)), h.seq, h.hash, id);
        return l;
      });
}

absl::StatusOr<std::vector<LinkageRequest>> MysqlLinkageStore::ListLinkage(
    const LinkageQuery& q, const Scope& scope, int64_t after_id, int limit, absl::Time deadline) {
  Where w;
  w.Add("l.id > ?");
  w.Num(after_id);
  if (scope.transfers_only) return std::vector<LinkageRequest>{};
  AddScope(w, scope, "l.region_code", "(l.requesting_org_id = ? OR l.target_org_id = ?)", 2);
  if (q.issue_id) {
    w.Add("l.issue_id = ?");
    w.Num(*q.issue_id);
  }
  if (q.state) {
    w.Add("l.state = ?");
    w.Num(ToInt(*q.state));
  }
  if (q.org) {
    w.Add("(l.requesting_org_id = ? OR l.target_org_id = ?)");
    w.Str(*q.org);
    w.Str(*q.org);
  }
  w.Num(limit);
  std::string sql = absl::StrCat("SELECT l.id, l.version, l.body FROM linkage_requests l WHERE ",
                                 w.Sql(), " ORDER BY l.id LIMIT ?");
  return mysql::ReadFor<std::vector<LinkageRequest>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<LinkageRequest>> {
        auto rs = c.QueryDynamic(sql, w.binders);
        std::vector<LinkageRequest> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(LinkageRequest l, LinkageFromRow(*rs));
          out.push_back(std::move(l));
        }
        return out;
      });
}

}  // namespace rectify::supervision
