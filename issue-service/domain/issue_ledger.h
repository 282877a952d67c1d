// The ledger (台账) itself: registering and importing issues, reading and listing them within the
// caller's scope, changing their plan, assigning them under separation of duties, signing for
// assignments and reporting progress. Closure, the dossier, history, statistics and export are
// desks of their own (issue_registry.h puts them together).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "issue-service/domain/model.h"
#include "issue-service/domain/reference_data.h"
#include "issue-service/domain/request_checks.h"
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
  IssueLedger(IssueStore& store, InspectionStore& inspections, const ReferenceData& reference,
              const PageTokenCodec& tokens, PageSizes pages)
      : store_(store),
        inspections_(inspections),
        reference_(reference),
        tokens_(tokens),
        pages_(pages) {}

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

  int max_page_size() const { return pages_.max_size; }

 private:
  void CheckRegistration(Violations& v, Issue& issue, bool historical = false) const;
  // `prefix` names where the assignment's fields are ("" in AssignIssue, "issue." in an import).
  void CheckAssignment(Violations& v, const std::string& prefix, const Assignment& a) const;
  // Every closure step keeps an eligible signer for this assignment of an issue in `region_code`.
  void CheckSignersRemain(Violations& v, const std::string& prefix, const std::string& region_code,
                          const Assignment& a) const;

  IssueStore& store_;
  InspectionStore& inspections_;
  const ReferenceData& reference_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

}  // namespace rectify::issues
