#include "accountability-service/storage/mysql_case_store.h"

#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "accountability-service/domain/case_codec.h"
#include "common/change_record.h"
#include "common/clock.h"
#include "common/mysql/idempotency.h"
#include "common/mysql/where.h"
#include "common/status.h"

namespace rectify::accountability {
namespace {

using mysql::Binder;

std::string Answer(const Case& c) { return Dump(ToJson(c)); }

absl::StatusOr<Case> FromRow(sql::ResultSet& rs) {
  ASSIGN_OR_RETURN(Case c, CaseFromJson(rs.getString("body").asStdString()));
  c.id = rs.getInt64("id");
  c.version = rs.getInt64("version");
  return c;
}

std::optional<std::string> OptionalText(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

void WriteIndexes(mysql::Connection& c, const Case& cs) {
  c.Exec("DELETE FROM case_subject_orgs WHERE case_id = ?", cs.id);
  c.Exec("DELETE FROM case_failure_types WHERE case_id = ?", cs.id);
  c.Exec("DELETE FROM case_issues WHERE case_id = ?", cs.id);
  for (int64_t issue : std::set<int64_t>(cs.issue_ids.begin(), cs.issue_ids.end())) {
    c.Exec("INSERT INTO case_issues (case_id, issue_id) VALUES (?, ?)", cs.id, issue);
  }
  std::set<std::string> orgs;
  for (const auto& s : cs.subjects) orgs.insert(s.org_id);
  for (const auto& o : orgs) {
    c.Exec("INSERT INTO case_subject_orgs (case_id, org_id) VALUES (?, ?)", cs.id, o);
  }
  std::set<int> types;
  for (auto t : cs.failure_types) types.insert(static_cast<int>(t));
  if (cs.finding) {
    for (auto t : cs.finding->confirmed) types.insert(static_cast<int>(t));
  }
  for (int t : types) {
    c.Exec("INSERT INTO case_failure_types (case_id, failure_type) VALUES (?, ?)", cs.id, t);
  }
}

void WriteDeliveries(mysql::Connection& c, const Case& cs) {
  for (const auto& r : cs.reopens) {
    c.Exec(
        "INSERT INTO reopen_deliveries (case_id, issue_id, state, next_attempt) VALUES (?, ?, ?, "
        "?) ON DUPLICATE KEY UPDATE state = VALUES(state), next_attempt = VALUES(next_attempt)",
        cs.id, r.issue_id, static_cast<int>(r.state),
        mysql::FormatDateTime(std::max(r.next_attempt, absl::FromUnixSeconds(0))));
  }
}

}  // namespace

absl::StatusOr<Case> MysqlCaseStore::OpenCase(const Mutation& m, Case cs) {
  auto existing = [&](mysql::Connection& c) -> absl::StatusOr<std::optional<Case>> {
    if (cs.transfer_id.empty()) return std::optional<Case>();
    auto rs = c.Query("SELECT id, version, body FROM cases WHERE transfer_id = ?", cs.transfer_id);
    if (!rs->next()) return std::optional<Case>();
    ASSIGN_OR_RETURN(Case found, FromRow(*rs));
    return std::optional<Case>(std::move(found));
  };
  auto opened = mysql::Idempotent<Case>(
      pool_, mysql::KeyOf(m), &CaseFromJson, &Answer, [&](mysql::Tx& tx) -> absl::StatusOr<Case> {
        ASSIGN_OR_RETURN(auto prior, existing(tx.conn()));
        if (prior) return *prior;
        auto rs = tx.conn().Query(
            "INSERT INTO cases (state, source, region_code, transfer_id, opened_date, "
            "create_time, update_time, version, body, history_hash) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?) RETURNING id",
            static_cast<int>(cs.state), static_cast<int>(cs.source), cs.region_code,
            OptionalText(cs.transfer_id), FormatDate(ProvinceDay(cs.create_time)),
            mysql::FormatDateTime(cs.create_time), mysql::FormatDateTime(cs.update_time),
            cs.version, Dump(ToJson(cs)), std::string(kGenesisHash));
        rs->next();
        cs.id = rs->getInt64("id");
        WriteIndexes(tx.conn(), cs);
        RecordChange(tx, events_, m.actor, m.now, CaseResource(cs.id), "case.opened",
                     Dump(ToJson(cs, Personal::kOmit)), HistoryHead{});
        return cs;
      });
  if (absl::IsAlreadyExists(opened.status()) && !cs.transfer_id.empty()) {
    // A concurrent duplicate transfer won the unique key: its case is the answer.
    ASSIGN_OR_RETURN(auto prior, mysql::ReadFor<std::optional<Case>>(pool_, m.deadline, existing));
    if (prior) return *prior;
  }
  return opened;
}

absl::StatusOr<Case> MysqlCaseStore::GetCase(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Case>(pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<Case> {
    auto rs = c.Query("SELECT id, version, body FROM cases WHERE id = ?", id);
    if (!rs->next()) return NotFoundError(CaseResource(id));
    return FromRow(*rs);
  });
}

absl::StatusOr<std::vector<Case>> MysqlCaseStore::ListCases(const CaseQuery& q,
                                                            const CaseScope& scope,
                                                            int64_t after_id, int limit,
                                                            absl::Time deadline) {
  std::vector<std::string> where = {"c.id > ?"};
  std::vector<Binder> b = {[&](sql::PreparedStatement& s, int i) { s.setInt64(i, after_id); }};
  auto str = [&](std::string v) {
    b.push_back([v = std::move(v)](sql::PreparedStatement& s, int i) { s.setString(i, v); });
  };
  auto num = [&](int64_t v) {
    b.push_back([v](sql::PreparedStatement& s, int i) { s.setInt64(i, v); });
  };
  if (!scope.everything) {
    where.push_back(
        "EXISTS (SELECT 1 FROM case_subject_orgs o WHERE o.case_id = c.id AND "
        "o.org_id = ?)");
    str(scope.org);
  }
  if (q.state) {
    where.push_back("c.state = ?");
    num(static_cast<int>(*q.state));
  }
  if (q.region_prefix) {
    where.push_back("c.region_code LIKE ?");
    str(*q.region_prefix + "%");
  }
  if (q.source) {
    where.push_back("c.source = ?");
    num(static_cast<int>(*q.source));
  }
  if (q.failure_type) {
    where.push_back(
        "EXISTS (SELECT 1 FROM case_failure_types f WHERE f.case_id = c.id AND "
        "f.failure_type = ?)");
    num(static_cast<int>(*q.failure_type));
  }
  if (q.subject_org) {
    where.push_back(
        "EXISTS (SELECT 1 FROM case_subject_orgs s WHERE s.case_id = c.id AND "
        "s.org_id = ?)");
    str(*q.subject_org);
  }
  if (q.issue_id) {
    where.push_back(
        "EXISTS (SELECT 1 FROM case_issues i WHERE i.case_id = c.id AND i.issue_id = ?)");
    num(*q.issue_id);
  }
  for (const auto& d : q.opened) {
    // The operator comes from a fixed set checked by the docket, never from the caller's text.
    const char* op = d.op == "<"    ? "<"
                     : d.op == "<=" ? "<="
                     : d.op == ">"  ? ">"
                     : d.op == ">=" ? ">="
                                    : "=";
    where.push_back(absl::StrCat("c.opened_date ", op, " ?"));
    str(d.date);
  }
  std::string sql = absl::StrCat("SELECT c.id, c.version, c.body FROM cases c WHERE ",
                                 absl::StrJoin(where, " AND "), " ORDER BY c.id LIMIT ?");
  num(limit);
  return mysql::ReadFor<std::vector<Case>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Case>> {
        auto rs = c.QueryDynamic(sql, b);
        std::vector<Case> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Case cs, FromRow(*rs));
          out.push_back(std::move(cs));
        }
        return out;
      });
}

