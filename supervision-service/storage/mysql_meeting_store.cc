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

absl::StatusOr<Meeting> MysqlMeetingStore::CreateMeeting(
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

absl::StatusOr<Meeting> MysqlMeetingStore::GetMeeting(int64_t id, absl::Time deadline) {
  return mysql::ReadFor<Meeting>(pool_, deadline, [&](Connection& c) -> absl::StatusOr<Meeting> {
    auto rs = c.Query("SELECT id, body FROM meetings WHERE id = ?", id);
    if (!rs->next()) return NotFoundError(MeetingResource(id));
    return MeetingFromRow(c, *rs);
  });
}

absl::StatusOr<std::vector<Meeting>> MysqlMeetingStore::ListMeetings(int64_t after_id, int limit,
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

absl::StatusOr<std::vector<Directive>> MysqlMeetingStore::ListDirectives(
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

absl::StatusOr<Directive> MysqlMeetingStore::MutateDirective(
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

}  // namespace rectify::supervision
