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

absl::StatusOr<BoardCounts> MysqlMapStore::Board(const std::string& region_prefix,
                                                 const std::string& today, absl::Time deadline) {
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

absl::Status MysqlMapStore::RebuildCounts(absl::Time deadline) {
  return pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
    auto& c = tx.conn();
    c.Execute("DELETE FROM board_counts");
    c.Execute("DELETE FROM board_deadlines");
    // The same keys as Count: active records by region, state, light and shard; the deadlines
    // of those not settled.
    c.Exec(
        "INSERT INTO board_counts SELECT region_code, state, light, issue_id % ?, COUNT(*) FROM "
        "records WHERE active = 1 GROUP BY 1, 2, 3, 4",
        kShards);
    c.Execute(
        "INSERT INTO board_deadlines SELECT deadline, region_code, COUNT(*) FROM records WHERE "
        "active = 1 AND settled = 0 AND deadline IS NOT NULL GROUP BY 1, 2");
    return absl::OkStatus();
  });
}

}  // namespace rectify::supervision
