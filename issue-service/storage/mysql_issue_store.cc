#include "issue-service/storage/mysql_issue_store.h"

#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/change_record.h"
#include "common/clock.h"
#include "common/mysql/history_store.h"
#include "common/mysql/idempotency.h"
#include "common/mysql/where.h"
#include "common/status.h"
#include "cppconn/datatype.h"
#include "issue-service/domain/codec.h"
#include "issue-service/domain/lifecycle.h"
#include "nlohmann/json.hpp"

namespace rectify::issues {
namespace {

using mysql::Binder;

enum OrgRole { kLead = 1, kRectifying = 2, kAcceptance = 3, kReviewer = 4 };

int ToInt(auto e) { return static_cast<int>(e); }

// "(?, ?, ...)" for the states a domain rule names, their values appended to `b` in order.
std::string StatesParameter(const std::vector<IssueState>& states, std::vector<Binder>& b) {
  for (IssueState state : states) {
    b.push_back([state](sql::PreparedStatement& s, int i) { s.setInt(i, ToInt(state)); });
  }
  return mysql::Placeholders(states.size());
}

// ---- Rows -------------------------------------------------------------------------------------

absl::StatusOr<Issue> IssueFromRow(sql::ResultSet& rs, DecodedIssueCache& decoded) {
  return decoded.Decode(rs.getInt64("id"), rs.getInt64("version"),
                        rs.getString("body").asStdString());
}

// For the row a mutation has locked: decoded afresh, so what a change builds on never depends on
// the cache.
absl::StatusOr<Issue> IssueFromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Issue issue, IssueFromJson(rs.getString("body").asStdString()));
  issue.id = rs.getInt64("id");
  issue.version = rs.getInt64("version");
  return issue;
}

// Before a stored answer is replayed: the issue as it is now, judged by the mutation's rule.
mysql::Authorize BeforeReplay(const IssueMutation& m, int64_t issue_id) {
  if (!m.may_replay) return nullptr;
  return [&m, issue_id](mysql::Tx& tx) -> absl::Status {
    auto rs = tx.conn().Query("SELECT id, version, body FROM issues WHERE id = ?", issue_id);
    if (!rs->next()) return IssueNotFound(issue_id);
    ASSIGN_OR_RETURN(Issue issue, IssueFromRow(*rs));
    return m.may_replay(issue);
  };
}

void WriteOrgs(mysql::Connection& conn, const Issue& issue) {
  conn.Exec("DELETE FROM issue_orgs WHERE issue_id = ?", issue.id);
  std::vector<std::pair<std::string, int>> rows;
  std::set<std::pair<std::string, int>> seen;
  auto add = [&](const std::string& org, int role) {
    if (!org.empty() && seen.insert({org, role}).second) rows.push_back({org, role});
  };
  add(issue.lead_org_id, kLead);
  for (const auto& o : issue.responsible_org_ids) add(o, kRectifying);
  add(issue.acceptance_org_id, kAcceptance);
  for (const auto& o : issue.joint_reviewer_org_ids) add(o, kReviewer);
  if (rows.empty()) return;
  std::string sql = "INSERT INTO issue_orgs (issue_id, org_id, role) VALUES ";
  std::vector<Binder> binders;
  for (size_t i = 0; i < rows.size(); ++i) {
    absl::StrAppend(&sql, i ? ", " : "", "(?, ?, ?)");
    binders.push_back([id = issue.id](sql::PreparedStatement& s, int n) { s.setInt64(n, id); });
    binders.push_back([o = rows[i].first](sql::PreparedStatement& s, int n) { s.setString(n, o); });
    binders.push_back([r = rows[i].second](sql::PreparedStatement& s, int n) { s.setInt(n, r); });
  }
  auto& stmt = conn.Prepare(sql);
  for (size_t i = 0; i < binders.size(); ++i) binders[i](stmt, static_cast<int>(i + 1));
  stmt.executeUpdate();
}

bool SameOrgs(const Issue& a, const Issue& b) {
  return a.lead_org_id == b.lead_org_id && a.responsible_org_ids == b.responsible_org_ids &&
         a.acceptance_org_id == b.acceptance_org_id &&
         a.joint_reviewer_org_ids == b.joint_reviewer_org_ids;
}

std::optional<std::string> OptionalDate(const std::string& date) {
  if (date.empty()) return std::nullopt;
  return date;
}

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

