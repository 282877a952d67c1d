#include "bench/synthetic_ledger.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/history_chain.h"
#include "common/mysql/where.h"
#include "common/status.h"
#include "cppconn/datatype.h"
#include "issue-service/domain/codec.h"
#include "issue-service/domain/lifecycle.h"

namespace rectify::bench {
namespace {

using issues::Issue;
using mysql::Binder;

}  // namespace

absl::Status SyntheticLedger::Load(const std::vector<Issue>& issues, absl::Time deadline) {
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < issues.size(); start += kBatch) {
    size_t end = std::min(issues.size(), start + kBatch);
    RETURN_IF_ERROR(pool_.Transact(deadline, [&](mysql::Tx& tx) -> absl::Status {
      tx.conn().Execute("SET @rectify_bulk_load = 1");
      std::string sql =
          "INSERT INTO issues (inspection_id, source, category, rectification_class, priority, "
          "state, title, region_code, lead_org_id, deadline, progress_percent, create_time, "
          "update_time, version, body, history_seq, history_hash, measures_done, public, "
          "settled) VALUES ";
      std::vector<Binder> b;
      for (size_t k = start; k < end; ++k) {
        const Issue& i = issues[k];
        absl::StrAppend(&sql, k > start ? ", " : "",
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 0, ?, ?, ?, ?)");
        std::string body = Dump(issues::ToJson(i));
        std::string created = mysql::FormatDateTime(i.create_time);
        b.push_back([v = i.inspection_id](sql::PreparedStatement& s, int n) { s.setInt64(n, v); });
        b.push_back(
            [v = static_cast<int>(i.source)](sql::PreparedStatement& s, int n) { s.setInt(n, v); });
        b.push_back([v = static_cast<int>(i.category)](sql::PreparedStatement& s, int n) {
          s.setInt(n, v);
        });
        b.push_back([v = static_cast<int>(i.rectification_class)](sql::PreparedStatement& s,
                                                                  int n) { s.setInt(n, v); });
        b.push_back([v = static_cast<int>(i.priority)](sql::PreparedStatement& s, int n) {
          s.setInt(n, v);
        });
        b.push_back(
            [v = static_cast<int>(i.state)](sql::PreparedStatement& s, int n) { s.setInt(n, v); });
        b.push_back([v = i.title](sql::PreparedStatement& s, int n) { s.setString(n, v); });
        b.push_back([v = i.region_code](sql::PreparedStatement& s, int n) { s.setString(n, v); });
        b.push_back([v = i.lead_org_id](sql::PreparedStatement& s, int n) { s.setString(n, v); });
        b.push_back([v = i.deadline](sql::PreparedStatement& s, int n) {
          if (v.empty()) {
            s.setNull(n, sql::DataType::DATE);
          } else {
            s.setString(n, v);
          }
        });
        b.push_back([v = i.progress_percent](sql::PreparedStatement& s, int n) { s.setInt(n, v); });
        b.push_back([created](sql::PreparedStatement& s, int n) { s.setString(n, created); });
        b.push_back([created](sql::PreparedStatement& s, int n) { s.setString(n, created); });
        b.push_back([body](sql::PreparedStatement& s, int n) { s.setString(n, body); });
        b.push_back([](sql::PreparedStatement& s, int n) { s.setString(n, kGenesisHash); });
        for (bool flag :
             {issues::AllMeasuresDone(i), issues::IsPublic(i.state), issues::IsSettled(i.state)}) {
          b.push_back([flag](sql::PreparedStatement& s, int n) { s.setInt(n, flag ? 1 : 0); });
        }
      }
      auto& stmt = tx.conn().Prepare(sql);
      for (size_t k = 0; k < b.size(); ++k) b[k](stmt, static_cast<int>(k + 1));
      stmt.executeUpdate();
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::Status SyntheticLedger::RebuildCounters(absl::Time deadline) {
  return pool_.Transact(deadline, [&](mysql::Tx& tx) -> absl::Status {
    auto& c = tx.conn();
    for (const char* table : {"ledger_states", "ledger_categories", "ledger_sources",
                              "ledger_classes", "ledger_deadlines"}) {
      c.Execute(absl::StrCat("DELETE FROM ", table));
    }
    c.Execute(
        "INSERT INTO ledger_states SELECT region_code, inspection_id, state, measures_done, "
        "id % 16, COUNT(*) FROM issues GROUP BY 1, 2, 3, 4, 5");
    for (const auto& [table, column] :
         {std::pair{"ledger_categories", "category"}, std::pair{"ledger_sources", "source"},
          std::pair{"ledger_classes", "rectification_class"}}) {
      c.Execute(absl::StrCat("INSERT INTO ", table, " SELECT region_code, inspection_id, public, ",
                             column, ", id % 16, COUNT(*) FROM issues GROUP BY 1, 2, 3, 4, 5"));
    }
    c.Execute(
        "INSERT INTO ledger_deadlines SELECT deadline, region_code, inspection_id, COUNT(*) "
        "FROM issues WHERE deadline IS NOT NULL AND NOT settled GROUP BY 1, 2, 3");
    return absl::OkStatus();
  });
}

}  // namespace rectify::bench
