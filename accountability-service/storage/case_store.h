// The accountability docket's storage interface; mysql_case_store.cc is the only place with SQL.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "accountability-service/domain/model.h"
#include "common/auth.h"
#include "common/mutation.h"

namespace rectify::accountability {

struct CaseChange {
  CaseChange(std::string type = "") : event_type(std::move(type)) {}  // NOLINT
  std::string event_type;                                             // empty: nothing changed
};

struct CaseScope {
  bool everything = false;
  std::string org;  // otherwise: cases whose subjects include this org
};

struct DateBound {
  std::string op;  // = < <= > >=
  std::string date;
};

struct CaseQuery {
  std::optional<CaseState> state;
  std::optional<std::string> region_prefix;
  std::optional<FailureType> failure_type;
  std::optional<std::string> subject_org;
  std::optional<CaseSource> source;
  std::optional<int64_t> issue_id;  // cases that name this issue
  std::vector<DateBound> opened;
};

struct PendingReopen {
  int64_t case_id = 0;
  int64_t issue_id = 0;
};

struct StatsFilter {
  std::string region_prefix;
  std::string from_date;  // inclusive, province dates; empty: open
  std::string to_date;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  // A case with a transfer_id already on file is returned as it is (idempotent across retries
  // and restarts, and under concurrent duplicates).
  virtual absl::StatusOr<Case> OpenCase(const Mutation& m, Case c) = 0;
  virtual absl::StatusOr<Case> GetCase(int64_t id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Case>> ListCases(const CaseQuery& q, const CaseScope& scope,
                                                      int64_t after_id, int limit,
                                                      absl::Time deadline) = 0;
  // Locks the case, runs `rule`, stores the case with its history record, its event and its
  // reopen deliveries in one transaction. NOT_FOUND when absent.
  virtual absl::StatusOr<Case> MutateCase(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) = 0;
  virtual absl::StatusOr<std::vector<PendingReopen>> DueReopens(absl::Time now, int limit,
                                                                absl::Time deadline) = 0;
  // Cases (decided or closed ones for sanctions) opened in the period, within the region.
  virtual absl::StatusOr<std::vector<Case>> CasesForStats(const StatsFilter& f,
                                                          absl::Time deadline) = 0;
};

}  // namespace rectify::accountability