absl::StatusOr<Issue> LockIssue(mysql::Connection& conn, int64_t id,
                                std::optional<HistoryHead>* head) {
  auto rs = conn.Query(
      "SELECT id, version, body, history_seq, history_hash FROM issues WHERE id = ? FOR UPDATE",
      id);
  if (!rs->next()) return IssueNotFound(id);
  if (rs->getInt64("history_seq") > 0) {
    *head = HistoryHead{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
  }
  return IssueFromRow(*rs);
}

void StoreIssue(mysql::Connection& conn, const Issue& issue, const HistoryHead& head) {
  conn.Exec(
      "UPDATE issues SET inspection_id = ?, source = ?, category = ?, rectification_class = ?, "
      "priority = ?, state = ?, title = ?, region_code = ?, lead_org_id = ?, deadline = ?, "
      "progress_percent = ?, update_time = ?, version = ?, body = ?, history_seq = ?, "
      "history_hash = ?, measures_done = ?, public = ?, settled = ? WHERE id = ?",
      issue.inspection_id, ToInt(issue.source), ToInt(issue.category),
      ToInt(issue.rectification_class), ToInt(issue.priority), ToInt(issue.state), issue.title,
      issue.region_code, issue.lead_org_id, OptionalDate(issue.deadline), issue.progress_percent,
      mysql::FormatDateTime(issue.update_time), issue.version, Dump(ToJson(issue)), head.seq,
      head.hash, static_cast<int>(AllMeasuresDone(issue)), static_cast<int>(IsPublic(issue.state)),
      static_cast<int>(IsSettled(issue.state)), issue.id);
}

std::vector<Evidence> LoadEvidence(mysql::Connection& c, int64_t issue_id) {
  auto rs =
      c.Query("SELECT id, sealed, body FROM evidence WHERE issue_id = ? ORDER BY id", issue_id);
  std::vector<Evidence> out;
  while (rs->next()) {
    auto e = EvidenceFromJson(rs->getString("body").asStdString());
    if (!e.ok()) continue;
    e->id = rs->getInt64("id");
    e->sealed = rs->getInt("sealed") != 0;
    out.push_back(*std::move(e));
  }
  return out;
}

template <typename T>
std::vector<T> LoadChildren(mysql::Connection& c, const char* table, int64_t issue_id,
                            absl::StatusOr<T> (*decode)(const std::string&)) {
  auto rs = c.Query(absl::StrCat("SELECT id, body FROM ", table, " WHERE issue_id = ? ORDER BY id"),
                    issue_id);
  std::vector<T> out;
  while (rs->next()) {
    auto v = decode(rs->getString("body").asStdString());
    if (!v.ok()) continue;
    v->id = rs->getInt64("id");
    out.push_back(*std::move(v));
  }
  return out;
}

// Related records: INSERT when new (filling in the id), UPDATE otherwise.
void SaveObjection(mysql::Connection& c, Objection& o) {
  std::string body = Dump(ToJson(o));
  if (o.id == 0) {
    auto rs = c.Query(
        "INSERT INTO objections (issue_id, state, filed_by, create_time, body) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        o.issue_id, ToInt(o.state), o.filed_by, mysql::FormatDateTime(o.create_time), body);
    rs->next();
    o.id = rs->getInt64("id");  // reads take the id from its column
    return;
  }
  c.Exec("UPDATE objections SET state = ?, body = ? WHERE id = ? AND issue_id = ?", ToInt(o.state),
         body, o.id, o.issue_id);
}

void SaveExtension(mysql::Connection& c, Extension& e) {
  std::string body = Dump(ToJson(e));
  if (e.id == 0) {
    auto rs = c.Query(
        "INSERT INTO extensions (issue_id, state, create_time, body) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        e.issue_id, ToInt(e.state), mysql::FormatDateTime(e.create_time), body);
    rs->next();
    e.id = rs->getInt64("id");
    return;
  }
  c.Exec("UPDATE extensions SET state = ?, body = ? WHERE id = ? AND issue_id = ?", ToInt(e.state),
         body, e.id, e.issue_id);
}

// Applies `rule` to the locked issue and stores everything it decided with its history and
// event. Shared by every mutation of an issue.
absl::StatusOr<MutationResult> ApplyToIssue(mysql::Tx& tx, EventLog& events, const IssueMutation& m,
                                            int64_t id, const ContextNeeds& needs,
                                            const IssueRule& rule) {
  auto& c = tx.conn();
  std::optional<HistoryHead> known_head;
  ASSIGN_OR_RETURN(Issue issue, LockIssue(c, id, &known_head));
  IssueContext context;
  if (needs.evidence) context.evidence = LoadEvidence(c, id);
  if (needs.objections)
    context.objections = LoadChildren<Objection>(c, "objections", id, &ObjectionFromJson);
  if (needs.extensions)
    context.extensions = LoadChildren<Extension>(c, "extensions", id, &ExtensionFromJson);
  if (!needs.objections_filed_by.empty()) {
    auto rs =
        c.Query("SELECT COUNT(*) AS n FROM objections WHERE filed_by = ? AND create_time >= ?",
                needs.objections_filed_by, mysql::FormatDateTime(needs.since));
    rs->next();
    context.objections_filed_recently = rs->getInt("n");
  }
  Issue before = issue;
  ASSIGN_OR_RETURN(Change change, rule(issue, context));
  MutationResult result;
  if (change.event_type.empty()) {
    result.issue = std::move(before);
    return result;
  }
  issue.id = id;
  issue.version = before.version + 1;
  issue.update_time = m.now;
  issue.create_time = before.create_time;
  if (!SameOrgs(before, issue)) WriteOrgs(c, issue);
  for (int64_t e : change.seal_evidence) {
    c.Exec("UPDATE evidence SET sealed = 1 WHERE id = ? AND issue_id = ?", e, id);
  }
  nlohmann::json payload = ToJson(issue, Personal::kOmit);
  if (change.objection) {
    SaveObjection(c, *change.objection);
    payload["objection"] = ToJson(*change.objection, Personal::kOmit);
    result.objection = change.objection;
  }
  if (change.extension) {
    SaveExtension(c, *change.extension);
    payload["extension"] = ToJson(*change.extension);
    result.extension = change.extension;
  }
  if (!change.note.empty()) payload["note"] = change.note;
  HistoryHead head = RecordChange(tx, events, m.actor, m.now, IssueResource(id), change.event_type,
                                  Dump(payload), known_head);
  StoreIssue(c, issue, head);
  result.issue = std::move(issue);
  return result;
}

std::string IssueAnswer(const Issue& i) { return Dump(ToJson(i)); }

std::string ResultAnswer(const MutationResult& r) {
  nlohmann::json j = {{"issue", ToJson(r.issue)}};
  if (r.objection) j["objection"] = ToJson(*r.objection);
  if (r.extension) j["extension"] = ToJson(*r.extension);
  return Dump(j);
}

absl::StatusOr<MutationResult> ResultFromAnswer(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("issue")) {
    return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD", "stored answer unreadable");
  }
  MutationResult r;
  ASSIGN_OR_RETURN(r.issue, IssueFromJson(Dump(j["issue"])));
  if (j.contains("objection")) {
    ASSIGN_OR_RETURN(auto o, ObjectionFromJson(Dump(j["objection"])));
    r.objection = std::move(o);
  }
  if (j.contains("extension")) {
    ASSIGN_OR_RETURN(auto e, ExtensionFromJson(Dump(j["extension"])));
    r.extension = std::move(e);
  }
  return r;
}

}  // namespace

// ---- Reference data -----------------------------------------------------------------------------

absl::StatusOr<std::vector<Region>> MysqlIssueStore::LoadRegions(absl::Time deadline) {
  return mysql::ReadFor<std::vector<Region>>(
      pool_, deadline, [](mysql::Connection& c) -> absl::StatusOr<std::vector<Region>> {
        auto rs = c.Query("SELECT code, name, level, parent_code FROM regions ORDER BY code");
        std::vector<Region> out;
        while (rs->next()) {
          out.push_back({rs->getString("code").asStdString(), rs->getString("name").asStdString(),
                         static_cast<RegionLevel>(rs->getInt("level")),
                         mysql::GetString(*rs, "parent_code")});
        }
        return out;
      });
}

absl::StatusOr<std::vector<Org>> MysqlIssueStore::LoadOrgs(absl::Time deadline) {
  return mysql::ReadFor<std::vector<Org>>(
      pool_, deadline, [](mysql::Connection& c) -> absl::StatusOr<std::vector<Org>> {
        auto rs = c.Query("SELECT id, name, kind, region_code, version FROM orgs ORDER BY id");
        std::vector<Org> out;
        while (rs->next()) {
          out.push_back({rs->getString("id").asStdString(), rs->getString("name").asStdString(),
                         static_cast<OrgKind>(rs->getInt("kind")),
                         rs->getString("region_code").asStdString(), rs->getInt64("version")});
        }
        return out;
      });
}

absl::StatusOr<Org> MysqlIssueStore::UpsertOrg(
    const IssueMutation& m, Org org,
    const std::function<absl::Status(const std::optional<Org>&)>& rule) {
  return mysql::Idempotent<Org>(
      pool_, mysql::KeyOf(m), &OrgFromJson, [](const Org& o) { return Dump(ToJson(o)); },
      [&](mysql::Tx& tx) -> absl::StatusOr<Org> {
        auto rs = tx.conn().Query(
            "SELECT id, name, kind, region_code, version FROM orgs WHERE id = ? FOR UPDATE",
            org.id);
        std::optional<Org> current;
        if (rs->next()) {
          current = Org{rs->getString("id").asStdString(), rs->getString("name").asStdString(),
                        static_cast<OrgKind>(rs->getInt("kind")),
                        rs->getString("region_code").asStdString(), rs->getInt64("version")};
        }
        RETURN_IF_ERROR(rule(current));
        org.version = current ? current->version + 1 : 1;
        tx.conn().Exec(
            "INSERT INTO orgs (id, name, kind, region_code, version, update_time) "
            "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), "
            "kind = VALUES(kind), region_code = VALUES(region_code), version = VALUES(version), "
            "update_time = VALUES(update_time)",
            org.id, org.name, ToInt(org.kind), org.region_code, org.version,
            mysql::FormatDateTime(m.now));
        RecordChange(tx, events_, m.actor, m.now, absl::StrCat("orgs/", org.id), "org.upserted",
                     Dump(ToJson(org)), std::nullopt);
        return org;
      });
}

// ---- Inspections --------------------------------------------------------------------------------

absl::StatusOr<Inspection> MysqlIssueStore::CreateInspection(const IssueMutation& m,
                                                             Inspection inspection) {
  return mysql::Idempotent<Inspection>(
      pool_, mysql::KeyOf(m), &InspectionFromJson,
      [](const Inspection& i) { return Dump(ToJson(i)); },
      [&](mysql::Tx& tx) -> absl::StatusOr<Inspection> {
        Inspection created = inspection;
        created.version = 1;
        auto rs = tx.conn().Query(
            "INSERT INTO inspections (kind, body, create_time) VALUES (?, ?, ?) RETURNING id",
            ToInt(created.kind), Dump(ToJson(created)), mysql::FormatDateTime(created.create_time));
        rs->next();
        created.id = rs->getInt64("id");
        RecordChange(tx, events_, m.actor, m.now, absl::StrCat("inspections/", created.id),
                     "inspection.created", Dump(ToJson(created)), HistoryHead{});
        return created;
      });
}

absl::StatusOr<Inspection> MysqlIssueStore::GetInspection(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Inspection>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<Inspection> {
        auto rs = c.Query("SELECT id, body FROM inspections WHERE id = ?", id);
        if (!rs->next()) return NotFoundError(absl::StrCat("inspections/", id));
        ASSIGN_OR_RETURN(Inspection i, InspectionFromJson(rs->getString("body").asStdString()));
        i.id = rs->getInt64("id");
        return i;
      });
}

