// The issue registry's behaviour, independent of transport and storage: validation, scope,
// lifecycle and pagination. The gRPC handlers are thin adapters over this class.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/etag.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/working_days.h"
#include "issue-service/domain/closure_workflow.h"
#include "issue-service/domain/ledger_export.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

struct Assignment {
  int64_t issue_id = 0;
  std::string lead_org_id;
  std::vector<std::string> responsible_org_ids;
  std::string acceptance_org_id;
  std::vector<std::string> joint_reviewer_org_ids;
  std::string deadline;
  RectificationClass rectification_class = RectificationClass::kUnspecified;
  std::string responsible_official;
  std::string etag;
  // A deadline before the assignment date is accepted only when confirmed, with the reason
  // (recorded in the issue's history).
  bool deadline_already_passed = false;
  std::string deadline_reason;
};

struct IssuePage {
  std::vector<Issue> issues;
  std::string next_page_token;
};

struct InspectionPage {
  std::vector<Inspection> inspections;
  std::string next_page_token;
};

struct HistoryPage {
  std::vector<HistoryRecord> records;
  std::string next_page_token;
};

struct HistoryVerification {
  bool ok = true;
  int64_t records_checked = 0;
  int64_t evidence_checked = 0;
  int64_t first_bad_seq = 0;
  std::string problem;
};

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

struct ProgressReportPage {
  std::vector<ProgressReport> reports;
  std::string next_page_token;
};

// Fields an UpdateIssue may name in its mask.
inline constexpr const char* kUpdatableFields[] = {"title",
                                                   "description",
                                                   "category",
                                                   "site",
                                                   "priority",
                                                   "responsible_official",
                                                   "target_text",
                                                   "targets",
                                                   "measures",
                                                   "complaint.batch",
                                                   "complaint.complainant_contact"};

class IssueLedger {
 public:
  struct Limits {
    int default_page_size = 50;
    int max_page_size = 500;
    int64_t max_evidence_bytes = 64 << 20;
    WorkflowPolicy workflow;
  };

  IssueLedger(IssueStore& store, std::string page_token_secret, WorkingDayCalendar calendar);
  IssueLedger(IssueStore& store, std::string page_token_secret, WorkingDayCalendar calendar,
              Limits limits);

  // Loads the reference data (regions, orgs); call before serving.
  absl::Status Init(absl::Time deadline);
  // The divisions of the reference data with their levels (for checking tokens' regions).
  std::vector<std::pair<std::string, RegionLevel>> RegionCodes() const;

  absl::StatusOr<std::vector<Region>> ListRegions(const CallContext& call,
                                                  const std::string& under_code);
  absl::StatusOr<std::vector<Org>> ListOrgs(const CallContext& call, OrgKind kind,
                                            const std::string& region_code);
  absl::StatusOr<Org> UpsertOrg(const CallContext& call, Org org);

  absl::StatusOr<Inspection> CreateInspection(const CallContext& call, Inspection inspection);
  absl::StatusOr<Inspection> GetInspection(const CallContext& call, int64_t id);
  absl::StatusOr<InspectionPage> ListInspections(const CallContext& call, int page_size,
                                                 const std::string& page_token,
                                                 InspectionKind kind);

  absl::StatusOr<Issue> CreateIssue(const CallContext& call, Issue issue);
  // An entry of the ledger kept before this system, for an inspection fed back before the
  // ledger started; office only.
  absl::StatusOr<Issue> ImportIssue(const CallContext& call, Issue issue,
                                    const std::string& source_document,
                                    const std::string& closed_date);
  absl::StatusOr<Issue> GetIssue(const CallContext& call, int64_t id);
  absl::StatusOr<IssuePage> ListIssues(const CallContext& call, int page_size,
                                       const std::string& page_token, const std::string& filter,
                                       const std::string& order_by);
  // `patch` carries the new values of the fields named in `mask`; `etag` may be empty.
  absl::StatusOr<Issue> UpdateIssue(const CallContext& call, int64_t id, const Issue& patch,
                                    const std::vector<std::string>& mask, const std::string& etag);
  absl::StatusOr<Issue> AssignIssue(const CallContext& call, const Assignment& assignment);
  absl::StatusOr<Issue> AcknowledgeAssignment(const CallContext& call, int64_t id,
                                              const std::string& etag);
  absl::StatusOr<ProgressReport> ReportProgress(const CallContext& call, int64_t issue_id,
                                                ProgressReport report);
  absl::StatusOr<ProgressReportPage> ListProgressReports(const CallContext& call, int64_t issue_id,
                                                         int page_size,
                                                         const std::string& page_token);

