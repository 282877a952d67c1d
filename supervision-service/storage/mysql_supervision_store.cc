#include "supervision-service/storage/mysql_supervision_store.h"

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

namespace rectify::supervision {
namespace {

using Binder = std::function<void(sql::PreparedStatement&, int)>;
using mysql::Connection;
using mysql::Tx;

constexpr int kShards = 16;
// Raises written per transaction.
constexpr size_t kRaiseChunk = 200;

int ToInt(auto e) { return static_cast<int>(e); }

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

// Dynamic WHERE clauses with their parameters.
struct Where {
  std::vector<std::string> terms;
  std::vector<Binder> binders;
  void Add(std::string term) { terms.push_back(std::move(term)); }
  void Str(std::string v) {
    binders.push_back([v = std::move(v)](sql::PreparedStatement& s, int i) { s.setString(i, v); });
  }
  void Num(int64_t v) {
    binders.push_back([v](sql::PreparedStatement& s, int i) { s.setInt64(i, v); });
  }
  std::string Sql() const { return absl::StrJoin(terms, " AND "); }
};

// ---- Records ----------------------------------------------------------------------------------

absl::StatusOr<SupervisionRecord> RecordFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(SupervisionRecord r, RecordFromJson(rs.getString("body").asStdString()));
  r.issue.id = rs.getInt64("issue_id");
  r.light = static_cast<Light>(rs.getInt("light"));
  r.version = rs.getInt64("version");
  return r;
}

constexpr char kRecordColumns[] = "issue_id, light, version, body, history_seq, history_hash";

struct LockedRecord {
  SupervisionRecord record;
  HistoryHead head;
};

absl::StatusOr<std::optional<LockedRecord>> LockRecord(Connection& c, int64_t issue_id) {
  auto rs = c.Query(
      absl::StrCat("SELECT ", kRecordColumns, " FROM records WHERE issue_id = ? FOR UPDATE"),
      issue_id);
  if (!rs->next()) return std::optional<LockedRecord>();
  ASSIGN_OR_RETURN(SupervisionRecord r, RecordFromRow(*rs));
  return std::optional<LockedRecord>(LockedRecord{
      std::move(r),
      HistoryHead{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()}});
}

void Count(Connection& c, const SupervisionRecord& r, int delta) {
  if (!r.active) return;
  const std::string& region = r.issue.region_code;
  int shard = static_cast<int>(r.issue.id % kShards);
  c.Exec(
      "INSERT INTO board_counts (region_code, state, light, shard, n) VALUES (?, ?, ?, ?, ?) "
      "ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
      region, ToInt(r.issue.state), ToInt(r.light), shard, delta);
  if (!IsSettled(r.issue.state) && !r.issue.deadline.empty()) {
    c.Exec(
        "INSERT INTO board_deadlines (deadline, region_code, n) VALUES (?, ?, ?) "
        "ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
        r.issue.deadline, region, delta);
  }
}

void CountEscalation(Connection& c, const Escalation& e, int delta) {
  c.Exec(
      "INSERT INTO escalation_counts (region_code, level, shard, n) VALUES (?, ?, ?, ?) "
      "ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
      e.region_code, ToInt(e.level), static_cast<int>(e.id % kShards), delta);
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

// Stores `after` (inserted when `before` is absent) with its counts; the caller records history.
void StoreRecord(Connection& c, const std::optional<SupervisionRecord>& before,
                 const SupervisionRecord& after, const HistoryHead& head) {
  const IssueFacts& i = after.issue;
  std::string months = absl::StrJoin(after.report_months, ",");
  std::string body = Dump(ToJson(after));
  if (!before) {
    c.Exec(
        "INSERT INTO records (issue_id, region_code, lead_org_id, state, level, light, active, "
        "settled, deadline, progress, rejections, assign_time, notices, listed_time, "
        "report_months, update_time, version, body, history_seq, history_hash) VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        i.id, i.region_code, i.lead_org_id, ToInt(i.state), ToInt(after.level), ToInt(after.light),
        after.active, IsSettled(i.state), OptionalDate(i.deadline), i.progress_percent,
        i.rejection_count, OptionalTime(i.assign_time), after.notices,
        OptionalTime(after.listed_time), months, mysql::FormatDateTime(after.update_time),
        after.version, body, head.seq, head.hash);
  } else {
    c.Exec(
        "UPDATE records SET region_code = ?, lead_org_id = ?, state = ?, level = ?, light = ?, "
        "active = ?, settled = ?, deadline = ?, progress = ?, rejections = ?, assign_time = ?, "
        "notices = ?, listed_time = ?, report_months = ?, update_time = ?, version = ?, body = ?, "
        "history_seq = ?, history_hash = ? WHERE issue_id = ?",
        i.region_code, i.lead_org_id, ToInt(i.state), ToInt(after.level), ToInt(after.light),
        after.active, IsSettled(i.state), OptionalDate(i.deadline), i.progress_percent,
        i.rejection_count, OptionalTime(i.assign_time), after.notices,
        OptionalTime(after.listed_time), months, mysql::FormatDateTime(after.update_time),
        after.version, body, head.seq, head.hash, i.id);
  }
  if (!before || !SameCounts(*before, after)) {
    if (before) Count(c, *before, -1);
    Count(c, after, +1);
  }
  if (!before || before->issue.lead_org_id != i.lead_org_id ||
      before->issue.responsible_org_ids != i.responsible_org_ids) {
    WriteRecordOrgs(c, i);
  }
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

constexpr char kEscalationColumns[] = "id, version, body, history_seq, history_hash";

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

}  // namespace

// ---- Events of the registry -------------------------------------------------------------------

absl::Status MysqlSupervisionStore::ApplyIssueEvent(Tx& tx, const IssueEvent& e,
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

// ---- Records ----------------------------------------------------------------------------------

absl::StatusOr<SupervisionRecord> MysqlSupervisionStore::GetRecord(int64_t issue_id,
                                                                   absl::Time deadline) {
  return mysql::ReadFor<SupervisionRecord>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<SupervisionRecord> {
        auto rs = c.Query(
            absl::StrCat("SELECT ", kRecordColumns, " FROM records WHERE issue_id = ?"), issue_id);
        if (!rs->next()) return NotFoundError(RecordResource(issue_id));
        return RecordFromRow(*rs);
      });
}

absl::StatusOr<std::vector<SupervisionRecord>> MysqlSupervisionStore::ListRecords(
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

absl::StatusOr<RecordCounts> MysqlSupervisionStore::CountRecords(absl::Time deadline) {
  return mysql::ReadFor<RecordCounts>(pool_, deadline,
                                      [&](Connection& c) -> absl::StatusOr<RecordCounts> {
                                        auto rs = c.Query(
                                            "SELECT COUNT(*) AS n, COALESCE(SUM(active), 0) AS a "
                                            "FROM records");
                                        rs->next();
                                        return RecordCounts{rs->getInt64("n"), rs->getInt64("a")};
                                      });
}

// ---- The policy -------------------------------------------------------------------------------

absl::StatusOr<EscalationPolicy> MysqlSupervisionStore::CurrentPolicy(
    const EscalationPolicy& defaults, absl::Time deadline) {
  auto read = [&](Connection& c) -> absl::StatusOr<std::optional<EscalationPolicy>> {
    auto rs = c.Query("SELECT version, body FROM policies ORDER BY version DESC LIMIT 1");
    if (!rs->next()) return std::optional<EscalationPolicy>();
    ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(*rs));
    return std::optional<EscalationPolicy>(std::move(p));
  };
  ASSIGN_OR_RETURN(auto current,
                   mysql::ReadFor<std::optional<EscalationPolicy>>(pool_, deadline, read));
  if (current) return *current;
  // The first use stores the defaults as version 1 (once, whoever comes first).
  RETURN_IF_ERROR(pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
    EscalationPolicy first = defaults;
    first.version = 1;
    first.created_by = "defaults";
    int64_t n = tx.conn().Exec(
        "INSERT IGNORE INTO policies (version, body, created_by, create_time) VALUES (1, ?, ?, ?)",
        Dump(ToJson(first)), first.created_by, mysql::FormatDateTime(first.create_time));
    if (n > 0) {
      Principal system{"supervision-service", "", Role::kService, ""};
      RecordChange(tx, events_, system, absl::Now(), PolicyResource(1),
                   "supervision.policy_replaced", Dump(ToJson(first)), HistoryHead{});
    }
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(current, mysql::ReadFor<std::optional<EscalationPolicy>>(pool_, deadline, read));
  if (!current) return absl::InternalError("the policy could not be stored");
  return *current;
}

absl::StatusOr<EscalationPolicy> MysqlSupervisionStore::GetPolicy(int64_t version,
                                                                  absl::Time deadline) {
  return mysql::ReadFor<EscalationPolicy>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<EscalationPolicy> {
        auto rs = c.Query("SELECT version, body FROM policies WHERE version = ?", version);
        if (!rs->next()) return NotFoundError(PolicyResource(version));
        return PolicyFromRow(*rs);
      });
}

absl::StatusOr<std::vector<EscalationPolicy>> MysqlSupervisionStore::ListPolicies(
    int64_t before_version, int limit, absl::Time deadline) {
  return mysql::ReadFor<std::vector<EscalationPolicy>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<EscalationPolicy>> {
        auto rs = c.Query(
            "SELECT version, body FROM policies WHERE (? = 0 OR version < ?) ORDER BY version "
            "DESC LIMIT ?",
            before_version, before_version, limit);
        std::vector<EscalationPolicy> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(*rs));
          out.push_back(std::move(p));
        }
        return out;
      });
}