absl::StatusOr<std::vector<Inspection>> MysqlIssueStore::ListInspections(
    std::optional<InspectionKind> kind, int64_t after_id, int limit, absl::Time deadline) {
  return mysql::ReadFor<std::vector<Inspection>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Inspection>> {
        auto rs = kind ? c.Query(
                             "SELECT id, body FROM inspections WHERE kind = ? AND id > ? "
                             "ORDER BY id LIMIT ?",
                             ToInt(*kind), after_id, limit)
                       : c.Query(
                             "SELECT id, body FROM inspections WHERE id > ? ORDER BY id "
                             "LIMIT ?",
                             after_id, limit);
        std::vector<Inspection> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Inspection i, InspectionFromJson(rs->getString("body").asStdString()));
          i.id = rs->getInt64("id");
          out.push_back(std::move(i));
        }
        return out;
      });
}

// ---- Issues -----------------------------------------------------------------------------------

absl::StatusOr<std::string> MysqlIssueStore::LedgerStartDate(absl::Time deadline) {
  return mysql::ReadFor<std::string>(
      pool_, deadline, [](mysql::Connection& c) -> absl::StatusOr<std::string> {
        // The day the schema was first migrated, in the province's calendar.
        auto rs = c.Query("SELECT MIN(applied_at) AS started FROM schema_migrations");
        if (!rs->next() || rs->isNull("started")) return std::string("9999-12-31");
        return FormatDate(
            ProvinceDay(mysql::ParseDateTime(rs->getString("started").asStdString())));
      });
}

