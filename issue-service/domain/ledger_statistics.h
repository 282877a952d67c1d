// The ledger's published figures (DESIGN §4.1): counts by state, city, category, source and
// class, overdue issues, and the completion and closure rates, within the caller's scope.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "issue-service/domain/reference_data.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

struct LedgerStats {
  int64_t total = 0;
  std::map<std::string, int64_t> by_state, by_city, by_category, by_source, by_class;
  int64_t overdue = 0;
  int64_t rectification_completed = 0;
  int64_t accepted_and_closed = 0;
  int64_t acceptance_not_completed = 0;
  int64_t acceptance_not_applied = 0;
  double completion_rate = 0;
  double closure_rate = 0;
  std::string as_of_date;
};

// Folds the store's count groups into the published figures.
LedgerStats SummarizeLedger(const StatsData& data, const std::string& as_of_date);

class LedgerStatistics {
 public:
  LedgerStatistics(StatsStore& store, const ReferenceData& reference)
      : store_(store), reference_(reference) {}

  absl::StatusOr<LedgerStats> GetLedgerStats(const CallContext& call,
                                             const std::string& region_code, int64_t inspection_id);

 private:
  StatsStore& store_;
  const ReferenceData& reference_;
};

}  // namespace rectify::issues