  // --- Closure acceptance (closure_ledger.cc) ---
  absl::StatusOr<Issue> RequestAcceptance(const CallContext& call, int64_t id,
                                          const std::string& self_check,
                                          const std::vector<int64_t>& evidence_ids, bool stage,
                                          const std::string& etag);
  absl::StatusOr<Issue> ReviewAcceptance(const CallContext& call, int64_t id, AcceptanceStep step,
                                         Decision decision, const std::string& reason,
                                         const std::string& etag);
  absl::StatusOr<Issue> OpenPublicNotice(const CallContext& call, int64_t id, int working_days,
                                         const std::string& etag);
  absl::StatusOr<Objection> FileObjection(const CallContext& call, int64_t issue_id,
                                          Objection objection);
  absl::StatusOr<std::vector<Objection>> ListObjections(const CallContext& call, int64_t issue_id);
  absl::StatusOr<Objection> RuleOnObjection(const CallContext& call, int64_t issue_id,
                                            int64_t objection_id, bool uphold,
                                            const std::string& ruling);
  absl::StatusOr<Issue> CloseIssue(const CallContext& call, int64_t id, const std::string& etag);
  absl::StatusOr<Issue> ReopenIssue(const CallContext& call, int64_t id, ReopenReason reason,
                                    const std::string& explanation, const std::string& cause);
  absl::StatusOr<Issue> RecordVerification(const CallContext& call, int64_t id,
                                           ComplaintFinding finding, const std::string& report);
  absl::StatusOr<Issue> RecordFollowUp(const CallContext& call, int64_t id,
                                       const std::string& result);
  absl::StatusOr<Extension> RequestExtension(const CallContext& call, int64_t issue_id,
                                             const std::string& requested_deadline,
                                             const std::string& reason);
  absl::StatusOr<Extension> DecideExtension(const CallContext& call, int64_t issue_id,
                                            int64_t extension_id, bool approve,
                                            const std::string& reason);
  absl::StatusOr<std::vector<Extension>> ListExtensions(const CallContext& call, int64_t issue_id);

  // --- The dossier ---
  // Checks the metadata before the content arrives (who may upload what, to which issue).
  absl::Status CheckUpload(const CallContext& call, const Evidence& metadata);
  // On an upload's first message, before any content is accepted: the metadata, the caller's
  // role, and whether it may add to this issue's dossier (scope, rectifier, state).
  absl::Status CheckUploadMayBegin(const CallContext& call, const Evidence& metadata);
  absl::StatusOr<Evidence> AddEvidence(const CallContext& call, Evidence metadata,
                                       const std::string& content);
  absl::StatusOr<std::vector<Evidence>> ListEvidence(const CallContext& call, int64_t issue_id);
  absl::StatusOr<Evidence> GetEvidence(const CallContext& call, int64_t issue_id,
                                       int64_t evidence_id);
  // The `seq`-th stored chunk of a file the caller was shown by GetEvidence; std::nullopt past
  // the last.
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(const CallContext& call,
                                                               int64_t evidence_id, int seq);
  int64_t max_evidence_bytes() const { return limits_.max_evidence_bytes; }

  // --- History ---
  absl::StatusOr<HistoryPage> GetIssueHistory(const CallContext& call, int64_t id, int page_size,
                                              const std::string& page_token, bool newest_first);
  absl::StatusOr<HistoryVerification> VerifyIssueHistory(const CallContext& call, int64_t id);

  // --- Statistics ---
  absl::StatusOr<LedgerStats> GetLedgerStats(const CallContext& call,
                                             const std::string& region_code, int64_t inspection_id);

  // Streams the ledger, with ListIssues' filter and order, within the caller's scope.
  // The ledger's rows (LedgerRow) within the caller's scope, filtered and ordered as ListIssues.
  absl::Status ExportLedger(
      const CallContext& call, const std::string& filter, const std::string& order_by,
      const std::function<absl::Status(const std::vector<std::string>& row)>& row);

  // Presentation helpers for the API layer.
  bool IsOverdue(const Issue& issue, absl::Time now) const;

 private:
  Mutation MakeMutation(const CallContext& call, const char* operation) const;
  void CheckRegion(Violations& v, const std::string& field, const std::string& code) const;
  void CheckOrg(Violations& v, const std::string& field, const std::string& id,
                std::initializer_list<OrgKind> kinds) const;
  void CheckRegistration(Violations& v, Issue& issue, bool historical = false) const;
  // `prefix` names where the assignment's fields are ("" in AssignIssue, "issue." in an import).
  void CheckAssignment(Violations& v, const std::string& prefix, const Assignment& a) const;
  // Reads an issue the caller may see (scope checked before existence is revealed).
  absl::StatusOr<Issue> ReadVisible(const CallContext& call, int64_t id);
  // Every closure step keeps an eligible signer for this assignment of an issue in `region_code`.
  void CheckSignersRemain(Violations& v, const std::string& prefix, const std::string& region_code,
                          const Assignment& a) const;
  absl::Status CheckMayAddToDossier(const Principal& p, const Issue& issue, absl::Time now) const;

  IssueStore& store_;
  PageTokenCodec tokens_;
  WorkingDayCalendar calendar_;
  Limits limits_;
  ClosureWorkflow workflow_{calendar_, limits_.workflow};

  mutable absl::Mutex mu_;
  std::map<std::string, Region> regions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Org> orgs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::issues