mysql::MigrationVariables IssueRegistryMigrationVariables() {
  auto list = [](const std::vector<IssueState>& states) {
    return absl::StrJoin(states, ",",
                         [](std::string* out, IssueState s) { absl::StrAppend(out, ToInt(s)); });
  };
  return {{"rectify_public_states", list(PublicStates())},
          {"rectify_settled_states", list(SettledStates())}};
}

absl::StatusOr<Issue> MysqlIssueStore::CreateIssue(const IssueMutation& m, Issue issue,
                                                   const std::string& event_type) {
  return mysql::Idempotent<Issue>(
      pool_, mysql::KeyOf(m), &IssueFromJson, &IssueAnswer,
      [&](mysql::Tx& tx) -> absl::StatusOr<Issue> {
        Issue created = issue;
        auto rs = tx.conn().Query(
            "INSERT INTO issues (inspection_id, source, category, rectification_class, priority, "
            "state, title, region_code, lead_org_id, deadline, progress_percent, create_time, "
            "update_time, version, body, history_seq, history_hash, measures_done, public, "
            "settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) "
            "RETURNING id",
            created.inspection_id, ToInt(created.source), ToInt(created.category),
            ToInt(created.rectification_class), ToInt(created.priority), ToInt(created.state),
            created.title, created.region_code, created.lead_org_id, OptionalDate(created.deadline),
            created.progress_percent, mysql::FormatDateTime(created.create_time),
            mysql::FormatDateTime(created.update_time), created.version, Dump(ToJson(created)),
            std::string(kGenesisHash), static_cast<int>(AllMeasuresDone(created)),
            static_cast<int>(IsPublic(created.state)), static_cast<int>(IsSettled(created.state)));
        rs->next();
        created.id = rs->getInt64("id");
        if (!created.lead_org_id.empty()) WriteOrgs(tx.conn(), created);
        // The row keeps history_seq 0 ("head unknown"): the first mutation reads the head from
        // the history table, which saves the create an UPDATE.
        RecordChange(tx, events_, m.actor, m.now, IssueResource(created.id), event_type,
                     Dump(ToJson(created, Personal::kOmit)), HistoryHead{});
        return created;
      });
}

