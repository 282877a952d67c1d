// The closure desk (销号): the five-step acceptance (application, on-site acceptance,
// pre-examination, joint review, public notice), objections, closing and reopening, complaint
// verification and follow-up, and deadline extensions. Each operation checks its request, runs
// ClosureWorkflow's rule on the locked issue and lets the store write the change, its history
// and its event in one transaction.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "issue-service/domain/closure_workflow.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

class ClosureDesk {
 public:
  ClosureDesk(IssueStore& issues, const ClosureWorkflow& workflow)
      : issues_(issues), workflow_(workflow) {}

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

 private:
  IssueStore& issues_;
  const ClosureWorkflow& workflow_;
};

}  // namespace rectify::issues
