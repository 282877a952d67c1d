#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/change_record.h"
#include "common/clock.h"
#include "common/mysql/delivery_intents.h"
#include "common/mysql/idempotency.h"
#include "common/mysql/row_batch.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/storage/mysql_supervision_store.h"

namespace rectify::supervision {

using namespace rows;  // NOLINT: the schema's shared row helpers

absl::StatusOr<Escalation> MysqlEscalationStore::GetEscalation(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Escalation>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<Escalation> {
        auto rs = c.Query(
            absl::StrCat("SELECT ", kEscalationColumns, " FROM escalations WHERE id = ?"), id);
        if (!rs->next()) return NotFoundError(EscalationResource(id));
        return EscalationFromRow(*rs);
      });
}

absl::StatusOr<std::vector<Escalation>> MysqlEscalationStore::ListEscalations(
    const EscalationQuery& q, const Scope& scope, int64_t after_id, int limit,
    absl::Time deadline) {
  Where w;
  w.Add("e.id > ?");
  w.Num(after_id);
  if (scope.transfers_only) {
    w.Add("e.level = ?");
    w.Num(ToInt(Level::kTransfer));
  } else {
    AddScope(w, scope, "e.region_code",
             "(e.org_id = ? OR e.issue_id IN (SELECT o.issue_id FROM record_orgs o WHERE "
             "o.org_id = ?))",
             2);
  }
  if (q.level) {
    w.Add("e.level = ?");
    w.Num(ToInt(*q.level));
  }
  if (q.state) {
    w.Add("e.state = ?");
    w.Num(ToInt(*q.state));
  }
  if (q.region_prefix) {
    w.Add("e.region_code LIKE ?");
    w.Str(*q.region_prefix + "%");
  }
  if (q.org) {
    w.Add("e.org_id = ?");
    w.Str(*q.org);
  }
  if (q.issue_id) {
    w.Add("e.issue_id = ?");
    w.Num(*q.issue_id);
  }
  if (q.cause) {
    w.Add("e.cause = ?");
    w.Num(ToInt(*q.cause));
  }
  w.Num(limit);
  std::string sql = absl::StrCat("SELECT e.id, e.version, e.body FROM escalations e WHERE ",
                                 w.Sql(), " ORDER BY e.id LIMIT ?");
  return mysql::ReadFor<std::vector<Escalation>>(
      pool_, deadline, [&](Connection& c) { return ReadEscalations(c, sql, w.binders); });
}

