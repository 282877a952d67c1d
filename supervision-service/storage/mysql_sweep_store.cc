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
#include "common/mysql/row_batch.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/storage/mysql_supervision_store.h"

namespace rectify::supervision {

using namespace rows;  // NOLINT: the schema's shared row helpers

absl::StatusOr<std::vector<SweepSubject>> MysqlSweepStore::SweepSubjects(absl::Time as_of,
                                                                         int64_t after_issue_id,
                                                                         int limit,
                                                                         absl::Time deadline) {
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
MysqlSweepStore::OverdueDirectives(absl::Time as_of, absl::Time deadline) {
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

absl::StatusOr<int> MysqlSweepStore::MutateObligationsDue(
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

absl::Status MysqlSweepStore::StoreLights(const std::vector<std::pair<int64_t, Light>>& changed,
                                          absl::Time deadline) {
  for (size_t from = 0; from < changed.size(); from += kRaiseChunk) {
    size_t to = std::min(changed.size(), from + kRaiseChunk);
    RETURN_IF_ERROR(pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
      auto& c = tx.conn();
      std::map<int64_t, Light> lights(changed.begin() + from, changed.begin() + to);
      mysql::RowBatch lock(
          "SELECT issue_id, region_code, state, light, active FROM records WHERE issue_id IN (",
          "?", ") FOR UPDATE");
      for (const auto& [issue_id, light] : lights) lock.Add(issue_id);
      // The records whose light changes, by their new light; their counts move with them.
      std::map<Light, std::vector<int64_t>> moved;
      CounterChanges counts;
      lock.Exec(c, [&](sql::ResultSet& rs) {
        SupervisionRecord r;
        r.issue.id = rs.getInt64("issue_id");
        r.issue.region_code = rs.getString("region_code").asStdString();
        r.issue.state = static_cast<IssueState>(rs.getInt("state"));
        r.light = static_cast<Light>(rs.getInt("light"));
        r.active = rs.getInt("active") != 0;
        Light light = lights.at(r.issue.id);
        if (!r.active || r.light == light) return;
        counts.Add(r, -1);
        r.light = light;
        counts.Add(r, +1);
        moved[light].push_back(r.issue.id);
      });
      for (const auto& [light, ids] : moved) {
        mysql::RowBatch update("UPDATE records SET light = ? WHERE issue_id IN (", "?", ")");
        update.Lead(ToInt(light));
        for (int64_t id : ids) update.Add(id);
        update.Exec(c);
      }
      counts.Write(c);
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::Status MysqlSweepStore::RecordSweep(absl::Time as_of, int64_t policy_version,
                                          int64_t evaluated, int64_t raised, absl::Time deadline) {
  return pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
    tx.conn().Exec(
        "INSERT INTO sweeps (as_of, policy_version, evaluated, raised, finish_time) VALUES (?, ?, "
        "?, ?, ?)",
        mysql::FormatDateTime(as_of), policy_version, evaluated, raised,
        mysql::FormatDateTime(absl::Now()));
    return absl::OkStatus();
  });
}

absl::StatusOr<SweepStore::LastSweep> MysqlSweepStore::LastSweepRun(absl::Time deadline) {
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

}  // namespace rectify::supervision
