// The issue registry's storage interfaces, one per concern of the domain. The MySQL implementation
// (mysql_issue_store.cc) is the only place with SQL; the domain and its tests (with in-memory
// fakes) depend on these interfaces alone.
//
// Mutations take a IssueMutation describing who acts, when, and under which idempotency key, and a
// callback holding the domain rule. The store runs the callback inside one transaction with the
// resource locked, then writes the resource, its history record and its outbox event in that
// same transaction. A repeated request_id returns the first answer without running the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/history_chain.h"
#include "common/mutation.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/model.h"
#include "issue-service/domain/query.h"

namespace rectify::issues {

// A change of the registry: the platform's Mutation and the domain's rule for replays.
struct IssueMutation : Mutation {
  // Asked, for the issue as it is now, before a stored answer to request_id is replayed: whether
  // the caller may still act on it (the domain's rule; storage only asks).
  std::function<absl::Status(const Issue&)> may_replay = nullptr;
};

// What a domain rule decided a change is: recorded as a history action and an outbox event,
// with the related records it writes in the same transaction.
struct Change {
  Change(std::string type = "") : event_type(std::move(type)) {}  // NOLINT: implicit by design

  // Also the history action, e.g. "issue.assigned". Empty: nothing changed, nothing is written.
  std::string event_type;
  // Evidence that becomes part of a submitted application: never deleted or replaced again.
  std::vector<int64_t> seal_evidence;
  // Inserted when its id is 0, updated otherwise.
  std::optional<Objection> objection;
  std::optional<Extension> extension;
  // A remark recorded with the change in its history (e.g. why a past deadline was accepted).
  std::string note;
};

// What a rule may need to see besides the issue, read inside its transaction.
struct ContextNeeds {
  bool evidence = false;
  bool objections = false;
  bool extensions = false;
  // Counts this subject's objections since `since` (rate limiting).
  std::string objections_filed_by;
  absl::Time since;
};

struct IssueContext {
  std::vector<Evidence> evidence;
  std::vector<Objection> objections;
  std::vector<Extension> extensions;
  int objections_filed_recently = 0;
};

struct MutationResult {
  Issue issue;
  std::optional<Objection> objection;
  std::optional<Extension> extension;
};

using IssueRule = std::function<absl::StatusOr<Change>(Issue&, const IssueContext&)>;

struct IssueListSpec {
  IssueQuery query;
  IssueScope scope;
  IssueOrder order;
  // Keyset position after which to continue (empty key and id 0: from the start).
  std::string after_key;
  int64_t after_id = 0;
  int limit = 50;
  // "Today" for overdue, in the province's calendar.
  std::string today;
};

struct ListedIssue {
  Issue issue;
  std::string sort_key;  // the value of the order column, for the next page token
};

// One group of the ledger's counts: by state (with the city and whether all measures are done),
// or by one other dimension.
struct StatsRow {
  enum Dimension { kState, kCategory, kSource, kClass };
  Dimension dimension = kState;
  IssueState state = IssueState::kUnspecified;  // kState
  std::string city;                             // kState: first four digits of the region
  bool measures_done = false;                   // kState
  int value = 0;                                // the enum value for the other dimensions
  int64_t count = 0;
};

struct StatsQuery {
  IssueScope scope;
  std::string region_prefix;  // optional restriction
  int64_t inspection_id = 0;  // optional restriction
  std::string today;          // for overdue
};

struct StatsData {
  std::vector<StatsRow> rows;
  int64_t overdue = 0;
};

// The divisions and orgs of the province (reference data).
class ReferenceStore {
 public:
  virtual ~ReferenceStore() = default;
  virtual absl::StatusOr<std::vector<Region>> LoadRegions(absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Org>> LoadOrgs(absl::Time deadline) = 0;
  // `rule` sees the current org (if any) and may refuse.
  virtual absl::StatusOr<Org> UpsertOrg(
      const IssueMutation& m, Org org,
      const std::function<absl::Status(const std::optional<Org>& current)>& rule) = 0;
};

// The inspection rounds issues come from.
class InspectionStore {
 public:
  virtual ~InspectionStore() = default;
  virtual absl::StatusOr<Inspection> CreateInspection(const IssueMutation& m,
                                                      Inspection inspection) = 0;
  // NOT_FOUND when absent.
  virtual absl::StatusOr<Inspection> GetInspection(int64_t id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Inspection>> ListInspections(
      std::optional<InspectionKind> kind, int64_t after_id, int limit, absl::Time deadline) = 0;
  // The day the ledger started: entries of rounds before it may be imported.
  virtual absl::StatusOr<std::string> LedgerStartDate(absl::Time deadline) = 0;
};

// The issues, their progress reports, objections and extensions.
class IssueStore {
 public:
  virtual ~IssueStore() = default;

