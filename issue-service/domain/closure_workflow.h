// Closure acceptance (销号验收) that cannot be faked (DESIGN.md §4.2):
//
//   1 RequestAcceptance   a rectifying org applies: every measure done, a dossier, a self-check
//   2 ON_SITE             the government one level up (the city above a county's issue), or the
//                         acceptance department where the rectifier is a city or a department
//   3 PRE_EXAMINATION     the acceptance department: dossier complete, measurable targets met
//   4 JOINT_REVIEW        the office and every listed joint reviewer; all must approve
//   5 public notice       the office opens it; anyone may object; the office rules and closes
//
// Separation of duties holds for every step: no org that rectifies the issue acts in steps 2-5,
// each step only by its designated org, and one org never signs two consecutive steps that the
// design gives to different levels. Any rejection sends the issue back to RECTIFYING with the
// reason and counts it. Unsubstantiated complaints skip the on-site step but still need
// pre-examination and joint review. A long-term issue's stage goal goes through the same steps
// and ends in STAGE_COMPLETED, still tracked.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/status.h"
#include "common/working_days.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

struct WorkflowPolicy {
  int default_notice_working_days = 5;
  int max_notice_working_days = 30;
  // Objections one principal may file in 24 hours.
  int objections_per_day = 5;
};

// Whether a measurable target's latest value meets it (a target below the baseline is a ceiling,
// one above it a floor).
bool TargetMet(const Target& t);

class ClosureWorkflow {
 public:
  ClosureWorkflow(const WorkingDayCalendar& calendar, WorkflowPolicy policy)
      : calendar_(calendar), policy_(policy) {}

  const WorkflowPolicy& policy() const { return policy_; }

  // Step 1. `dossier` is the issue's evidence; `evidence_ids` must name some of it.
  absl::Status RequestAcceptance(const Principal& p, Issue& issue, const std::string& self_check,
                                 const std::vector<int64_t>& evidence_ids, bool stage,
                                 const std::vector<Evidence>& dossier, absl::Time now) const;
  // Steps 2-4; returns the event type of what happened.
  absl::StatusOr<std::string> Review(const Principal& p, Issue& issue, AcceptanceStep step,
                                     Decision decision, const std::string& reason,
                                     absl::Time now) const;
  // Step 5.
  absl::Status OpenNotice(const Principal& p, Issue& issue, int working_days, absl::Time now) const;
  absl::Status CheckCanObject(const Principal& p, const Issue& issue, absl::Time now) const;
  // An upheld objection sends the issue back with the objection as the reason.
  void ApplyUpheldObjection(Issue& issue, const Objection& objection) const;
  // CLOSED, or STAGE_COMPLETED for a stage goal.
  absl::Status Close(const Principal& p, Issue& issue, int pending_objections,
                     absl::Time now) const;
  // Returns false (and changes nothing) when the issue was already reopened for `cause`.
  absl::StatusOr<bool> Reopen(const Principal& p, Issue& issue, ReopenReason reason,
                              const std::string& explanation, const std::string& cause,
                              absl::Time now) const;
  absl::Status RecordVerification(const Principal& p, Issue& issue, ComplaintFinding finding,
                                  const std::string& report) const;
  absl::Status RecordFollowUp(const Principal& p, Issue& issue, const std::string& result) const;

  absl::Status CheckCanRequestExtension(const Principal& p, const Issue& issue,
                                        const std::string& requested_deadline,
                                        const std::string& reason,
                                        const std::vector<Extension>& existing) const;
  absl::Status DecideExtension(const Principal& p, Issue& issue, Extension& extension, bool approve,
                               const std::string& reason, absl::Time now) const;

  // Who signs step 2 for this issue.
  static bool IsOnSiteAcceptor(const Principal& p, const Issue& issue);
  // At assignment: every step keeps a signer that separation of duties allows, or the field that
  // takes the step's signer away is named with the step. `rectifiers` are the lead and
  // responsible orgs as the org register knows them; `region_code` is the issue's.
  static void CheckEveryStepKeepsASigner(const std::string& region_code,
                                         const std::vector<std::pair<std::string, Org>>& rectifiers,
                                         const std::string& acceptance_org_id,
                                         const std::vector<std::string>& joint_reviewer_org_ids,
                                         const std::string& prefix, Violations& v);
  static bool IsCountyIssue(const Issue& issue);
  static bool SkipsOnSite(const Issue& issue);

 private:
  void Reject(Issue& issue, const std::string& reason) const;

  const WorkingDayCalendar& calendar_;
  WorkflowPolicy policy_;
};

}  // namespace rectify::issues
