#include "bench/synthetic_supervision.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/history_chain.h"
#include "common/mysql/where.h"
#include "supervision-service/domain/codec.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/storage/mysql_supervision_store.h"

namespace rectify::bench {
namespace {

using mysql::Binder;

Binder Int(int64_t v) {
  return [v](sql::PreparedStatement& s, int n) { s.setInt64(n, v); };
}
Binder Str(std::string v) {
  return [v = std::move(v)](sql::PreparedStatement& s, int n) { s.setString(n, v); };
}
Binder Time(const std::optional<absl::Time>& t) {
  if (!t) return [](sql::PreparedStatement& s, int n) { s.setNull(n, sql::DataType::TIMESTAMP); };
  return Str(mysql::FormatDateTime(*t));
}

}  // namespace

absl::Status SyntheticSupervision::Load(const std::vector<supervision::SupervisionRecord>& records,
                                        absl::Time deadline) {
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < records.size(); start += kBatch) {
    size_t end = std::min(records.size(), start + kBatch);
    RETURN_IF_ERROR(pool_.Transact(deadline, [&](mysql::Tx& tx) -> absl::Status {
      std::string sql =
          "INSERT INTO records (issue_id, region_code, lead_org_id, state, level, light, active, "
          "settled, deadline, progress, rejections, assign_time, notices, listed_time, "
          "report_months, update_time, version, body, history_seq, history_hash) VALUES ";
      std::string orgs = "INSERT INTO record_orgs (org_id, issue_id) VALUES ";
      std::vector<Binder> b, ob;
      for (size_t k = start; k < end; ++k) {
        const auto& r = records[k];
        const auto& i = r.issue;
        absl::StrAppend(&sql, k > start ? ", " : "",
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 0, ?)");
        for (Binder x :
             {Int(i.id), Str(i.region_code), Str(i.lead_org_id), Int(static_cast<int>(i.state)),
              Int(static_cast<int>(r.level)), Int(static_cast<int>(r.light)), Int(r.active),
              Int(supervision::IsSettled(i.state)), Str(i.deadline), Int(i.progress_percent),
              Int(i.rejection_count), Time(i.assign_time), Int(r.notices), Time(r.listed_time),
              Str(absl::StrJoin(r.report_months, ",")), Str(mysql::FormatDateTime(r.update_time)),
              Str(Dump(supervision::ToJson(r))), Str(kGenesisHash)}) {
          b.push_back(std::move(x));
        }
        absl::StrAppend(&orgs, k > start ? ", " : "", "(?, ?)");
        ob.push_back(Str(i.lead_org_id));
        ob.push_back(Int(i.id));
      }
      auto& stmt = tx.conn().Prepare(sql);
      for (size_t k = 0; k < b.size(); ++k) b[k](stmt, static_cast<int>(k + 1));
      stmt.executeUpdate();
      auto& ostmt = tx.conn().Prepare(orgs);
      for (size_t k = 0; k < ob.size(); ++k) ob[k](ostmt, static_cast<int>(k + 1));
      ostmt.executeUpdate();
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

absl::Status SyntheticSupervision::RebuildCounts(absl::Time deadline) {
  // Storage's own rebuild: the board's keys are kept in one place.
  supervision::SupervisionTables tables(pool_);
  return supervision::MysqlMapStore(tables).RebuildCounts(deadline);
}

}  // namespace rectify::bench