  // Records the creation as `event_type` ("issue.created", or "issue.imported").
  virtual absl::StatusOr<Issue> CreateIssue(const IssueMutation& m, Issue issue,
                                            const std::string& event_type = "issue.created") = 0;
  // A typed IssueNotFound when absent.
  virtual absl::StatusOr<Issue> GetIssue(int64_t id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<ListedIssue>> ListIssues(const IssueListSpec& spec,
                                                              absl::Time deadline) = 0;
  // Locks the issue, reads what `rule` needs, runs `rule` (which changes the issue or refuses),
  // then persists the issue, the related records, the history record and the event. NOT_FOUND
  // when absent (before `rule` runs).
  virtual absl::StatusOr<MutationResult> Mutate(const IssueMutation& m, int64_t id,
                                                ContextNeeds needs, const IssueRule& rule) = 0;
  absl::StatusOr<Issue> MutateIssue(const IssueMutation& m, int64_t id,
                                    const std::function<absl::StatusOr<Change>(Issue&)>& rule) {
    auto r = Mutate(m, id, {}, [&](Issue& i, const IssueContext&) { return rule(i); });
    if (!r.ok()) return r.status();
    return std::move(r->issue);
  }
  // Same, and stores the report the rule fills in, in the same transaction.
  virtual absl::StatusOr<ProgressReport> AddProgressReport(
      const IssueMutation& m, int64_t issue_id, ProgressReport report,
      const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) = 0;
  virtual absl::StatusOr<std::vector<ProgressReport>> ListProgressReports(int64_t issue_id,
                                                                          int64_t after_id,
                                                                          int limit,
                                                                          absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Objection>> ListObjections(int64_t issue_id,
                                                                absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Extension>> ListExtensions(int64_t issue_id,
                                                                absl::Time deadline) = 0;
};

// The dossier's files.
class EvidenceStore {
 public:
  virtual ~EvidenceStore() = default;
  // Runs `rule` on the locked issue, then stores the file, its history record (with the
  // digest) and its event in one transaction.
  virtual absl::StatusOr<Evidence> AddEvidence(
      const IssueMutation& m, Evidence evidence, const std::string& content,
      const std::function<absl::Status(const Issue&)>& rule) = 0;
  virtual absl::StatusOr<std::vector<Evidence>> ListEvidence(int64_t issue_id,
                                                             absl::Time deadline) = 0;
  virtual absl::StatusOr<Evidence> GetEvidence(int64_t issue_id, int64_t evidence_id,
                                               absl::Time deadline) = 0;
  // One stored chunk of the content (chunks are numbered from 0); std::nullopt past the last.
  virtual absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(int64_t evidence_id, int seq,
                                                                       absl::Time deadline) = 0;
  // Streams the content chunk by chunk; `sink` returns false to stop.
  virtual absl::Status ReadEvidence(int64_t evidence_id, absl::Time deadline,
                                    const std::function<bool(const std::string&)>& sink) = 0;
};

// The hash-chained history of every resource.
class HistoryReader {
 public:
  virtual ~HistoryReader() = default;
  virtual absl::StatusOr<std::vector<HistoryRecord>> LoadHistory(const std::string& resource,
                                                                 absl::Time deadline) = 0;
  // A page of the chain: records after `after_seq` (oldest first) or before `before_seq`
  // (newest first; 0 = from the end).
  virtual absl::StatusOr<std::vector<HistoryRecord>> LoadHistoryPage(const std::string& resource,
                                                                     bool newest_first,
                                                                     int64_t from_seq, int limit,
                                                                     absl::Time deadline) = 0;
};

// The ledger's counts.
class StatsStore {
 public:
  virtual ~StatsStore() = default;
  // Counts for GetLedgerStats, within the scope.
  virtual absl::StatusOr<StatsData> LedgerStatsData(const StatsQuery& query,
                                                    absl::Time deadline) = 0;
};

}  // namespace rectify::issues