absl::StatusOr<Issue> MysqlIssueStore::GetIssue(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Issue>(pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<Issue> {
    auto rs = c.Query("SELECT id, version, body FROM issues WHERE id = ?", id);
    if (!rs->next()) return IssueNotFound(id);
    return IssueFromRow(*rs, decoded_);
  });
}

absl::StatusOr<std::vector<ListedIssue>> MysqlIssueStore::ListIssues(const IssueListSpec& spec,
                                                                     absl::Time deadline) {
  const IssueQuery& q = spec.query;
  std::vector<std::string> where;
  std::vector<Binder> binders;
  auto bind_int = [&](int64_t v) {
    binders.push_back([v](sql::PreparedStatement& s, int i) { s.setInt64(i, v); });
  };
  auto bind_str = [&](std::string v) {
    binders.push_back([v = std::move(v)](sql::PreparedStatement& s, int i) { s.setString(i, v); });
  };
  // The states come from the domain's rules, bound as parameters.
  auto bind_states = [&](const std::vector<IssueState>& states) {
    return StatesParameter(states, binders);
  };

  if (spec.scope.public_only) {
    where.push_back(absl::StrCat("i.state IN ", bind_states(PublicStates())));
  } else if (!spec.scope.everything) {
    std::string clause =
        "EXISTS (SELECT 1 FROM issue_orgs s WHERE s.issue_id = i.id AND "
        "s.org_id = ?)";
    if (!spec.scope.region_prefix.empty()) {
      where.push_back(absl::StrCat("(i.region_code LIKE ? OR ", clause, ")"));
      bind_str(EscapeLike(spec.scope.region_prefix) + "%");
    } else {
      where.push_back(clause);
    }
    bind_str(spec.scope.involved_org);
  }
  if (q.state) {
    where.push_back(q.state_negated ? "i.state <> ?" : "i.state = ?");
    bind_int(ToInt(*q.state));
  }
  if (q.region_prefix) {
    where.push_back("i.region_code LIKE ?");
    bind_str(EscapeLike(*q.region_prefix) + "%");
  }
  if (q.category) {
    where.push_back("i.category = ?");
    bind_int(ToInt(*q.category));
  }
  if (q.source) {
    where.push_back("i.source = ?");
    bind_int(ToInt(*q.source));
  }
  if (q.rectification_class) {
    where.push_back("i.rectification_class = ?");
    bind_int(ToInt(*q.rectification_class));
  }
  if (q.priority) {
    where.push_back("i.priority = ?");
    bind_int(ToInt(*q.priority));
  }
  if (q.lead_org) {
    where.push_back("i.lead_org_id = ?");
    bind_str(*q.lead_org);
  }
  if (q.rectifying_org) {
    where.push_back(
        absl::StrCat("EXISTS (SELECT 1 FROM issue_orgs r WHERE r.issue_id = i.id AND r.org_id = ? "
                     "AND r.role = ",
                     ToInt(kRectifying), ")"));
    bind_str(*q.rectifying_org);
  }
  if (q.overdue) {
    // Parameters bind in the order they appear: the date first, then the states.
    bind_str(spec.today);
    if (*q.overdue) {
      where.push_back(
          absl::StrCat("(i.deadline < ? AND i.state NOT IN ", bind_states(SettledStates()), ")"));
    } else {
      where.push_back(absl::StrCat("(i.deadline IS NULL OR i.deadline >= ? OR i.state IN ",
                                   bind_states(SettledStates()), ")"));
    }
  }
  for (const auto& b : q.deadline) {
    const char* op = "=";
    switch (b.op) {
      case Comparison::kEq:
        op = "=";
        break;
      case Comparison::kNe:
        op = "<>";
        break;
      case Comparison::kLt:
        op = "<";
        break;
      case Comparison::kLe:
        op = "<=";
        break;
      case Comparison::kGt:
        op = ">";
        break;
      case Comparison::kGe:
        op = ">=";
        break;
    }
    where.push_back(absl::StrCat("i.deadline ", op, " ?"));
    bind_str(b.date);
  }
  if (q.inspection_id) {
    where.push_back("i.inspection_id = ?");
    bind_int(*q.inspection_id);
  }
  if (q.title_contains) {
    where.push_back("i.title LIKE ?");
    bind_str(absl::StrCat("%", EscapeLike(*q.title_contains), "%"));
  }

  const char* key = "i.create_time";
  switch (spec.order.key) {
    case IssueOrder::Key::kCreateTime:
      key = "i.create_time";
      break;
    case IssueOrder::Key::kDeadline:
      key = "i.deadline_key";
      break;
    case IssueOrder::Key::kUpdateTime:
      key = "i.update_time";
      break;
  }
  const char* dir = spec.order.descending ? "DESC" : "ASC";
  const char* cmp = spec.order.descending ? "<" : ">";
  if (spec.after_id > 0) {
    where.push_back(
        absl::StrCat("(", key, " ", cmp, " ? OR (", key, " = ? AND i.id ", cmp, " ?))"));
    bind_str(spec.after_key);
    bind_str(spec.after_key);
    bind_int(spec.after_id);
  }
  std::string sql =
      absl::StrCat("SELECT i.id, i.version, i.body, ", key, " AS sort_key FROM issues i");
  if (!where.empty()) absl::StrAppend(&sql, " WHERE ", absl::StrJoin(where, " AND "));
  absl::StrAppend(&sql, " ORDER BY ", key, " ", dir, ", i.id ", dir, " LIMIT ?");
  bind_int(spec.limit);

  return mysql::ReadFor<std::vector<ListedIssue>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<ListedIssue>> {
        auto rs = c.QueryDynamic(sql, binders);
        std::vector<ListedIssue> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Issue issue, IssueFromRow(*rs, decoded_));
          out.push_back({std::move(issue), rs->getString("sort_key").asStdString()});
        }
        return out;
      });
}

