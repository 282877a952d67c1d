// The issue registry's stores over MySQL/MariaDB: the only place the issue registry's SQL lives.
#pragma once

#include <memory>

#include "common/mysql/migrations.h"
#include "common/mysql/pool.h"
#include "common/outbox.h"
#include "issue-service/storage/decoded_issue_cache.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

// The counters that the schema's triggers keep (V004); the service only reads them.
inline const std::vector<std::string> kIssueRegistryReadOnlyTables = {
    "ledger_states", "ledger_categories", "ledger_sources", "ledger_classes", "ledger_deadlines"};

// What the schema's migrations read of the domain (V005's backfill of `public` and `settled`).
mysql::MigrationVariables IssueRegistryMigrationVariables();

class MysqlIssueStore final : public ReferenceStore,
                              public InspectionStore,
                              public IssueStore,
                              public EvidenceStore,
                              public HistoryReader,
                              public StatsStore {
 public:
  explicit MysqlIssueStore(mysql::Pool& pool) : pool_(pool), events_(pool) {}

  // Reads the outbox position; call once before serving.
  absl::Status Init(absl::Time deadline) { return events_.Init(deadline); }

  absl::StatusOr<std::vector<Region>> LoadRegions(absl::Time deadline) override;
  absl::StatusOr<std::vector<Org>> LoadOrgs(absl::Time deadline) override;
  absl::StatusOr<Org> UpsertOrg(
      const IssueMutation& m, Org org,
      const std::function<absl::Status(const std::optional<Org>&)>& rule) override;

  absl::StatusOr<Inspection> CreateInspection(const IssueMutation& m,
                                              Inspection inspection) override;
  absl::StatusOr<Inspection> GetInspection(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Inspection>> ListInspections(std::optional<InspectionKind> kind,
                                                          int64_t after_id, int limit,
                                                          absl::Time deadline) override;

  absl::StatusOr<Issue> CreateIssue(const IssueMutation& m, Issue issue,
                                    const std::string& event_type = "issue.created") override;
  absl::StatusOr<std::string> LedgerStartDate(absl::Time deadline) override;
  absl::StatusOr<Issue> GetIssue(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<ListedIssue>> ListIssues(const IssueListSpec& spec,
                                                      absl::Time deadline) override;
  absl::StatusOr<MutationResult> Mutate(const IssueMutation& m, int64_t id, ContextNeeds needs,
                                        const IssueRule& rule) override;
  absl::StatusOr<ProgressReport> AddProgressReport(
      const IssueMutation& m, int64_t issue_id, ProgressReport report,
      const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) override;
  absl::StatusOr<std::vector<ProgressReport>> ListProgressReports(int64_t issue_id,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time deadline) override;

  absl::StatusOr<std::vector<HistoryRecord>> LoadHistory(const std::string& resource,
                                                         absl::Time deadline) override;
  absl::StatusOr<std::vector<HistoryRecord>> LoadHistoryPage(const std::string& resource,
                                                             bool newest_first, int64_t from_seq,
                                                             int limit,
                                                             absl::Time deadline) override;
  absl::StatusOr<Evidence> AddEvidence(
      const IssueMutation& m, Evidence evidence, const std::string& content,
      const std::function<absl::Status(const Issue&)>& rule) override;
  absl::StatusOr<std::vector<Evidence>> ListEvidence(int64_t issue_id,
                                                     absl::Time deadline) override;
  absl::StatusOr<Evidence> GetEvidence(int64_t issue_id, int64_t evidence_id,
                                       absl::Time deadline) override;
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(int64_t evidence_id, int seq,
                                                               absl::Time deadline) override;
  absl::Status ReadEvidence(int64_t evidence_id, absl::Time deadline,
                            const std::function<bool(const std::string&)>& sink) override;
  absl::StatusOr<std::vector<Objection>> ListObjections(int64_t issue_id,
                                                        absl::Time deadline) override;
  absl::StatusOr<std::vector<Extension>> ListExtensions(int64_t issue_id,
                                                        absl::Time deadline) override;
  absl::StatusOr<StatsData> LedgerStatsData(const StatsQuery& query, absl::Time deadline) override;
  // The outbox of the changes this store makes (WatchEvents serves it).
  EventLog& events() { return events_; }

  // Chunk size of stored evidence.
  static constexpr size_t kChunkBytes = 1 << 20;

 private:
  mysql::Pool& pool_;
  EventLog events_;
  DecodedIssueCache decoded_;
};

}  // namespace rectify::issues
