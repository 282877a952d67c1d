#include "supervision-service/storage/mysql_rows.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/change_record.h"
#include "common/mysql/row_batch.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"

namespace rectify::supervision::rows {

std::optional<std::string> OptionalDate(const std::string& d) {
  if (d.empty()) return std::nullopt;
  return d;
}

std::optional<std::string> OptionalTime(const std::optional<absl::Time>& t) {
  if (!t) return std::nullopt;
  return mysql::FormatDateTime(*t);
}

std::optional<absl::Time> TimeColumn(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  return mysql::ParseDateTime(rs.getString(column).asStdString());
}

// ---- Records ----------------------------------------------------------------------------------

absl::StatusOr<SupervisionRecord> RecordFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(SupervisionRecord r, RecordFromJson(rs.getString("body").asStdString()));
  r.issue.id = rs.getInt64("issue_id");
  r.light = static_cast<Light>(rs.getInt("light"));
  r.version = rs.getInt64("version");
  return r;
}

absl::StatusOr<std::map<int64_t, LockedRecord>> LockRecords(Connection& c,
                                                            std::vector<int64_t> issue_ids) {
  // In key order, as every locker takes them.
  std::sort(issue_ids.begin(), issue_ids.end());
  issue_ids.erase(std::unique(issue_ids.begin(), issue_ids.end()), issue_ids.end());
  mysql::RowBatch ids(absl::StrCat("SELECT ", kRecordColumns, " FROM records WHERE issue_id IN ("),
                      "?", ") FOR UPDATE");
  for (int64_t id : issue_ids) ids.Add(id);
  std::map<int64_t, LockedRecord> out;
  absl::Status status;
  ids.Exec(c, [&](sql::ResultSet& rs) {
    auto r = RecordFromRow(rs);
    if (!r.ok()) {
      status.Update(r.status());
      return;
    }
    int64_t id = r->issue.id;
    out.emplace(
        id, LockedRecord{*std::move(r), HistoryHead{rs.getInt64("history_seq"),
                                                    rs.getString("history_hash").asStdString()}});
  });
  RETURN_IF_ERROR(status);
  return out;
}

absl::StatusOr<std::optional<LockedRecord>> LockRecord(Connection& c, int64_t issue_id) {
  ASSIGN_OR_RETURN(auto locked, LockRecords(c, {issue_id}));
  if (locked.empty()) return std::optional<LockedRecord>();
  return std::optional<LockedRecord>(std::move(locked.begin()->second));
}

void CounterChanges::Add(const SupervisionRecord& r, int delta) {
  if (!r.active) return;
  const std::string& region = r.issue.region_code;
  int shard = static_cast<int>(r.issue.id % kShards);
  records_[{region, ToInt(r.issue.state), ToInt(r.light), shard}] += delta;
  if (!IsSettled(r.issue.state) && !r.issue.deadline.empty()) {
    deadlines_[{r.issue.deadline, region}] += delta;
  }
}

void CounterChanges::AddEscalation(const Escalation& e, int delta) {
  escalations_[{e.region_code, ToInt(e.level), static_cast<int>(e.id % kShards)}] += delta;
}