absl::StatusOr<Case> MysqlCaseStore::MutateCase(
    const Mutation& m, int64_t id, const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) {
  return mysql::Idempotent<Case>(
      pool_, mysql::KeyOf(m), &CaseFromJson, &Answer, [&](mysql::Tx& tx) -> absl::StatusOr<Case> {
        auto& c = tx.conn();
        auto rs = c.Query(
            "SELECT id, version, body, history_seq, history_hash FROM cases WHERE id = ? FOR "
            "UPDATE",
            id);
        if (!rs->next()) return NotFoundError(CaseResource(id));
        std::optional<HistoryHead> head;
        if (rs->getInt64("history_seq") > 0) {
          head =
              HistoryHead{rs->getInt64("history_seq"), rs->getString("history_hash").asStdString()};
        }
        ASSIGN_OR_RETURN(Case cs, FromRow(*rs));
        int64_t version = cs.version;
        ASSIGN_OR_RETURN(CaseChange change, rule(cs));
        if (change.event_type.empty()) return cs;
        cs.id = id;
        cs.version = version + 1;
        cs.update_time = m.now;
        WriteIndexes(c, cs);
        WriteDeliveries(c, cs);
        HistoryHead next = RecordChange(tx, events_, m.actor, m.now, CaseResource(id),
                                        change.event_type, Dump(ToJson(cs, Personal::kOmit)), head);
        c.Exec(
            "UPDATE cases SET state = ?, update_time = ?, version = ?, body = ?, history_seq = ?, "
            "history_hash = ? WHERE id = ?",
            static_cast<int>(cs.state), mysql::FormatDateTime(cs.update_time), cs.version,
            Dump(ToJson(cs)), next.seq, next.hash, id);
        return cs;
      });
}

absl::StatusOr<std::vector<PendingReopen>> MysqlCaseStore::DueReopens(absl::Time now, int limit,
                                                                      absl::Time deadline) {
  return mysql::ReadFor<std::vector<PendingReopen>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<PendingReopen>> {
        auto rs = c.Query(
            "SELECT case_id, issue_id FROM reopen_deliveries WHERE state = 1 AND next_attempt <= "
            "? ORDER BY next_attempt LIMIT ?",
            mysql::FormatDateTime(now), limit);
        std::vector<PendingReopen> out;
        while (rs->next()) out.push_back({rs->getInt64("case_id"), rs->getInt64("issue_id")});
        return out;
      });
}

absl::StatusOr<std::vector<Case>> MysqlCaseStore::CasesForStats(const StatsFilter& f,
                                                                absl::Time deadline) {
  return mysql::ReadFor<std::vector<Case>>(
      pool_, deadline, [&](mysql::Connection& c) -> absl::StatusOr<std::vector<Case>> {
        auto rs = c.Query(
            "SELECT id, version, body FROM cases WHERE region_code LIKE ? AND opened_date >= ? "
            "AND opened_date <= ? ORDER BY id",
            f.region_prefix + "%", f.from_date.empty() ? std::string("1000-01-01") : f.from_date,
            f.to_date.empty() ? std::string("9999-12-31") : f.to_date);
        std::vector<Case> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(Case cs, FromRow(*rs));
          out.push_back(std::move(cs));
        }
        return out;
      });
}

}  // namespace rectify::accountability