absl::StatusOr<MutationResult> MysqlIssueStore::Mutate(const IssueMutation& m, int64_t id,
                                                       ContextNeeds needs, const IssueRule& rule) {
  return mysql::Idempotent<MutationResult>(
      pool_, mysql::KeyOf(m), &ResultFromAnswer, &ResultAnswer,
      [&](mysql::Tx& tx) { return ApplyToIssue(tx, events_, m, id, needs, rule); },
      BeforeReplay(m, id));
}

absl::StatusOr<ProgressReport> MysqlIssueStore::AddProgressReport(
    const IssueMutation& m, int64_t issue_id, ProgressReport report,
    const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) {
  return mysql::Idempotent<ProgressReport>(
      pool_, mysql::KeyOf(m), &ProgressReportFromJson,
      [](const ProgressReport& r) { return Dump(ToJson(r)); },
      [&](mysql::Tx& tx) -> absl::StatusOr<ProgressReport> {
        ProgressReport saved = report;
        RETURN_IF_ERROR(
            ApplyToIssue(tx, events_, m, issue_id, {}, [&](Issue& issue, const IssueContext&) {
              return rule(issue, saved);
            }).status());
        auto rs = tx.conn().Query(
            "INSERT INTO progress_reports (issue_id, body, create_time) VALUES (?, ?, ?) "
            "RETURNING id",
            issue_id, Dump(ToJson(saved)), mysql::FormatDateTime(saved.create_time));
        rs->next();
        saved.id = rs->getInt64("id");
        return saved;
      },
      BeforeReplay(m, issue_id));
}

absl::StatusOr<std::vector<ProgressReport>> MysqlIssueStore::ListProgressReports(
    int64_t issue_id, int64_t after_id, int limit, absl::Time deadline) {
  return mysql::ReadFor<std::vector<ProgressReport>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<ProgressReport>> {
        auto rs = c.Query(
            "SELECT id, body FROM progress_reports WHERE issue_id = ? AND id > ? ORDER BY id "
            "LIMIT ?",
            issue_id, after_id, limit);
        std::vector<ProgressReport> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(ProgressReport r,
                           ProgressReportFromJson(rs->getString("body").asStdString()));
          r.id = rs->getInt64("id");
          out.push_back(std::move(r));
        }
        return out;
      });
}

absl::StatusOr<std::vector<HistoryRecord>> MysqlIssueStore::LoadHistory(const std::string& resource,
                                                                        absl::Time deadline) {
  return mysql::ReadFor<std::vector<HistoryRecord>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<HistoryRecord>> {
        return HistoryStore::Load(c, resource);
      });
}

absl::StatusOr<std::vector<HistoryRecord>> MysqlIssueStore::LoadHistoryPage(
    const std::string& resource, bool newest_first, int64_t from_seq, int limit,
    absl::Time deadline) {
  return mysql::ReadFor<std::vector<HistoryRecord>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<HistoryRecord>> {
        return HistoryStore::LoadPage(c, resource, newest_first, from_seq, limit);
      });
}