void CounterChanges::Write(Connection& c) const {
  mysql::RowBatch records("INSERT INTO board_counts (region_code, state, light, shard, n) VALUES ",
                          "(?, ?, ?, ?, ?)", " ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
  for (const auto& [key, n] : records_) {
    if (n != 0)
      records.Add(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), n);
  }
  mysql::RowBatch deadlines("INSERT INTO board_deadlines (deadline, region_code, n) VALUES ",
                            "(?, ?, ?)", " ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
  for (const auto& [key, n] : deadlines_) {
    if (n != 0) deadlines.Add(key.first, key.second, n);
  }
  mysql::RowBatch escalations(
      "INSERT INTO escalation_counts (region_code, level, shard, n) VALUES ", "(?, ?, ?, ?)",
      " ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
  for (const auto& [key, n] : escalations_) {
    if (n != 0) escalations.Add(std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
  }
  records.Exec(c);
  deadlines.Exec(c);
  escalations.Exec(c);
}

void Count(Connection& c, const SupervisionRecord& r, int delta) {
  CounterChanges counts;
  counts.Add(r, delta);
  counts.Write(c);
}

void CountEscalation(Connection& c, const Escalation& e, int delta) {
  CounterChanges counts;
  counts.AddEscalation(e, delta);
  counts.Write(c);
}

bool SameCounts(const SupervisionRecord& a, const SupervisionRecord& b) {
  return a.active == b.active && a.issue.region_code == b.issue.region_code &&
         a.issue.state == b.issue.state && a.light == b.light &&
         a.issue.deadline == b.issue.deadline;
}

void WriteRecordOrgs(Connection& c, const IssueFacts& issue) {
  c.Exec("DELETE FROM record_orgs WHERE issue_id = ?", issue.id);
  std::set<std::string> orgs(issue.responsible_org_ids.begin(), issue.responsible_org_ids.end());
  if (!issue.lead_org_id.empty()) orgs.insert(issue.lead_org_id);
  for (const auto& o : orgs) {
    c.Exec("INSERT INTO record_orgs (org_id, issue_id) VALUES (?, ?)", o, issue.id);
  }
}

void StoreRecords(Connection& c, const std::vector<RecordWrite>& writes) {
  constexpr char kInsert[] =
      "INSERT INTO records (issue_id, region_code, lead_org_id, state, level, light, active, "
      "settled, deadline, progress, rejections, assign_time, notices, listed_time, report_months, "
      "update_time, version, body, history_seq, history_hash) VALUES ";
  constexpr char kRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  mysql::RowBatch inserts(kInsert, kRow);
  // Stored records (their rows are locked) are updated by the same statement, many at once.
  mysql::RowBatch updates(
      kInsert, kRow,
      " ON DUPLICATE KEY UPDATE region_code = VALUES(region_code), lead_org_id = "
      "VALUES(lead_org_id), state = VALUES(state), level = VALUES(level), light = VALUES(light), "
      "active = VALUES(active), settled = VALUES(settled), deadline = VALUES(deadline), progress "
      "= VALUES(progress), rejections = VALUES(rejections), assign_time = VALUES(assign_time), "
      "notices = VALUES(notices), listed_time = VALUES(listed_time), report_months = "
      "VALUES(report_months), update_time = VALUES(update_time), version = VALUES(version), body "
      "= VALUES(body), history_seq = VALUES(history_seq), history_hash = VALUES(history_hash)");
  CounterChanges counts;
  for (const auto& [before, after, head] : writes) {
    const IssueFacts& i = after.issue;
    (before ? updates : inserts)
        .Add(i.id, i.region_code, i.lead_org_id, ToInt(i.state), ToInt(after.level),
             ToInt(after.light), after.active, IsSettled(i.state), OptionalDate(i.deadline),
             i.progress_percent, i.rejection_count, OptionalTime(i.assign_time), after.notices,
             OptionalTime(after.listed_time), absl::StrJoin(after.report_months, ","),
             mysql::FormatDateTime(after.update_time), after.version, Dump(ToJson(after)), head.seq,
             head.hash);
    if (!before || !SameCounts(*before, after)) {
      if (before) counts.Add(*before, -1);
      counts.Add(after, +1);
    }
  }
  inserts.Exec(c);
  updates.Exec(c);
  counts.Write(c);
  for (const auto& [before, after, head] : writes) {
    if (!before || before->issue.lead_org_id != after.issue.lead_org_id ||
        before->issue.responsible_org_ids != after.issue.responsible_org_ids) {
      WriteRecordOrgs(c, after.issue);
    }
  }
}

void StoreRecord(Connection& c, const std::optional<SupervisionRecord>& before,
                 const SupervisionRecord& after, const HistoryHead& head) {
  StoreRecords(c, {RecordWrite{before, after, head}});
}

void AddScope(Where& w, const Scope& scope, const char* region_column, const char* org_sql,
              int org_params) {
  if (scope.everything) return;
  if (scope.nothing) {
    w.Add("FALSE");
    return;
  }
  std::vector<std::string> any;
  if (!scope.region_prefix.empty()) {
    any.push_back(absl::StrCat(region_column, " LIKE ?"));
    w.Str(scope.region_prefix + "%");
  }
  any.push_back(org_sql);
  for (int k = 0; k < org_params; ++k) w.Str(scope.org);
  w.Add(absl::StrCat("(", absl::StrJoin(any, " OR "), ")"));
}

// ---- Escalations ------------------------------------------------------------------------------

absl::StatusOr<Escalation> EscalationFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Escalation e, EscalationFromJson(rs.getString("body").asStdString()));
  e.id = rs.getInt64("id");
  e.version = rs.getInt64("version");
  return e;
}

absl::StatusOr<std::vector<Escalation>> ReadEscalations(Connection& c, const std::string& sql,
                                                        const std::vector<Binder>& b) {
  auto rs = c.QueryDynamic(sql, b);
  std::vector<Escalation> out;
  while (rs->next()) {
    ASSIGN_OR_RETURN(Escalation e, EscalationFromRow(*rs));
    out.push_back(std::move(e));
  }
  return out;
}

// The unique key's slot: 1 while the escalation holds its level (the domain's IsOpen), NULL after.
std::optional<int> OpenSlot(EscalationState s) {
  if (IsOpen(s)) return 1;
  return std::nullopt;
}

std::string EscalationsAnswer(const std::vector<Escalation>& raised) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& e : raised) {
    nlohmann::json j = ToJson(e);
    j["version"] = e.version;
    a.push_back(std::move(j));
  }
  return Dump(a);
}