absl::StatusOr<EscalationPolicy> MysqlSupervisionStore::AddPolicy(const Mutation& m,
                                                                  EscalationPolicy policy,
                                                                  int64_t expected_version) {
  return mysql::Idempotent<EscalationPolicy>(
      pool_, mysql::KeyOf(m), &PolicyFromJson,
      [](const EscalationPolicy& p) { return Dump(ToJson(p)); },
      [&](Tx& tx) -> absl::StatusOr<EscalationPolicy> {
        auto& c = tx.conn();
        auto rs = c.Query("SELECT COALESCE(MAX(version), 0) AS v FROM policies FOR UPDATE");
        rs->next();
        if (rs->getInt64("v") != expected_version) {
          return StaleEtagError(PolicyResource(expected_version));
        }
        policy.version = expected_version + 1;
        c.Exec("INSERT INTO policies (version, body, created_by, create_time) VALUES (?, ?, ?, ?)",
               policy.version, Dump(ToJson(policy)), policy.created_by,
               mysql::FormatDateTime(policy.create_time));
        RecordChange(tx, events_, m.actor, m.now, PolicyResource(policy.version),
                     "supervision.policy_replaced", Dump(ToJson(policy)), HistoryHead{});
        return policy;
      });
}

// ---- Escalations ------------------------------------------------------------------------------

