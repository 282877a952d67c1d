// The closure desk: checks requests, loads what the rules need inside the issue's transaction and
// maps outcomes. The rules themselves are ClosureWorkflow's.
#include "issue-service/domain/closure_desk.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/names.h"
#include "issue-service/domain/request_checks.h"

namespace rectify::issues {

absl::StatusOr<Issue> ClosureDesk::RequestAcceptance(const CallContext& call, int64_t id,
                                                     const std::string& self_check,
                                                     const std::vector<int64_t>& evidence_ids,
                                                     bool stage, const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  ContextNeeds needs;
  needs.evidence = true;
  auto r = issues_.Mutate(
      MutationFor(call, "RequestAcceptance"), id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(workflow_.RequestAcceptance(call.principal, issue, self_check, evidence_ids,
                                                    stage, ctx.evidence, call.now));
        Change change{"issue.acceptance_requested"};
        change.seal_evidence = evidence_ids;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> ClosureDesk::ReviewAcceptance(const CallContext& call, int64_t id,
                                                    AcceptanceStep step, Decision decision,
                                                    const std::string& reason,
                                                    const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (static_cast<int>(step) < 1 || static_cast<int>(step) > 3) {
    return InvalidField("step", "ON_SITE, PRE_EXAMINATION or JOINT_REVIEW");
  }
  auto r = issues_.Mutate(
      MutationFor(call, "ReviewAcceptance"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        ASSIGN_OR_RETURN(std::string event,
                         workflow_.Review(call.principal, issue, step, decision, reason, call.now));
        return Change{event};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> ClosureDesk::OpenPublicNotice(const CallContext& call, int64_t id,
                                                    int working_days, const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office opens public notices");
  }
  auto r = issues_.Mutate(
      MutationFor(call, "OpenPublicNotice"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(workflow_.OpenNotice(call.principal, issue, working_days, call.now));
        return Change{"issue.public_notice_opened"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  return std::move(r->issue);
}

absl::StatusOr<Objection> ClosureDesk::FileObjection(const CallContext& call, int64_t issue_id,
                                                     Objection objection) {
  if (call.principal.role != Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "objections to a public notice are filed by the public");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (absl::StripAsciiWhitespace(objection.text).empty()) v.Add("objection.text", "is required");
  if (CharacterCount(objection.text) > 2000) v.Add("objection.text", "at most 2000 characters");
  if (CharacterCount(objection.contact) > 200) v.Add("objection.contact", "at most 200 characters");
  if (objection.evidence_ids.size() > 20) v.Add("objection.evidence_ids", "at most 20 files");
  RETURN_IF_ERROR(v.ToStatus());
  ContextNeeds needs;
  needs.evidence = !objection.evidence_ids.empty();
  needs.objections_filed_by = call.principal.subject;
  needs.since = call.now - absl::Hours(24);
  auto r = issues_.Mutate(
      MutationFor(call, "FileObjection"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(workflow_.CheckCanObject(call.principal, issue, call.now));
        if (ctx.objections_filed_recently >= workflow_.policy().objections_per_day) {
          return MakeError(absl::StatusCode::kResourceExhausted, "RATE_LIMITED",
                           absl::StrCat("at most ", workflow_.policy().objections_per_day,
                                        " objections a day; try again tomorrow"));
        }
        for (size_t i = 0; i < objection.evidence_ids.size(); ++i) {
          bool found = false;
          for (const auto& e : ctx.evidence) {
            found = found || (e.id == objection.evidence_ids[i] &&
                              e.kind == EvidenceKind::kObjectionEvidence &&
                              e.uploaded_by == call.principal.subject);
          }
          if (!found) {
            return InvalidField(absl::StrCat("objection.evidence_ids[", i, "]"),
                                "not an objection file you uploaded to this issue");
          }
        }
        Change change{"issue.objection_filed"};
        Objection o = objection;
        o.id = 0;
        o.issue_id = issue_id;
        o.state = ObjectionState::kPending;
        o.ruling.clear();
        o.filed_by = call.principal.subject;
        o.create_time = call.now;
        o.rule_time.reset();
        change.objection = o;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  RETURN_IF_ERROR(r.status());
  return *r->objection;
}

absl::StatusOr<std::vector<Objection>> ClosureDesk::ListObjections(const CallContext& call,
                                                                   int64_t issue_id) {
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, issue_id).status());
  ASSIGN_OR_RETURN(auto list, issues_.ListObjections(issue_id, call.deadline));
  if (!AccessPolicy::SeesPersonalData(call.principal)) {
    for (auto& o : list) o.contact.clear();
  }
  return list;
}

absl::StatusOr<Objection> ClosureDesk::RuleOnObjection(const CallContext& call, int64_t issue_id,
                                                       int64_t objection_id, bool uphold,
                                                       const std::string& ruling) {
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office rules on objections");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (objection_id <= 0) v.Add("objection_id", "must be a positive id");
  if (absl::StripAsciiWhitespace(ruling).empty()) v.Add("ruling", "give the reasons");
  if (CharacterCount(ruling) > 10000) v.Add("ruling", "must be at most 10000 characters");
  RETURN_IF_ERROR(v.ToStatus());
  ContextNeeds needs;
  needs.objections = true;
  auto r = issues_.Mutate(
      MutationFor(call, "RuleOnObjection"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        const Objection* found = nullptr;
        for (const auto& o : ctx.objections) {
          if (o.id == objection_id) found = &o;
        }
        if (!found) return NotFoundError(absl::StrCat("objection ", objection_id));
        if (found->state != ObjectionState::kPending) {
          return FailedPreconditionError("OBJECTION_RULED", "the objection was already ruled on");
        }
        Objection o = *found;
        o.state = uphold ? ObjectionState::kUpheld : ObjectionState::kDismissed;
        o.ruling = ruling;
        o.rule_time = call.now;
        Change change{uphold ? "issue.objection_upheld" : "issue.objection_dismissed"};
        if (uphold) {
          if (issue.state != IssueState::kPublicNotice) {
            return FailedPreconditionError(
                "INVALID_STATE", absl::StrCat("cannot uphold an objection to an issue in state ",
                                              StateName(issue.state)));
          }
          workflow_.ApplyUpheldObjection(issue, o);
        }
        change.objection = o;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  return *r->objection;
}

absl::StatusOr<Issue> ClosureDesk::CloseIssue(const CallContext& call, int64_t id,
                                              const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office closes issues");
  }
  ContextNeeds needs;
  needs.objections = true;
  auto r =
      issues_.Mutate(MutationFor(call, "CloseIssue"), id, needs,
                     [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
                       RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
                       int pending = 0;
                       for (const auto& o : ctx.objections)
                         pending += o.state == ObjectionState::kPending;
                       RETURN_IF_ERROR(workflow_.Close(call.principal, issue, pending, call.now));
                       return Change{issue.state == IssueState::kClosed ? "issue.closed"
                                                                        : "issue.stage_completed"};
                     });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  return std::move(r->issue);
}

absl::StatusOr<Issue> ClosureDesk::ReopenIssue(const CallContext& call, int64_t id,
                                               ReopenReason reason, const std::string& explanation,
                                               const std::string& cause) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice && call.principal.role != Role::kService) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office or a service reopens issues");
  }
  auto r = issues_.Mutate(MutationFor(call, "ReopenIssue"), id, {},
                          [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
                            ASSIGN_OR_RETURN(bool changed,
                                             workflow_.Reopen(call.principal, issue, reason,
                                                              explanation, cause, call.now));
                            return Change{changed ? "issue.reopened" : ""};
                          });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> ClosureDesk::RecordVerification(const CallContext& call, int64_t id,
                                                      ComplaintFinding finding,
                                                      const std::string& report) {
  RETURN_IF_ERROR(PositiveId("id", id));
  auto r = issues_.Mutate(
      MutationFor(call, "RecordVerification"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(workflow_.RecordVerification(call.principal, issue, finding, report));
        return Change{"issue.verification_recorded"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> ClosureDesk::RecordFollowUp(const CallContext& call, int64_t id,
                                                  const std::string& result) {
  RETURN_IF_ERROR(PositiveId("id", id));
  auto r =
      issues_.Mutate(MutationFor(call, "RecordFollowUp"), id, {},
                     [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
                       RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
                       RETURN_IF_ERROR(workflow_.RecordFollowUp(call.principal, issue, result));
                       return Change{"issue.follow_up_recorded"};
                     });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Extension> ClosureDesk::RequestExtension(const CallContext& call, int64_t issue_id,
                                                        const std::string& requested_deadline,
                                                        const std::string& reason) {
  RETURN_IF_ERROR(PositiveId("issue_id", issue_id));
  ContextNeeds needs;
  needs.extensions = true;
  auto r = issues_.Mutate(MutationFor(call, "RequestExtension"), issue_id, needs,
                          [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
                            RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
                            RETURN_IF_ERROR(workflow_.CheckCanRequestExtension(
                                call.principal, issue, requested_deadline, reason, ctx.extensions));
                            Extension e;
                            e.issue_id = issue_id;
                            e.current_deadline = issue.deadline;
                            e.requested_deadline = requested_deadline;
                            e.reason = reason;
                            e.state = ExtensionState::kPending;
                            e.requested_by_org = call.principal.org;
                            e.create_time = call.now;
                            Change change{"issue.extension_requested"};
                            change.extension = e;
                            return change;
                          });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  RETURN_IF_ERROR(r.status());
  return *r->extension;
}

absl::StatusOr<Extension> ClosureDesk::DecideExtension(const CallContext& call, int64_t issue_id,
                                                       int64_t extension_id, bool approve,
                                                       const std::string& reason) {
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office decides extensions");
  }
  RETURN_IF_ERROR(PositiveId("issue_id", issue_id));
  RETURN_IF_ERROR(PositiveId("extension_id", extension_id));
  ContextNeeds needs;
  needs.extensions = true;
  auto r = issues_.Mutate(
      MutationFor(call, "DecideExtension"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        std::optional<Extension> e;
        for (const auto& x : ctx.extensions) {
          if (x.id == extension_id) e = x;
        }
        if (!e) return NotFoundError(absl::StrCat("extension ", extension_id));
        RETURN_IF_ERROR(
            workflow_.DecideExtension(call.principal, issue, *e, approve, reason, call.now));
        Change change{approve ? "issue.extension_approved" : "issue.extension_refused"};
        change.extension = *e;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  return *r->extension;
}

absl::StatusOr<std::vector<Extension>> ClosureDesk::ListExtensions(const CallContext& call,
                                                                   int64_t issue_id) {
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, issue_id).status());
  return issues_.ListExtensions(issue_id, call.deadline);
}

}  // namespace rectify::issues
