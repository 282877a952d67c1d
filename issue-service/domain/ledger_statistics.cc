#include "issue-service/domain/ledger_statistics.h"

#include "common/clock.h"
#include "common/status.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {

LedgerStats SummarizeLedger(const StatsData& data, const std::string& as_of_date) {
  LedgerStats out;
  out.as_of_date = as_of_date;
  out.overdue = data.overdue;
  for (const auto& row : data.rows) {
    if (row.count == 0) continue;
    switch (row.dimension) {
      case StatsRow::kCategory:
        out.by_category[EnumToName(kCategoryNames, static_cast<Category>(row.value))] += row.count;
        continue;
      case StatsRow::kSource:
        out.by_source[EnumToName(kSourceNames, static_cast<IssueSource>(row.value))] += row.count;
        continue;
      case StatsRow::kClass: {
        auto klass = static_cast<RectificationClass>(row.value);
        out.by_class[klass == RectificationClass::kUnspecified ? "UNASSIGNED"
                                                               : EnumToName(kClassNames, klass)] +=
            row.count;
        continue;
      }
      case StatsRow::kState:
        break;
    }
    out.total += row.count;
    out.by_state[EnumToName(kStateNames, row.state)] += row.count;
    out.by_city[row.city + "00"] += row.count;
    switch (row.state) {
      case IssueState::kClosed:
        out.accepted_and_closed += row.count;
        out.rectification_completed += row.count;
        break;
      case IssueState::kAcceptanceRequested:
      case IssueState::kLocallyAccepted:
      case IssueState::kPreExamined:
      case IssueState::kJointReviewed:
      case IssueState::kPublicNotice:
        out.acceptance_not_completed += row.count;
        out.rectification_completed += row.count;
        break;
      case IssueState::kStageCompleted:
        out.rectification_completed += row.count;
        break;
      case IssueState::kRectifying:
        if (row.measures_done) out.acceptance_not_applied += row.count;
        break;
      default:
        break;
    }
  }
  if (out.total > 0) {
    out.completion_rate = static_cast<double>(out.rectification_completed) / out.total;
    out.closure_rate = static_cast<double>(out.accepted_and_closed) / out.total;
  }
  return out;
}

absl::StatusOr<LedgerStats> LedgerStatistics::GetLedgerStats(const CallContext& call,
                                                             const std::string& region_code,
                                                             int64_t inspection_id) {
  StatsQuery q;
  if (!region_code.empty()) {
    Violations v;
    reference_.CheckRegion(v, "region_code", region_code);
    RETURN_IF_ERROR(v.ToStatus());
    q.region_prefix = RegionPrefix(region_code);
  }
  if (inspection_id < 0) return InvalidField("inspection_id", "must be a positive id");
  q.inspection_id = inspection_id;
  q.scope = AccessPolicy::ScopeOf(call.principal);
  q.today = FormatDate(ProvinceDay(call.now));
  ASSIGN_OR_RETURN(StatsData data, store_.LedgerStatsData(q, call.deadline));
  return SummarizeLedger(data, q.today);
}

}  // namespace rectify::issues