absl::StatusOr<Escalation> MysqlSupervisionStore::GetEscalation(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Escalation>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<Escalation> {
        auto rs = c.Query(
            absl::StrCat("SELECT ", kEscalationColumns, " FROM escalations WHERE id = ?"), id);
        if (!rs->next()) return NotFoundError(EscalationResource(id));
        return EscalationFromRow(*rs);
      });
}

absl::StatusOr<std::vector<Escalation>> MysqlSupervisionStore::ListEscalations(
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

absl::StatusOr<std::vector<Escalation>> MysqlSupervisionStore::Raise(
    const Mutation& m, std::vector<RaiseRequest> requests, const RaiseRule& rule) {
  // Writes the requests [from, to) in one transaction; returns what was raised.
  auto write = [&](Tx& tx, size_t from, size_t to) -> absl::StatusOr<std::vector<Escalation>> {
    auto& c = tx.conn();
    std::vector<Escalation> raised;
    bool owes_case = false;
    for (size_t k = from; k < to; ++k) {
      Escalation e = requests[k].escalation;
      std::optional<LockedRecord> record;
      if (e.issue_id > 0) {
        ASSIGN_OR_RETURN(record, LockRecord(c, e.issue_id));
      }
      // The unique keys leave out a level already open and a cause raised before, also when
      // another sweeper is raising the same escalation right now.
      int64_t n = c.Exec(
          "INSERT IGNORE INTO escalations (subject, issue_id, level, state, cause, cause_key, "
          "open_slot, region_code, org_id, circular_period, raise_time, version, body, "
          "history_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '{}', ?)",
          e.subject, e.issue_id, ToInt(e.level), ToInt(e.state), ToInt(e.cause), e.cause_key,
          OpenSlot(e.state), e.region_code, e.org_id, e.circular_period,
          mysql::FormatDateTime(e.raise_time), std::string(kGenesisHash));
      if (n == 0) continue;
      auto rs = c.Query("SELECT LAST_INSERT_ID() AS id");
      rs->next();
      e.id = rs->getInt64("id");
      e.version = 1;
      HistoryHead h = RecordChange(tx, events_, m.actor, m.now, EscalationResource(e.id),
                                   "supervision.escalation_raised", Dump(ToJson(e)), HistoryHead{});
      c.Exec("UPDATE escalations SET body = ?, history_seq = ?, history_hash = ? WHERE id = ?",
             Dump(ToJson(e)), h.seq, h.hash, e.id);
      CountEscalation(c, e, +1);
      if (record) {
        SupervisionRecord after = record->record;
        rule(after, e);
        after.version = record->record.version + 1;
        after.update_time = m.now;
        // The record's own chain and stream say what the escalation did to it.
        nlohmann::json payload = ToJson(after);
        payload["escalation"] = EscalationResource(e.id);
        HistoryHead rh = RecordChange(tx, events_, m.actor, m.now, RecordResource(e.issue_id),
                                      "supervision.record_escalated", Dump(payload), record->head);
        StoreRecord(c, record->record, after, rh);
      }
      if (requests[k].owes_case) {
        mysql::StoredDeliveries::Add(tx, kCaseDeliveries, DeliveryIntent{e.id, e.issue_id}, m.now);
        owes_case = true;
      }
      raised.push_back(std::move(e));
    }
    if (owes_case && on_transfer_) {
      tx.OnFinish([notify = on_transfer_](bool committed) {
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

absl::StatusOr<Escalation> MysqlSupervisionStore::MutateEscalation(
    const Mutation& m, int64_t id,
    const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule) {
  return mysql::Idempotent<Escalation>(
      pool_, mysql::KeyOf(m), &EscalationFromJson,
      [](const Escalation& e) { return Dump(ToJson(e)); },
      [&](Tx& tx) { return ChangeEscalation(tx, m, id, rule); });
}

absl::StatusOr<Escalation> MysqlSupervisionStore::ChangeEscalation(
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

absl::StatusOr<bool> MysqlSupervisionStore::RecordTransfer(
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

absl::StatusOr<std::vector<Escalation>> MysqlSupervisionStore::Circular(const std::string& period,
                                                                        absl::Time deadline) {
  std::vector<Binder> b = {[&](sql::PreparedStatement& s, int i) { s.setString(i, period); }};
  return mysql::ReadFor<std::vector<Escalation>>(pool_, deadline, [&](Connection& c) {
    return ReadEscalations(
        c, "SELECT id, version, body FROM escalations WHERE circular_period = ? ORDER BY id", b);
  });
}

absl::StatusOr<std::vector<SweepSubject>> MysqlSupervisionStore::SweepSubjects(
    absl::Time as_of, int64_t after_issue_id, int limit, absl::Time deadline) {
  return mysql::ReadFor<std::vector<SweepSubject>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<SweepSubject>> {
        std::vector<SweepSubject> out;
        std::map<int64_t, size_t> index;
        auto rs = c.Query(
            "SELECT issue_id, region_code, lead_org_id, state, level, light, active, deadline, "
            "progress, rejections, assign_time, notices, listed_time, report_months FROM records "
            // Along the primary key: the rows come in order, without a lookup per row from a
            // secondary index (nearly every record is active).
            "FORCE INDEX (PRIMARY) WHERE issue_id > ? AND active = 1 AND settled = 0 "
            "ORDER BY issue_id LIMIT ?",
            after_issue_id, limit);
        while (rs->next()) {
          SweepSubject s;
          SupervisionRecord& r = s.record;
          r.issue.id = rs->getInt64("issue_id");
          r.issue.region_code = rs->getString("region_code").asStdString();
          r.issue.lead_org_id = rs->getString("lead_org_id").asStdString();
          r.issue.state = static_cast<IssueState>(rs->getInt("state"));
          r.level = static_cast<SupervisionLevel>(rs->getInt("level"));
          r.light = static_cast<Light>(rs->getInt("light"));
          r.active = rs->getInt("active") != 0;
          r.issue.deadline = rs->isNull("deadline") ? "" : rs->getString("deadline").asStdString();
          r.issue.progress_percent = rs->getInt("progress");
          r.issue.rejection_count = rs->getInt("rejections");
          r.issue.assign_time = TimeColumn(*rs, "assign_time");
          r.notices = rs->getInt("notices");
          r.listed_time = TimeColumn(*rs, "listed_time");
          std::string months = rs->getString("report_months").asStdString();
          r.report_months = absl::StrSplit(months, ',', absl::SkipEmpty());
          index[r.issue.id] = out.size();
          out.push_back(std::move(s));
        }
        if (out.empty()) return out;
        int64_t first = out.front().record.issue.id;
        int64_t last = out.back().record.issue.id;
        auto at = [&](int64_t issue_id) -> SweepSubject* {
          auto it = index.find(issue_id);
          return it == index.end() ? nullptr : &out[it->second];
        };
        auto es = c.Query(
            "SELECT id, issue_id, level, state, cause_key, open_slot, raise_time FROM escalations "
            "WHERE issue_id BETWEEN ? AND ?",
            first, last);
        while (es->next()) {
          SweepSubject* s = at(es->getInt64("issue_id"));
          if (!s) continue;
          Level level = static_cast<Level>(es->getInt("level"));
          s->raised.emplace_back(level, es->getString("cause_key").asStdString());
          if (!es->isNull("open_slot")) {
            OpenEscalation open;
            open.level = level;
            open.id = es->getInt64("id");
            open.state = static_cast<EscalationState>(es->getInt("state"));
            open.raise_time = mysql::ParseDateTime(es->getString("raise_time").asStdString());
            s->open.push_back(open);
            s->record.open_levels.push_back(level);
          }
        }
        std::string today = FormatDate(ProvinceDay(as_of));
        auto os = c.Query(
            "SELECT id, issue_id, kind, owner_org_id, due_time FROM obligations WHERE met = 0 AND "
            "due_time < ? AND issue_id BETWEEN ? AND ?",
            mysql::FormatDateTime(as_of), first, last);
        while (os->next()) {
          if (SweepSubject* s = at(os->getInt64("issue_id"))) {
            s->overdue.push_back(
                {Cause::kObligationMissed, ObligationResource(os->getInt64("id")),
                 os->getString("owner_org_id").asStdString(),
                 NameOf(ObligationKindNames(), static_cast<ObligationKind>(os->getInt("kind"))),
                 mysql::ParseDateTime(os->getString("due_time").asStdString())});
          }
        }
        auto ls = c.Query(
            "SELECT id, issue_id, target_org_id, due_date, body FROM linkage_requests WHERE owed "
            "= 1 AND due_date < ? AND issue_id BETWEEN ? AND ?",
            today, first, last);
        while (ls->next()) {
          if (SweepSubject* s = at(ls->getInt64("issue_id"))) {
            auto due = ParseDate(ls->getString("due_date").asStdString());
            s->overdue.push_back({Cause::kLinkageLate, LinkageResource(ls->getInt64("id")),
                                  ls->getString("target_org_id").asStdString(),
                                  "the linkage request",
                                  due ? absl::FromCivil(*due + 1, ProvinceTimeZone()) : as_of});
          }
        }
        auto ds = c.Query(
            "SELECT id, issue_id, owner_org_id, due_date FROM directives WHERE open = 1 AND "
            "due_date < ? AND issue_id BETWEEN ? AND ?",
            today, first, last);
        while (ds->next()) {
          if (SweepSubject* s = at(ds->getInt64("issue_id"))) {
            auto due = ParseDate(ds->getString("due_date").asStdString());
            s->overdue.push_back({Cause::kDirectiveOverdue, DirectiveResource(ds->getInt64("id")),
                                  ds->getString("owner_org_id").asStdString(), "the directive",
                                  due ? absl::FromCivil(*due + 1, ProvinceTimeZone()) : as_of});
          }
        }
        return out;
      });
}

absl::StatusOr<std::vector<std::pair<Directive, std::vector<std::pair<Level, std::string>>>>>
MysqlSupervisionStore::OverdueDirectives(absl::Time as_of, absl::Time deadline) {
  using Row = std::pair<Directive, std::vector<std::pair<Level, std::string>>>;
  std::string today = FormatDate(ProvinceDay(as_of));
  return mysql::ReadFor<std::vector<Row>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<Row>> {
        std::vector<Row> out;
        auto rs = c.Query(
            "SELECT id, version, body FROM directives WHERE open = 1 AND due_date < ? AND "
            "issue_id = 0 ORDER BY id",
            today);
        while (rs->next()) {
          ASSIGN_OR_RETURN(Directive d, DirectiveFromRow(*rs));
          out.push_back({std::move(d), {}});
        }
        for (auto& [d, raised] : out) {
          auto es = c.Query("SELECT level, cause_key FROM escalations WHERE subject = ?",
                            DirectiveSubject(d.id));
          while (es->next()) {
            raised.emplace_back(static_cast<Level>(es->getInt("level")),
                                es->getString("cause_key").asStdString());
          }
        }
        return out;
      });
}

absl::StatusOr<int> MysqlSupervisionStore::MutateObligationsDue(
    const Mutation& m, absl::Time as_of, const std::string& event_type,
    const std::function<bool(Obligation&)>& rule) {
  ASSIGN_OR_RETURN(
      auto ids, mysql::ReadFor<std::vector<int64_t>>(
                    pool_, m.deadline, [&](Connection& c) -> absl::StatusOr<std::vector<int64_t>> {
                      auto rs = c.Query(
                          "SELECT id FROM obligations WHERE met = 0 AND due_time < ? ORDER BY id",
                          mysql::FormatDateTime(as_of));
                      std::vector<int64_t> out;
                      while (rs->next()) out.push_back(rs->getInt64("id"));
                      return out;
                    }));
  int changed = 0;
  for (size_t from = 0; from < ids.size(); from += kRaiseChunk) {
    size_t to = std::min(ids.size(), from + kRaiseChunk);
    RETURN_IF_ERROR(pool_.Transact(m.deadline, [&](Tx& tx) -> absl::Status {
      for (size_t k = from; k < to; ++k) {
        auto rs = tx.conn().Query(
            "SELECT id, version, body, history_seq, history_hash FROM obligations WHERE id = ? "
            "FOR UPDATE",
            ids[k]);
        if (!rs->next()) continue;
        ASSIGN_OR_RETURN(Obligation o, ObligationFromRow(*rs));
        HistoryHead head{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
        if (!rule(o)) continue;
        o.version += 1;
        StoreObligation(tx, events_, m.actor, m.now, o, event_type, false, head);
        ++changed;
      }
      return absl::OkStatus();
    }));
  }
  return changed;
}

absl::Status MysqlSupervisionStore::StoreLights(
    const std::vector<std::pair<int64_t, Light>>& changed, absl::Time deadline) {
  for (size_t from = 0; from < changed.size(); from += kRaiseChunk) {
    size_t to = std::min(changed.size(), from + kRaiseChunk);
    RETURN_IF_ERROR(pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
      auto& c = tx.conn();
      for (size_t k = from; k < to; ++k) {
        auto rs = c.Query(
            "SELECT region_code, state, light, active FROM records WHERE issue_id = ? FOR UPDATE",
            changed[k].first);
        if (!rs->next() || rs->getInt("active") == 0) continue;
        Light old = static_cast<Light>(rs->getInt("light"));
        if (old == changed[k].second) continue;
        std::string region = rs->getString("region_code").asStdString();
        int state = rs->getInt("state");
        int shard = static_cast<int>(changed[k].first % kShards);
        c.Exec("UPDATE records SET light = ? WHERE issue_id = ?", ToInt(changed[k].second),
               changed[k].first);
        for (auto [light, delta] : {std::pair{old, -1}, std::pair{changed[k].second, +1}}) {
          c.Exec(
              "INSERT INTO board_counts (region_code, state, light, shard, n) VALUES (?, ?, ?, ?, "
              "?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
              region, state, ToInt(light), shard, delta);
        }
      }
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::Status MysqlSupervisionStore::RecordSweep(absl::Time as_of, int64_t policy_version,
                                                int64_t evaluated, int64_t raised,
                                                absl::Time deadline) {
  return pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
    tx.conn().Exec(
        "INSERT INTO sweeps (as_of, policy_version, evaluated, raised, finish_time) VALUES (?, ?, "
        "?, ?, ?)",
        mysql::FormatDateTime(as_of), policy_version, evaluated, raised,
        mysql::FormatDateTime(absl::Now()));
    return absl::OkStatus();
  });
}

absl::StatusOr<EscalationStore::LastSweep> MysqlSupervisionStore::LastSweepRun(
    absl::Time deadline) {
  return mysql::ReadFor<LastSweep>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<LastSweep> {
        auto rs = c.Query("SELECT as_of, raised FROM sweeps ORDER BY id DESC LIMIT 1");
        LastSweep last;
        if (rs->next()) {
          last.as_of = mysql::ParseDateTime(rs->getString("as_of").asStdString());
          last.raised = rs->getInt64("raised");
        }
        return last;
      });
}

// ---- Obligations ------------------------------------------------------------------------------

absl::StatusOr<std::vector<Obligation>> MysqlSupervisionStore::ListObligations(
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

absl::StatusOr<Obligation> MysqlSupervisionStore::MutateObligation(
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

// ---- Linkage ----------------------------------------------------------------------------------

absl::StatusOr<LinkageRequest> MysqlSupervisionStore::CreateLinkage(
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

absl::StatusOr<LinkageRequest> MysqlSupervisionStore::MutateLinkage(
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

absl::StatusOr<std::vector<LinkageRequest>> MysqlSupervisionStore::ListLinkage(
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

// ---- Meetings and directives ------------------------------------------------------------------

absl::StatusOr<Meeting> MysqlSupervisionStore::CreateMeeting(
    const Mutation& m, Meeting meeting,
    const std::function<absl::Status(const std::vector<int64_t>&)>& rule) {
  auto encode = [](const Meeting& x) {
    nlohmann::json j = ToJson(x);
    nlohmann::json ds = nlohmann::json::array();
    for (const auto& d : x.directives) {
      nlohmann::json jd = ToJson(d);
      jd["version"] = d.version;
      ds.push_back(std::move(jd));
    }
    j["directives"] = ds;
    return Dump(j);
  };
  auto decode = [](const std::string& text) -> absl::StatusOr<Meeting> {
    ASSIGN_OR_RETURN(Meeting x, MeetingFromJson(text));
    auto j = nlohmann::json::parse(text, nullptr, false);
    for (const auto& jd : j.value("directives", nlohmann::json::array())) {
      ASSIGN_OR_RETURN(Directive d, DirectiveFromJson(Dump(jd)));
      d.version = jd.value("version", int64_t{1});
      x.directives.push_back(std::move(d));
    }
    return x;
  };
  return mysql::Idempotent<Meeting>(
      pool_, mysql::KeyOf(m), +decode, encode, [&](Tx& tx) -> absl::StatusOr<Meeting> {
        auto& c = tx.conn();
        std::vector<int64_t> unsupervised;
        for (const auto& d : meeting.directives) {
          if (d.issue_id <= 0) continue;
          auto rs = c.Query("SELECT 1 AS x FROM records WHERE issue_id = ?", d.issue_id);
          if (!rs->next()) unsupervised.push_back(d.issue_id);
        }
        RETURN_IF_ERROR(rule(unsupervised));
        c.Exec("INSERT INTO meetings (meeting_date, body, create_time) VALUES (?, '{}', ?)",
               meeting.date, mysql::FormatDateTime(meeting.create_time));
        auto rs = c.Query("SELECT LAST_INSERT_ID() AS id");
        rs->next();
        meeting.id = rs->getInt64("id");
        c.Exec("UPDATE meetings SET body = ? WHERE id = ?", Dump(ToJson(meeting)), meeting.id);
        for (auto& d : meeting.directives) {
          d.meeting_id = meeting.id;
          d.version = 1;
          c.Exec(
              "INSERT INTO directives (meeting_id, owner_org_id, issue_id, state, due_date, open, "
              "version, body, history_hash) VALUES (?, ?, ?, ?, ?, ?, 1, '{}', ?)",
              d.meeting_id, d.owner_org_id, d.issue_id, ToInt(d.state), d.due_date,
              d.state == DirectiveState::kOpen, std::string(kGenesisHash));
          auto ds = c.Query("SELECT LAST_INSERT_ID() AS id");
          ds->next();
          d.id = ds->getInt64("id");
          HistoryHead h =
              RecordChange(tx, events_, m.actor, m.now, DirectiveResource(d.id),
                           "supervision.directive_issued", Dump(ToJson(d)), HistoryHead{});
          c.Exec("UPDATE directives SET body = ?, history_seq = ?, history_hash = ? WHERE id = ?",
                 Dump(ToJson(d)), h.seq, h.hash, d.id);
        }
        RecordChange(tx, events_, m.actor, m.now, MeetingResource(meeting.id),
                     "supervision.meeting_recorded", encode(meeting), HistoryHead{});
        return meeting;
      });
}

absl::StatusOr<Meeting> MysqlSupervisionStore::GetMeeting(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Meeting>(pool_, deadline, [&](Connection& c) -> absl::StatusOr<Meeting> {
    auto rs = c.Query("SELECT id, body FROM meetings WHERE id = ?", id);
    if (!rs->next()) return NotFoundError(MeetingResource(id));
    return MeetingFromRow(c, *rs);
  });
}

absl::StatusOr<std::vector<Meeting>> MysqlSupervisionStore::ListMeetings(int64_t after_id,
                                                                         int limit,
                                                                         absl::Time deadline) {
  return mysql::ReadFor<std::vector<Meeting>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<Meeting>> {
        auto rs = c.Query("SELECT id, body FROM meetings WHERE id > ? ORDER BY id LIMIT ?",
                          after_id, limit);
        std::vector<std::pair<int64_t, std::string>> rows;
        while (rs->next())
          rows.emplace_back(rs->getInt64("id"), rs->getString("body").asStdString());
        std::vector<Meeting> out;
        for (const auto& [id, body] : rows) {
          auto one = c.Query("SELECT id, body FROM meetings WHERE id = ?", id);
          one->next();
          ASSIGN_OR_RETURN(Meeting m, MeetingFromRow(c, *one));
          out.push_back(std::move(m));
        }
        return out;
      });
}

absl::StatusOr<std::vector<Directive>> MysqlSupervisionStore::ListDirectives(
    const DirectiveQuery& q, const Scope& scope, int64_t after_id, int limit, absl::Time deadline) {
  Where w;
  w.Add("d.id > ?");
  w.Num(after_id);
  if (scope.transfers_only) return std::vector<Directive>{};
  AddScope(w, scope, "''", "d.owner_org_id = ?", 1);
  if (q.state) {
    w.Add("d.state = ?");
    w.Num(ToInt(*q.state));
  }
  if (q.org) {
    w.Add("d.owner_org_id = ?");
    w.Str(*q.org);
  }
  if (q.meeting_id) {
    w.Add("d.meeting_id = ?");
    w.Num(*q.meeting_id);
  }
  if (q.overdue) {
    w.Add(*q.overdue ? "(d.open = 1 AND d.due_date < ?)" : "NOT (d.open = 1 AND d.due_date < ?)");
    w.Str(q.today);
  }
  w.Num(limit);
  std::string sql = absl::StrCat("SELECT d.id, d.version, d.body FROM directives d WHERE ", w.Sql(),
                                 " ORDER BY d.id LIMIT ?");
  return mysql::ReadFor<std::vector<Directive>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<Directive>> {
        auto rs = c.QueryDynamic(sql, w.binders);
        std::vector<Directive> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Directive d, DirectiveFromRow(*rs));
          out.push_back(std::move(d));
        }
        return out;
      });
}

absl::StatusOr<Directive> MysqlSupervisionStore::MutateDirective(
    const Mutation& m, int64_t id, const std::function<absl::StatusOr<Change>(Directive&)>& rule) {
  return mysql::Idempotent<Directive>(
      pool_, mysql::KeyOf(m), &DirectiveFromJson,
      [](const Directive& d) { return Dump(ToJson(d)); },
      [&](Tx& tx) -> absl::StatusOr<Directive> {
        auto& c = tx.conn();
        auto rs = c.Query(
            "SELECT id, version, body, history_seq, history_hash FROM directives WHERE id = ? FOR "
            "UPDATE",
            id);
        if (!rs->next()) return NotFoundError(DirectiveResource(id));
        ASSIGN_OR_RETURN(Directive d, DirectiveFromRow(*rs));
        HistoryHead head{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
        Directive before = d;
        ASSIGN_OR_RETURN(Change change, rule(d));
        if (change.event_type.empty()) return before;
        d.version = before.version + 1;
        HistoryHead h = RecordChange(tx, events_, m.actor, m.now, DirectiveResource(id),
                                     change.event_type, Dump(ToJson(d)), head);
        c.Exec(
            "UPDATE directives SET state = ?, open = ?, version = ?, body = ?, history_seq = ?, "
            "history_hash = ? WHERE id = ?",
            ToInt(d.state), d.state == DirectiveState::kOpen, d.version, Dump(ToJson(d)), h.seq,
            h.hash, id);
        return d;
      });
}

// ---- The battle map ---------------------------------------------------------------------------

absl::StatusOr<BoardCounts> MysqlSupervisionStore::Board(const std::string& region_prefix,
                                                         const std::string& today,
                                                         absl::Time deadline) {
  std::string like = region_prefix + "%";
  return mysql::ReadFor<
      BoardCounts>(pool_, deadline, [&](Connection& c) -> absl::StatusOr<BoardCounts> {
    BoardCounts out;
    auto rs = c.Query(
        "SELECT region_code, state, light, SUM(n) AS n FROM board_counts WHERE region_code LIKE "
        "? GROUP BY region_code, state, light HAVING SUM(n) <> 0",
        like);
    while (rs->next()) {
      out.records.push_back({rs->getString("region_code").asStdString(),
                             static_cast<IssueState>(rs->getInt("state")),
                             static_cast<Light>(rs->getInt("light")), rs->getInt64("n")});
    }
    auto es = c.Query(
        "SELECT region_code, level, SUM(n) AS n FROM escalation_counts WHERE region_code LIKE ? "
        "GROUP BY region_code, level HAVING SUM(n) <> 0",
        like);
    while (es->next()) {
      out.open_escalations.push_back({es->getString("region_code").asStdString(),
                                      static_cast<Level>(es->getInt("level")), es->getInt64("n")});
    }
    auto ds = c.Query(
        "SELECT region_code, SUM(n) AS n FROM board_deadlines WHERE deadline < ? AND region_code "
        "LIKE ? GROUP BY region_code HAVING SUM(n) <> 0",
        today, like);
    while (ds->next()) {
      out.overdue.emplace_back(ds->getString("region_code").asStdString(), ds->getInt64("n"));
    }
    return out;
  });
}

}  // namespace rectify::supervision