absl::StatusOr<std::vector<Escalation>> EscalationsFromAnswer(const std::string& text) {
  auto a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) {
    return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD", "stored answer unreadable");
  }
  std::vector<Escalation> out;
  for (const auto& j : a) {
    ASSIGN_OR_RETURN(Escalation e, EscalationFromJson(Dump(j)));
    e.version = j.value("version", int64_t{0});
    out.push_back(std::move(e));
  }
  return out;
}

// ---- Obligations, linkage, directives ---------------------------------------------------------

absl::StatusOr<Obligation> ObligationFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Obligation o, ObligationFromJson(rs.getString("body").asStdString()));
  o.id = rs.getInt64("id");
  o.version = rs.getInt64("version");
  return o;
}

void StoreObligation(Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                     Obligation& o, const std::string& event_type, bool insert,
                     std::optional<HistoryHead> head) {
  auto& c = tx.conn();
  if (insert) {
    // A repeated assignment never creates an issue's obligations twice (unique issue, kind).
    int64_t n = c.Exec(
        "INSERT IGNORE INTO obligations (issue_id, kind, owner_org_id, region_code, state, "
        "due_time, met, version, body, history_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 1, '{}', ?)",
        o.issue_id, ToInt(o.kind), o.owner_org_id, o.region_code, ToInt(o.state),
        mysql::FormatDateTime(o.due_time), o.met_time.has_value(), std::string(kGenesisHash));
    if (n == 0) return;
    auto rs = c.Query("SELECT LAST_INSERT_ID() AS id");
    rs->next();
    o.id = rs->getInt64("id");
    o.version = 1;
    head = HistoryHead{};
  }
  HistoryHead h = RecordChange(tx, events, actor, now, ObligationResource(o.id), event_type,
                               Dump(ToJson(o)), head);
  c.Exec(
      "UPDATE obligations SET state = ?, due_time = ?, met = ?, version = ?, body = ?, "
      "history_seq = ?, history_hash = ? WHERE id = ?",
      ToInt(o.state), mysql::FormatDateTime(o.due_time), o.met_time.has_value(), o.version,
      Dump(ToJson(o)), h.seq, h.hash, o.id);
}

absl::StatusOr<LinkageRequest> LinkageFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(LinkageRequest l, LinkageFromJson(rs.getString("body").asStdString()));
  l.id = rs.getInt64("id");
  l.version = rs.getInt64("version");
  return l;
}

absl::StatusOr<Directive> DirectiveFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Directive d, DirectiveFromJson(rs.getString("body").asStdString()));
  d.id = rs.getInt64("id");
  d.version = rs.getInt64("version");
  return d;
}

absl::StatusOr<Meeting> MeetingFromRow(Connection& c, sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Meeting m, MeetingFromJson(rs.getString("body").asStdString()));
  m.id = rs.getInt64("id");
  auto ds =
      c.Query("SELECT id, version, body FROM directives WHERE meeting_id = ? ORDER BY id", m.id);
  while (ds->next()) {
    ASSIGN_OR_RETURN(Directive d, DirectiveFromRow(*ds));
    m.directives.push_back(std::move(d));
  }
  return m;
}

absl::StatusOr<EscalationPolicy> PolicyFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromJson(rs.getString("body").asStdString()));
  p.version = rs.getInt64("version");
  return p;
}

}  // namespace rectify::supervision::rows
