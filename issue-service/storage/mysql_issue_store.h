// IssueStore over MySQL/MariaDB: the only place the issue registry's SQL lives.
#pragma once

#include <memory>

#include "common/mysql/pool.h"
#include "common/outbox.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

class MysqlIssueStore final : public IssueStore {
 public:
  explicit MysqlIssueStore(mysql::Pool& pool) : pool_(pool), events_(pool) {}

  // Reads the outbox position; call once before serving.
  absl::Status Init(absl::Time deadline) { return events_.Init(deadline); }

  absl::StatusOr<std::vector<Region>> LoadRegions(absl::Time deadline) override;
  absl::StatusOr<std::vector<Org>> LoadOrgs(absl::Time deadline) override;
  absl::StatusOr<Org> UpsertOrg(
      const Mutation& m, Org org,
      const std::function<absl::Status(const std::optional<Org>&)>& rule) override;

  absl::StatusOr<Inspection> CreateInspection(const Mutation& m, Inspection inspection) override;
  absl::StatusOr<Inspection> GetInspection(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Inspection>> ListInspections(std::optional<InspectionKind> kind,
                                                          int64_t after_id, int limit,
                                                          absl::Time deadline) override;

  absl::StatusOr<Issue> CreateIssue(const Mutation& m, Issue issue) override;
  absl::StatusOr<Issue> GetIssue(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<ListedIssue>> ListIssues(const IssueListSpec& spec,
                                                      absl::Time deadline) override;
  absl::StatusOr<Issue> MutateIssue(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Issue&)>& rule) override;
  absl::StatusOr<ProgressReport> AddProgressReport(
      const Mutation& m, int64_t issue_id, ProgressReport report,
      const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) override;
  absl::StatusOr<std::vector<ProgressReport>> ListProgressReports(int64_t issue_id,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time deadline) override;

  absl::StatusOr<std::vector<HistoryRecord>> LoadHistory(const std::string& resource,
                                                         absl::Time deadline) override;
  EventLog& events() override { return events_; }

 private:
  mysql::Pool& pool_;
  EventLog events_;
};

}  // namespace rectify::issues