absl::StatusOr<Evidence> MysqlIssueStore::AddEvidence(
    const IssueMutation& m, Evidence evidence, const std::string& content,
    const std::function<absl::Status(const Issue&)>& rule) {
  return mysql::Idempotent<Evidence>(
      pool_, mysql::KeyOf(m), &EvidenceFromJson, [](const Evidence& e) { return Dump(ToJson(e)); },
      [&](mysql::Tx& tx) -> absl::StatusOr<Evidence> {
        auto& c = tx.conn();
        std::optional<HistoryHead> known_head;
        ASSIGN_OR_RETURN(Issue issue, LockIssue(c, evidence.issue_id, &known_head));
        RETURN_IF_ERROR(rule(issue));
        Evidence saved = evidence;
        auto rs = c.Query(
            "INSERT INTO evidence (issue_id, sealed, sha256, size_bytes, create_time, body) "
            "VALUES (?, 0, ?, ?, ?, ?) RETURNING id",
            saved.issue_id, saved.sha256, saved.size_bytes,
            mysql::FormatDateTime(saved.create_time), Dump(ToJson(saved)));
        rs->next();
        saved.id = rs->getInt64("id");
        for (size_t off = 0, seq = 0; off < content.size(); off += kChunkBytes, ++seq) {
          c.Exec("INSERT INTO evidence_chunks (evidence_id, seq, data) VALUES (?, ?, ?)", saved.id,
                 static_cast<int>(seq), content.substr(off, kChunkBytes));
        }
        issue.version += 1;
        issue.update_time = m.now;
        // The digest goes into the issue's chain: a file swapped later no longer matches it.
        nlohmann::json payload = {{"issue_id", saved.issue_id}, {"evidence", ToJson(saved)}};
        HistoryHead head = RecordChange(tx, events_, m.actor, m.now, IssueResource(saved.issue_id),
                                        "issue.evidence_added", Dump(payload), known_head);
        StoreIssue(c, issue, head);
        return saved;
      },
      BeforeReplay(m, evidence.issue_id));
}

absl::StatusOr<std::vector<Evidence>> MysqlIssueStore::ListEvidence(int64_t issue_id,
                                                                    absl::Time deadline) {
  return mysql::ReadFor<std::vector<Evidence>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Evidence>> {
        return LoadEvidence(c, issue_id);
      });
}

absl::StatusOr<Evidence> MysqlIssueStore::GetEvidence(int64_t issue_id, int64_t evidence_id,
                                                      absl::Time deadline) {
  return mysql::ReadFor<Evidence>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<Evidence> {
        auto rs = c.Query("SELECT id, sealed, body FROM evidence WHERE id = ? AND issue_id = ?",
                          evidence_id, issue_id);
        if (!rs->next()) return NotFoundError(absl::StrCat("evidence ", evidence_id));
        ASSIGN_OR_RETURN(Evidence e, EvidenceFromJson(rs->getString("body").asStdString()));
        e.id = rs->getInt64("id");
        e.sealed = rs->getInt("sealed") != 0;
        return e;
      });
}

absl::StatusOr<std::optional<std::string>> MysqlIssueStore::ReadEvidenceChunk(int64_t evidence_id,
                                                                              int seq,
                                                                              absl::Time deadline) {
  return mysql::ReadFor<std::optional<std::string>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::optional<std::string>> {
        auto rs = c.Query("SELECT data FROM evidence_chunks WHERE evidence_id = ? AND seq = ?",
                          evidence_id, seq);
        if (!rs->next()) return std::optional<std::string>();
        return std::optional<std::string>(rs->getString("data").asStdString());
      });
}

absl::Status MysqlIssueStore::ReadEvidence(int64_t evidence_id, absl::Time deadline,
                                           const std::function<bool(const std::string&)>& sink) {
  // One chunk per query keeps memory bounded whatever the file's size.
  for (int seq = 0;; ++seq) {
    ASSIGN_OR_RETURN(auto chunk, ReadEvidenceChunk(evidence_id, seq, deadline));
    if (!chunk || !sink(*chunk)) return absl::OkStatus();
  }
}

absl::StatusOr<std::vector<Objection>> MysqlIssueStore::ListObjections(int64_t issue_id,
                                                                       absl::Time deadline) {
  return mysql::ReadFor<std::vector<Objection>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Objection>> {
        return LoadChildren<Objection>(c, "objections", issue_id, &ObjectionFromJson);
      });
}

absl::StatusOr<std::vector<Extension>> MysqlIssueStore::ListExtensions(int64_t issue_id,
                                                                       absl::Time deadline) {
  return mysql::ReadFor<std::vector<Extension>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Extension>> {
        return LoadChildren<Extension>(c, "extensions", issue_id, &ExtensionFromJson);
      });
}

