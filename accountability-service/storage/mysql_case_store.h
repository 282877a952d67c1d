// CaseStore over MySQL/MariaDB: the only place with the accountability docket's SQL.
#pragma once

#include "accountability-service/storage/case_store.h"
#include "common/mysql/pool.h"
#include "common/outbox.h"

namespace rectify::accountability {

class MysqlCaseStore final : public CaseStore {
 public:
  explicit MysqlCaseStore(mysql::Pool& pool) : pool_(pool), events_(pool) {}
  absl::Status Init(absl::Time deadline) { return events_.Init(deadline); }

  absl::StatusOr<Case> OpenCase(const Mutation& m, Case c) override;
  absl::StatusOr<Case> GetCase(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Case>> ListCases(const CaseQuery& q, const CaseScope& scope,
                                              int64_t after_id, int limit,
                                              absl::Time deadline) override;
  absl::StatusOr<Case> MutateCase(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) override;
  absl::StatusOr<std::vector<PendingReopen>> DueReopens(absl::Time now, int limit,
                                                        absl::Time deadline) override;
  absl::StatusOr<std::vector<Case>> CasesForStats(const StatsFilter& f,
                                                  absl::Time deadline) override;
  // The outbox of the changes this store makes (WatchEvents serves it).
  EventLog& events() { return events_; }

 private:
  mysql::Pool& pool_;
  EventLog events_;
};

}  // namespace rectify::accountability