absl::StatusOr<std::vector<Escalation>> MysqlEscalationStore::Raise(
    const Mutation& m, std::vector<RaiseRequest> requests, const RaiseRule& rule) {
  // Writes the requests [from, to) in one transaction with a few multi-row statements; returns
  // what was raised, in the requests' order.
  auto write = [&](Tx& tx, size_t from, size_t to) -> absl::StatusOr<std::vector<Escalation>> {
    auto& c = tx.conn();
    std::vector<int64_t> issues;
    for (size_t k = from; k < to; ++k) {
      if (requests[k].escalation.issue_id > 0) issues.push_back(requests[k].escalation.issue_id);
    }
    // Records first (as one at a time would): a sweeper raising for the same issue waits here.
    ASSIGN_OR_RETURN(auto records, LockRecords(c, std::move(issues)));
    // The unique keys leave out a level already open and a cause raised before, also when
    // another sweeper is raising the same escalation right now; RETURNING names what went in.
    mysql::RowBatch inserts(
        "INSERT IGNORE INTO escalations (subject, issue_id, level, state, cause, cause_key, "
        "open_slot, region_code, org_id, circular_period, raise_time, version, body, "
        "history_hash) VALUES ",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '{}', ?)",
        " RETURNING id, subject, level, cause_key");
    for (size_t k = from; k < to; ++k) {
      const Escalation& e = requests[k].escalation;
      inserts.Add(e.subject, e.issue_id, ToInt(e.level), ToInt(e.state), ToInt(e.cause),
                  e.cause_key, OpenSlot(e.state), e.region_code, e.org_id, e.circular_period,
                  mysql::FormatDateTime(e.raise_time), std::string(kGenesisHash));
    }
    std::map<std::tuple<std::string, int, std::string>, int64_t> ids;
    inserts.Exec(c, [&](sql::ResultSet& rs) {
      ids[{rs.getString("subject").asStdString(), rs.getInt("level"),
           rs.getString("cause_key").asStdString()}] = rs.getInt64("id");
    });

    std::vector<Escalation> raised;
    std::vector<PendingChange> changes;
    std::map<int64_t, SupervisionRecord> after;  // each record as its raises leave it
    std::vector<size_t> owed;                    // the raised that owe a case
    for (size_t k = from; k < to; ++k) {
      Escalation e = requests[k].escalation;
      auto id = ids.find({e.subject, ToInt(e.level), e.cause_key});
      if (id == ids.end()) continue;
      e.id = id->second;
      ids.erase(id);  // a request repeated in the batch went in once
      e.version = 1;
      changes.push_back({EscalationResource(e.id), "supervision.escalation_raised", Dump(ToJson(e)),
                         HistoryHead{}});
      if (auto r = records.find(e.issue_id); r != records.end()) {
        auto [it, first] = after.try_emplace(e.issue_id, r->second.record);
        SupervisionRecord& record = it->second;
        rule(record, e);
        record.version += 1;
        record.update_time = m.now;
        // The record's own chain and stream say what the escalation did to it.
        nlohmann::json payload = ToJson(record);
        payload["escalation"] = EscalationResource(e.id);
        changes.push_back({RecordResource(e.issue_id), "supervision.record_escalated",
                           Dump(payload), r->second.head});
      }
      if (requests[k].owes_case) owed.push_back(raised.size());
      raised.push_back(std::move(e));
    }
    if (raised.empty()) return raised;
    RecordChanges(tx, events_, m.actor, m.now, changes);

    // The escalations' bodies and heads, their counters, the records as the raises left them.
    mysql::RowBatch bodies(
        "INSERT INTO escalations (id, subject, issue_id, level, state, cause, cause_key, "
        "open_slot, "
        "region_code, org_id, circular_period, raise_time, version, body, history_seq, "
        "history_hash) VALUES ",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        " ON DUPLICATE KEY UPDATE body = VALUES(body), history_seq = VALUES(history_seq), "
        "history_hash = VALUES(history_hash)");
    CounterChanges counts;
    std::map<int64_t, HistoryHead> record_heads;
    size_t change = 0;
    for (const Escalation& e : raised) {
      const HistoryHead& h = changes[change++].head;
      bodies.Add(e.id, e.subject, e.issue_id, ToInt(e.level), ToInt(e.state), ToInt(e.cause),
                 e.cause_key, OpenSlot(e.state), e.region_code, e.org_id, e.circular_period,
                 mysql::FormatDateTime(e.raise_time), Dump(ToJson(e)), h.seq, h.hash);
      counts.AddEscalation(e, +1);
      if (after.contains(e.issue_id)) record_heads[e.issue_id] = changes[change++].head;
    }
    bodies.Exec(c);
    counts.Write(c);
    std::vector<RecordWrite> stores;
    for (auto& [issue_id, record] : after) {
      stores.push_back({records.at(issue_id).record, std::move(record), record_heads[issue_id]});
    }
    StoreRecords(c, stores);
    for (size_t k : owed) {
      mysql::StoredDeliveries::Add(tx, kCaseDeliveries,
                                   DeliveryIntent{raised[k].id, raised[k].issue_id}, m.now);
    }
    if (!owed.empty() && tables_.on_transfer) {
      tx.OnFinish([notify = tables_.on_transfer](bool committed) {
        if (committed) notify();
      });
    }
    return raised;
  };
  if (!m.request_id.empty()) {
    // By hand, one at a time, answered once per request_id.
    return mysql::Idempotent<std::vector<Escalation>>(
        pool_, mysql::KeyOf(m), &EscalationsFromAnswer, &EscalationsAnswer,
        [&](Tx& tx) { return write(tx, 0, requests.size()); });
  }
  std::vector<Escalation> all;
  for (size_t from = 0; from < requests.size(); from += kRaiseChunk) {
    size_t to = std::min(requests.size(), from + kRaiseChunk);
    ASSIGN_OR_RETURN(auto raised,
                     mysql::TransactFor<std::vector<Escalation>>(
                         pool_, m.deadline, [&](Tx& tx) { return write(tx, from, to); }));
    for (auto& e : raised) all.push_back(std::move(e));
  }
  return all;
}

