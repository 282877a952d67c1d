// The issue registry's stores in memory, for the domain's unit tests: the same contract as the
// MySQL stores (a mutation is all or nothing, writes its history record, answers a repeated
// request_id with the first answer after asking the domain whether the caller may still see it)
// without a database. Single-threaded by design: unit tests call one desk at a time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "issue-service/storage/issue_store.h"

namespace rectify::issues::fakes {

class InMemoryReferenceStore final : public ReferenceStore {
 public:
  std::vector<Region> regions;
  std::vector<Org> orgs;

  absl::StatusOr<std::vector<Region>> LoadRegions(absl::Time) override { return regions; }
  absl::StatusOr<std::vector<Org>> LoadOrgs(absl::Time) override { return orgs; }
  absl::StatusOr<Org> UpsertOrg(
      const IssueMutation& m, Org org,
      const std::function<absl::Status(const std::optional<Org>&)>& rule) override;
};

class InMemoryInspectionStore final : public InspectionStore {
 public:
  std::map<int64_t, Inspection> inspections;
  std::string ledger_start = "2020-01-01";

  absl::StatusOr<Inspection> CreateInspection(const IssueMutation& m,
                                              Inspection inspection) override;
  absl::StatusOr<Inspection> GetInspection(int64_t id, absl::Time) override;
  absl::StatusOr<std::vector<Inspection>> ListInspections(std::optional<InspectionKind> kind,
                                                          int64_t after_id, int limit,
                                                          absl::Time) override;
  absl::StatusOr<std::string> LedgerStartDate(absl::Time) override { return ledger_start; }
};

// Issues with their reports, objections, extensions, files and history: one "transaction" is
// one call, working on copies that replace the stored state only when the rule succeeds.
class InMemoryIssueStore final : public IssueStore, public EvidenceStore, public HistoryReader {
 public:
  // IssueStore
  absl::StatusOr<Issue> CreateIssue(const IssueMutation& m, Issue issue,
                                    const std::string& event_type) override;
  absl::StatusOr<Issue> GetIssue(int64_t id, absl::Time) override;
  absl::StatusOr<std::vector<ListedIssue>> ListIssues(const IssueListSpec& spec,
                                                      absl::Time) override;
  absl::StatusOr<MutationResult> Mutate(const IssueMutation& m, int64_t id, ContextNeeds needs,
                                        const IssueRule& rule) override;
  absl::StatusOr<ProgressReport> AddProgressReport(
      const IssueMutation& m, int64_t issue_id, ProgressReport report,
      const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) override;
  absl::StatusOr<std::vector<ProgressReport>> ListProgressReports(int64_t issue_id,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time) override;
  absl::StatusOr<std::vector<Objection>> ListObjections(int64_t issue_id, absl::Time) override;
  absl::StatusOr<std::vector<Extension>> ListExtensions(int64_t issue_id, absl::Time) override;

  // EvidenceStore
  absl::StatusOr<Evidence> AddEvidence(
      const IssueMutation& m, Evidence evidence, const std::string& content,
      const std::function<absl::Status(const Issue&)>& rule) override;
  absl::StatusOr<std::vector<Evidence>> ListEvidence(int64_t issue_id, absl::Time) override;
  absl::StatusOr<Evidence> GetEvidence(int64_t issue_id, int64_t evidence_id, absl::Time) override;
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(int64_t evidence_id, int seq,
                                                               absl::Time) override;
  absl::Status ReadEvidence(int64_t evidence_id, absl::Time,
                            const std::function<bool(const std::string&)>& sink) override;

  // HistoryReader
  absl::StatusOr<std::vector<HistoryRecord>> LoadHistory(const std::string& resource,
                                                         absl::Time) override;
  absl::StatusOr<std::vector<HistoryRecord>> LoadHistoryPage(const std::string& resource,
                                                             bool newest_first, int64_t from_seq,
                                                             int limit, absl::Time) override;

  // What a test may inspect or tamper with.
  std::map<int64_t, Issue> issues;
  std::map<std::string, std::vector<HistoryRecord>> history;
  std::map<int64_t, std::string> contents;  // evidence id -> bytes
  int mutations_committed = 0;

 private:
  using ReplayKey = std::tuple<std::string, std::string, std::string>;
  struct Answer {
    std::string fingerprint;
    MutationResult result;
    std::optional<ProgressReport> report;
    std::optional<Evidence> evidence;
  };
  // The stored answer to this request, if any, once the caller may have it; an error when the
  // request_id was used for another request or the caller may no longer see the issue.
  absl::StatusOr<const Answer*> Replay(const IssueMutation& m, int64_t issue_id);
  void Remember(const IssueMutation& m, Answer answer);
  // Runs `rule` on a copy of the issue and commits the change; the report/evidence hooks add
  // their rows and history payload fields.
  absl::StatusOr<MutationResult> Apply(const IssueMutation& m, int64_t id,
                                       const ContextNeeds& needs, const IssueRule& rule);
  void AppendHistory(const IssueMutation& m, const std::string& resource, const std::string& action,
                     const std::string& payload);

  std::map<ReplayKey, Answer> answers_;
  std::map<int64_t, std::vector<ProgressReport>> reports_;
  std::map<int64_t, Objection> objections_;
  std::map<int64_t, Extension> extensions_;
  std::map<int64_t, Evidence> evidence_;
  int64_t next_id_ = 1;
};

// Returns the counts it was given, and remembers the query it was asked.
class InMemoryStatsStore final : public StatsStore {
 public:
  StatsData data;
  std::optional<StatsQuery> last_query;
  absl::StatusOr<StatsData> LedgerStatsData(const StatsQuery& query, absl::Time) override {
    last_query = query;
    return data;
  }
};

}  // namespace rectify::issues::fakes
