// The accountability docket's store and issue directory in memory, for the docket's unit tests:
// the same contract as the MySQL store (a transfer opened twice is one case, a mutation is all
// or nothing and repeated request_ids get the first answer) without a database.
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "accountability-service/domain/case_docket.h"
#include "accountability-service/storage/case_store.h"

namespace rectify::accountability::fakes {

class InMemoryCaseStore final : public CaseStore {
 public:
  absl::StatusOr<Case> OpenCase(const Mutation& m, Case c) override;
  absl::StatusOr<Case> GetCase(int64_t id, absl::Time) override;
  absl::StatusOr<std::vector<Case>> ListCases(const CaseQuery& q, const CaseScope& scope,
                                              int64_t after_id, int limit, absl::Time) override;
  absl::StatusOr<Case> MutateCase(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) override;
  absl::StatusOr<std::vector<PendingReopen>> DueReopens(absl::Time now, int limit,
                                                        absl::Time) override;
  absl::StatusOr<std::vector<Case>> CasesForStats(const StatsFilter& f, absl::Time) override;

  std::map<int64_t, Case> cases;
  // The events the docket's changes recorded, in order.
  std::vector<std::string> events;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::string, Case>>
      answers_;
};

// The registry's issues by id, with their regions; `unavailable` makes every lookup fail as an
// unreachable registry would.
class InMemoryIssueDirectory final : public IssueDirectory {
 public:
  std::map<int64_t, std::string> regions;
  bool unavailable = false;
  absl::StatusOr<IssueRef> Lookup(int64_t issue_id, absl::Time) override;
};

}  // namespace rectify::accountability::fakes