absl::StatusOr<Escalation> MysqlEscalationStore::MutateEscalation(
    const Mutation& m, int64_t id,
    const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule) {
  return mysql::Idempotent<Escalation>(
      pool_, mysql::KeyOf(m), &EscalationFromJson,
      [](const Escalation& e) { return Dump(ToJson(e)); },
      [&](Tx& tx) { return ChangeEscalation(tx, m, id, rule); });
}

absl::StatusOr<Escalation> MysqlEscalationStore::ChangeEscalation(
    Tx& tx, const Mutation& m, int64_t id,
    const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule) {
  auto& c = tx.conn();
  // The record first, as a raise locks it (one order, no deadlock).
  auto found = c.Query("SELECT issue_id FROM escalations WHERE id = ?", id);
  if (!found->next()) return NotFoundError(EscalationResource(id));
  int64_t issue_id = found->getInt64("issue_id");
  std::optional<LockedRecord> record;
  if (issue_id > 0) {
    ASSIGN_OR_RETURN(record, LockRecord(c, issue_id));
  }
  auto rs = c.Query(
      absl::StrCat("SELECT ", kEscalationColumns, " FROM escalations WHERE id = ? FOR UPDATE"), id);
  if (!rs->next()) return NotFoundError(EscalationResource(id));
  ASSIGN_OR_RETURN(Escalation e, EscalationFromRow(*rs));
  HistoryHead head{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
  Escalation before = e;
  std::optional<SupervisionRecord> after_record;
  if (record) after_record = record->record;
  ASSIGN_OR_RETURN(Change change, rule(e, after_record ? &*after_record : nullptr));
  if (change.event_type.empty()) return before;
  e.version = before.version + 1;
  HistoryHead h = RecordChange(tx, events_, m.actor, m.now, EscalationResource(id),
                               change.event_type, Dump(ToJson(e)), head);
  c.Exec(
      "UPDATE escalations SET state = ?, open_slot = ?, version = ?, body = ?, "
      "history_seq = ?, history_hash = ? WHERE id = ?",
      ToInt(e.state), OpenSlot(e.state), e.version, Dump(ToJson(e)), h.seq, h.hash, id);
  if (OpenSlot(before.state) && !OpenSlot(e.state)) CountEscalation(c, e, -1);
  if (record && Dump(ToJson(*after_record)) != Dump(ToJson(record->record))) {
    after_record->version = record->record.version + 1;
    after_record->update_time = m.now;
    nlohmann::json payload = ToJson(*after_record);
    payload["escalation"] = EscalationResource(id);
    HistoryHead rh = RecordChange(tx, events_, m.actor, m.now, RecordResource(issue_id),
                                  "supervision.record_updated", Dump(payload), record->head);
    StoreRecord(c, record->record, *after_record, rh);
  }
  return e;
}

absl::StatusOr<bool> MysqlEscalationStore::RecordTransfer(
    const Mutation& m, const DeliveryIntent& intent, const DeliveryResult& result,
    const std::function<absl::StatusOr<Change>(Escalation&)>& rule) {
  return mysql::TransactFor<bool>(pool_, m.deadline, [&](Tx& tx) -> absl::StatusOr<bool> {
    auto changed = ChangeEscalation(
        tx, m, intent.owner_id,
        [&](Escalation& e, SupervisionRecord*) -> absl::StatusOr<Change> { return rule(e); });
    // An escalation gone (never, short of an administrator) still settles its intent.
    if (!changed.ok() && !absl::IsNotFound(changed.status())) return changed.status();
    return mysql::StoredDeliveries::RecordIn(tx, kCaseDeliveries, intent, result, m.now);
  });
}

absl::StatusOr<std::vector<Escalation>> MysqlEscalationStore::Circular(const std::string& period,
                                                                       absl::Time deadline) {
  std::vector<Binder> b = {[&](sql::PreparedStatement& s, int i) { s.setString(i, period); }};
  return mysql::ReadFor<std::vector<Escalation>>(pool_, deadline, [&](Connection& c) {
    return ReadEscalations(
        c, "SELECT id, version, body FROM escalations WHERE circular_period = ? ORDER BY id", b);
  });
}

}  // namespace rectify::supervision