absl::StatusOr<StatsData> MysqlIssueStore::LedgerStatsData(const StatsQuery& q,
                                                           absl::Time deadline) {
  return mysql::ReadFor<StatsData>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<StatsData> {
        StatsData out;
        std::string region = q.region_prefix.empty() ? "%" : EscapeLike(q.region_prefix) + "%";
        // Counters: one small table per dimension, summed over shards, within `subtree`.
        auto from_counters = [&](const std::string& subtree, bool public_only) {
          auto where = [&](std::vector<Binder>& b, bool has_public) {
            std::string w = "region_code LIKE ? AND region_code LIKE ?";
            b.push_back([&](sql::PreparedStatement& s, int i) { s.setString(i, region); });
            b.push_back([subtree](sql::PreparedStatement& s, int i) { s.setString(i, subtree); });
            if (q.inspection_id) {
              w += " AND inspection_id = ?";
              b.push_back(
                  [&](sql::PreparedStatement& s, int i) { s.setInt64(i, q.inspection_id); });
            }
            if (public_only) {
              w += has_public ? " AND public = 1"
                              : absl::StrCat(" AND state IN ", StatesParameter(PublicStates(), b));
            }
            return w;
          };
          {
            std::vector<Binder> b;
            std::string w = where(b, false);
            auto rs = c.QueryDynamic(
                absl::StrCat("SELECT state, LEFT(region_code, 4) AS city, measures_done, SUM(n) "
                             "AS n FROM ledger_states WHERE ",
                             w, " GROUP BY 1, 2, 3 HAVING SUM(n) <> 0"),
                b);
            while (rs->next()) {
              StatsRow row;
              row.dimension = StatsRow::kState;
              row.state = static_cast<IssueState>(rs->getInt("state"));
              row.city = rs->getString("city").asStdString();
              row.measures_done = rs->getInt("measures_done") != 0;
              row.count = rs->getInt64("n");
              out.rows.push_back(std::move(row));
            }
          }
          struct Dim {
            const char* table;
            const char* column;
            StatsRow::Dimension dimension;
          };
          for (const Dim& d : {Dim{"ledger_categories", "category", StatsRow::kCategory},
                               Dim{"ledger_sources", "source", StatsRow::kSource},
                               Dim{"ledger_classes", "rectification_class", StatsRow::kClass}}) {
            std::vector<Binder> b;
            std::string w = where(b, true);
            auto rs = c.QueryDynamic(
                absl::StrCat("SELECT ", d.column, " AS v, SUM(n) AS n FROM ", d.table, " WHERE ", w,
                             " GROUP BY 1 HAVING SUM(n) <> 0"),
                b);
            while (rs->next()) {
              StatsRow row;
              row.dimension = d.dimension;
              row.value = rs->getInt("v");
              row.count = rs->getInt64("n");
              out.rows.push_back(std::move(row));
            }
          }
          if (public_only) return;  // issues the public sees are never overdue
          std::vector<Binder> b;
          b.push_back([&](sql::PreparedStatement& s, int i) { s.setString(i, q.today); });
          std::string w = where(b, false);
          auto od = c.QueryDynamic(
              absl::StrCat("SELECT COALESCE(SUM(n), 0) AS n FROM ledger_deadlines WHERE "
                           "deadline < ? AND ",
                           w),
              b);
          od->next();
          out.overdue += od->getInt64("n");
        };
        // From the issues themselves: what an org is involved in (outside `exclude`).
        auto from_issues = [&](const std::string& org, const std::string& exclude) {
          std::vector<Binder> b;
          b.push_back([&](sql::PreparedStatement& s, int i) { s.setString(i, q.today); });
          std::string settled = StatesParameter(SettledStates(), b);
          std::string where =
              "EXISTS (SELECT 1 FROM issue_orgs s WHERE s.issue_id = i.id AND s.org_id = ?) AND "
              "region_code LIKE ?";
          b.push_back([org](sql::PreparedStatement& s, int i) { s.setString(i, org); });
          b.push_back([&](sql::PreparedStatement& s, int i) { s.setString(i, region); });
          if (!exclude.empty()) {
            where += " AND region_code NOT LIKE ?";
            b.push_back([exclude](sql::PreparedStatement& s, int i) { s.setString(i, exclude); });
          }
          if (q.inspection_id) {
            where += " AND inspection_id = ?";
            b.push_back([&](sql::PreparedStatement& s, int i) { s.setInt64(i, q.inspection_id); });
          }
          auto rs = c.QueryDynamic(
              absl::StrCat("SELECT state, LEFT(region_code, 4) AS city, category, source, "
                           "rectification_class, measures_done, COUNT(*) AS n, SUM(deadline IS "
                           "NOT NULL AND deadline < ? AND state NOT IN ",
                           settled,
                           ") AS overdue "
                           "FROM issues i WHERE ",
                           where, " GROUP BY 1, 2, 3, 4, 5, 6"),
              b);
          while (rs->next()) {
            int64_t n = rs->getInt64("n");
            out.overdue += rs->getInt64("overdue");
            StatsRow st;
            st.dimension = StatsRow::kState;
            st.state = static_cast<IssueState>(rs->getInt("state"));
            st.city = rs->getString("city").asStdString();
            st.measures_done = rs->getInt("measures_done") != 0;
            st.count = n;
            out.rows.push_back(st);
            for (auto [dim, column] : {std::pair{StatsRow::kCategory, "category"},
                                       std::pair{StatsRow::kSource, "source"},
                                       std::pair{StatsRow::kClass, "rectification_class"}}) {
              StatsRow row;
              row.dimension = dim;
              row.value = rs->getInt(column);
              row.count = n;
              out.rows.push_back(row);
            }
          }
        };
        const IssueScope& scope = q.scope;
        if (scope.everything || scope.public_only) {
          from_counters("%", scope.public_only);
        } else if (!scope.region_prefix.empty()) {
          std::string own = EscapeLike(scope.region_prefix) + "%";
          from_counters(own, false);
          from_issues(scope.involved_org, own);
        } else {
          from_issues(scope.involved_org, "");
        }
        return out;
      });
}

}  // namespace rectify::issues
