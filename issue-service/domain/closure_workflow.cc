#include "issue-service/domain/closure_workflow.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/field_checks.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/lifecycle.h"

namespace rectify::issues {
namespace {

absl::Status Denied(absl::string_view reason, absl::string_view message) {
  return PermissionDeniedError(reason, message);
}

absl::Status WrongState(const Issue& issue, absl::string_view what) {
  return FailedPreconditionError(
      "INVALID_STATE",
      absl::StrCat("cannot ", what, " an issue in state ", StateName(issue.state)));
}

Signature Sign(const Principal& p, Decision d, const std::string& reason, absl::Time now) {
  return Signature{p.org, p.subject, now, d, reason};
}

absl::Status CheckDecision(Decision decision, const std::string& reason) {
  if (decision != Decision::kApprove && decision != Decision::kReject) {
    return InvalidField("decision", "APPROVE or REJECT");
  }
  if (decision == Decision::kReject && Blank(reason)) {
    return InvalidField("reason", "a rejection needs its reasons");
  }
  if (CharacterCount(reason) > kMaxText)
    return InvalidField("reason", absl::StrCat("must be at most ", kMaxText, " characters"));
  return absl::OkStatus();
}

// Separation of duties, first rule: whoever rectifies never accepts.
absl::Status NotARectifier(const Principal& p, const Issue& issue) {
  if (AccessPolicy::IsRectifier(p.org, issue)) {
    return Denied(
        "RECTIFIER_CANNOT_ACCEPT",
        absl::StrCat(p.org, " rectifies this issue and cannot take part in its acceptance"));
  }
  return absl::OkStatus();
}

bool IsComplaint(const Issue& issue) {
  return issue.source == IssueSource::kComplaint && issue.complaint.has_value();
}

}  // namespace

bool TargetMet(const Target& t) {
  if (!t.actual) return false;
  return t.target <= t.baseline ? *t.actual <= t.target : *t.actual >= t.target;
}

bool ClosureWorkflow::IsCountyIssue(const Issue& issue) {
  return issue.region_code.size() == 6 && issue.region_code.substr(4) != "00";
}

bool ClosureWorkflow::SkipsOnSite(const Issue& issue) {
  return IsComplaint(issue) && issue.complaint->finding == ComplaintFinding::kUnsubstantiated;
}

bool ClosureWorkflow::IsOnSiteAcceptor(const Principal& p, const Issue& issue) {
  if (IsCountyIssue(issue)) {
    // The city government above the county.
    return p.role == Role::kCity && p.region == issue.region_code.substr(0, 4) + "00";
  }
  // The rectifier is a city government or a department: the acceptance department goes on site.
  return p.role == Role::kDepartment && p.org == issue.acceptance_org_id;
}

void ClosureWorkflow::CheckEveryStepKeepsASigner(
    const std::string& region_code, const std::vector<std::pair<std::string, Org>>& rectifiers,
    const std::string& acceptance_org_id, const std::vector<std::string>& joint_reviewer_org_ids,
    const std::string& prefix, Violations& v) {
  Issue probe;
  probe.region_code = region_code;
  if (IsCountyIssue(probe)) {
    // Step 2 is the city government's; if it rectifies the issue, no one may accept on site.
    Principal city{"", "", Role::kCity, region_code.substr(0, 4) + "00"};
    for (const auto& [field, org] : rectifiers) {
      city.org = org.id;
      if (org.kind == OrgKind::kGovernment && org.region_code == city.region &&
          IsOnSiteAcceptor(city, probe)) {
        v.Add(prefix + field,
              "the city government above the county accepts the issue on site (step 2) and "
              "cannot also rectify it");
      }
    }
  }
  // Step 3 is the acceptance department's; it may not sign step 4 after it.
  for (size_t i = 0; i < joint_reviewer_org_ids.size(); ++i) {
    if (!acceptance_org_id.empty() && joint_reviewer_org_ids[i] == acceptance_org_id) {
      v.Add(absl::StrCat(prefix, "joint_reviewer_org_ids[", i, "]"),
            "the acceptance department pre-examines the file (step 3) and cannot also sign its "
            "joint review (step 4)");
    }
  }
}

void ClosureWorkflow::Reject(Issue& issue, const std::string& reason) const {
  issue.state = IssueState::kRectifying;
  issue.rejection_count += 1;
  issue.last_rejection_reason = reason;
  issue.notice.reset();
}

absl::Status ClosureWorkflow::RequestAcceptance(const Principal& p, Issue& issue,
                                                const std::string& self_check,
                                                const std::vector<int64_t>& evidence_ids,
                                                bool stage, const std::vector<Evidence>& dossier,
                                                absl::Time now) const {
  if (!AccessPolicy::IsRectifier(p.org, issue) ||
      (p.role != Role::kDepartment && p.role != Role::kCity && p.role != Role::kCounty)) {
    return Denied("NOT_RECTIFIER", "only a rectifying org applies for acceptance");
  }
  Violations v;
  if (Blank(self_check)) v.Add("self_check", "state the self-check (自查) result");
  if (CharacterCount(self_check) > kMaxText)
    v.Add("self_check", absl::StrCat("must be at most ", kMaxText, " characters"));
  if (evidence_ids.empty()) v.Add("evidence_ids", "name the dossier's files (一案一档)");
  std::set<int64_t> seen;
  for (size_t i = 0; i < evidence_ids.size(); ++i) {
    auto it = std::find_if(dossier.begin(), dossier.end(),
                           [&](const Evidence& e) { return e.id == evidence_ids[i]; });
    std::string f = absl::StrCat("evidence_ids[", i, "]");
    if (it == dossier.end()) {
      v.Add(f, "no such evidence on this issue");
    } else if (it->kind == EvidenceKind::kObjectionEvidence) {
      v.Add(f, "an objection's evidence is not part of the dossier");
    }
    if (!seen.insert(evidence_ids[i]).second) v.Add(f, "listed twice");
  }
  RETURN_IF_ERROR(v.ToStatus());
  bool long_term_stage = issue.state == IssueState::kStageCompleted;
  if (issue.state != IssueState::kRectifying && !long_term_stage) {
    return WrongState(issue, "apply for acceptance of");
  }
  if (stage && issue.rectification_class != RectificationClass::kLongTerm) {
    return FailedPreconditionError("NOT_LONG_TERM",
                                   "only a long-term (长期坚持) issue has stage goals");
  }
  if (IsComplaint(issue) && issue.complaint->finding == ComplaintFinding::kUnspecified) {
    return FailedPreconditionError("VERIFICATION_MISSING",
                                   "record the complaint's verification finding first");
  }
  if (!SkipsOnSite(issue)) {
    for (const auto& m : issue.measures) {
      if (!m.done) {
        return FailedPreconditionError(
            "MEASURES_NOT_DONE",
            absl::StrCat("measure ", m.id, " (", m.description, ") is not done"));
      }
    }
  }
  Acceptance a;
  a.round = issue.acceptance ? issue.acceptance->round + 1 : 1;
  a.stage = stage;
  a.self_check = self_check;
  a.evidence_ids = evidence_ids;
  a.application = Sign(p, Decision::kApprove, "", now);
  issue.acceptance = std::move(a);
  issue.notice.reset();
  issue.state = IssueState::kAcceptanceRequested;
  return absl::OkStatus();
}

absl::StatusOr<std::string> ClosureWorkflow::Review(const Principal& p, Issue& issue,
                                                    AcceptanceStep step, Decision decision,
                                                    const std::string& reason,
                                                    absl::Time now) const {
  RETURN_IF_ERROR(CheckDecision(decision, reason));
  RETURN_IF_ERROR(NotARectifier(p, issue));
  Acceptance* a = issue.acceptance ? &*issue.acceptance : nullptr;
  switch (step) {
    case AcceptanceStep::kOnSite: {
      if (!IsOnSiteAcceptor(p, issue)) {
        return Denied("NOT_ON_SITE_ACCEPTOR",
                      IsCountyIssue(issue)
                          ? "on-site acceptance of a county's issue is the city government's"
                          : "on-site acceptance of this issue is the acceptance department's");
      }
      if (issue.state != IssueState::kAcceptanceRequested || !a) {
        return WrongState(issue, "accept on site");
      }
      if (SkipsOnSite(issue)) {
        return FailedPreconditionError("ON_SITE_NOT_NEEDED",
                                       "an unsubstantiated complaint goes to pre-examination");
      }
      a->on_site = Sign(p, decision, reason, now);
      if (decision == Decision::kReject) {
        Reject(issue, reason);
        return std::string("issue.acceptance_rejected");
      }
      issue.state = IssueState::kLocallyAccepted;
      return std::string("issue.locally_accepted");
    }
    case AcceptanceStep::kPreExamination: {
      if (p.role != Role::kDepartment || p.org != issue.acceptance_org_id) {
        return Denied("NOT_ACCEPTANCE_ORG", "file pre-examination is the acceptance department's");
      }
      bool ready = issue.state == IssueState::kLocallyAccepted ||
                   (issue.state == IssueState::kAcceptanceRequested && SkipsOnSite(issue));
      if (!ready || !a) return WrongState(issue, "pre-examine");
      // The city above a county and the acceptance department are different levels.
      if (IsCountyIssue(issue) && a->on_site && a->on_site->org == p.org) {
        return Denied("CONSECUTIVE_STEPS", "the org that accepted on site cannot pre-examine");
      }
      if (decision == Decision::kApprove) {
        if (a->evidence_ids.empty()) {
          return FailedPreconditionError("DOSSIER_INCOMPLETE", "the dossier is empty");
        }
        // An unsubstantiated complaint had nothing to rectify, so no target to meet.
        for (const auto& t : SkipsOnSite(issue) ? std::vector<Target>{} : issue.targets) {
          if (!TargetMet(t)) {
            return FailedPreconditionError(
                "TARGET_NOT_MET",
                absl::StrCat("target ", t.metric, " is not met; reject with the reason instead"));
          }
        }
      }
      a->pre_examination = Sign(p, decision, reason, now);
      if (decision == Decision::kReject) {
        Reject(issue, reason);
        return std::string("issue.acceptance_rejected");
      }
      issue.state = IssueState::kPreExamined;
      return std::string("issue.pre_examined");
    }
    case AcceptanceStep::kJointReview: {
      bool office = p.role == Role::kOffice;
      bool reviewer =
          p.role == Role::kDepartment &&
          std::find(issue.joint_reviewer_org_ids.begin(), issue.joint_reviewer_org_ids.end(),
                    p.org) != issue.joint_reviewer_org_ids.end();
      if (!office && !reviewer) {
        return Denied("NOT_JOINT_REVIEWER",
                      "joint review is signed by the office and the listed "
                      "joint reviewers");
      }
      if (issue.state != IssueState::kPreExamined || !a) return WrongState(issue, "review");
      if (a->pre_examination && a->pre_examination->org == p.org) {
        return Denied("CONSECUTIVE_STEPS",
                      "the org that pre-examined cannot sign the joint review");
      }
      for (const auto& s : a->joint_review) {
        if (s.org == p.org) {
          return FailedPreconditionError("ALREADY_SIGNED",
                                         absl::StrCat(p.org, " has already signed this review"));
        }
      }
      a->joint_review.push_back(Sign(p, decision, reason, now));
      if (decision == Decision::kReject) {
        Reject(issue, reason);
        return std::string("issue.acceptance_rejected");
      }
      // Complete when every listed reviewer and the office (the one signer that is not a listed
      // reviewer) have approved.
      std::set<std::string> needed(issue.joint_reviewer_org_ids.begin(),
                                   issue.joint_reviewer_org_ids.end());
      bool office_done = false;
      for (const auto& s : a->joint_review) {
        if (needed.erase(s.org) == 0 &&
            std::find(issue.joint_reviewer_org_ids.begin(), issue.joint_reviewer_org_ids.end(),
                      s.org) == issue.joint_reviewer_org_ids.end()) {
          office_done = true;
        }
      }
      if (needed.empty() && office_done) {
        issue.state = IssueState::kJointReviewed;
        return std::string("issue.joint_reviewed");
      }
      return std::string("issue.joint_review_signed");
    }
    case AcceptanceStep::kUnspecified:
      break;
  }
  return InvalidField("step", "ON_SITE, PRE_EXAMINATION or JOINT_REVIEW");
}

absl::Status ClosureWorkflow::OpenNotice(const Principal& p, Issue& issue, int working_days,
                                         absl::Time now) const {
  if (p.role != Role::kOffice) return Denied("ROLE_NOT_ALLOWED", "the office opens public notices");
  if (working_days < 0 || working_days > policy_.max_notice_working_days) {
    return InvalidField("working_days",
                        absl::StrCat("between 1 and ", policy_.max_notice_working_days));
  }
  if (issue.state != IssueState::kJointReviewed) return WrongState(issue, "open a notice for");
  int days = working_days ? working_days : policy_.default_notice_working_days;
  absl::CivilDay today = ProvinceDay(now);
  issue.notice =
      PublicNotice{FormatDate(today), FormatDate(calendar_.AddWorkingDays(today, days)), days};
  issue.state = IssueState::kPublicNotice;
  return absl::OkStatus();
}

absl::Status ClosureWorkflow::CheckCanObject(const Principal& p, const Issue& issue,
                                             absl::Time now) const {
  if (p.role != Role::kPublic) {
    return Denied("ROLE_NOT_ALLOWED", "objections to a public notice are filed by the public");
  }
  if (issue.state != IssueState::kPublicNotice || !issue.notice) {
    return WrongState(issue, "object to");
  }
  if (FormatDate(ProvinceDay(now)) > issue.notice->end_date) {
    return FailedPreconditionError(
        "NOTICE_ENDED", absl::StrCat("the public notice ended on ", issue.notice->end_date));
  }
  return absl::OkStatus();
}

void ClosureWorkflow::ApplyUpheldObjection(Issue& issue, const Objection& objection) const {
  Reject(issue, absl::StrCat("objection ", objection.id, " upheld: ", objection.text));
}

absl::Status ClosureWorkflow::Close(const Principal& p, Issue& issue, int pending_objections,
                                    absl::Time now) const {
  if (p.role != Role::kOffice) return Denied("ROLE_NOT_ALLOWED", "the office closes issues");
  if (issue.state != IssueState::kPublicNotice || !issue.notice || !issue.acceptance) {
    return WrongState(issue, "close");
  }
  if (FormatDate(ProvinceDay(now)) <= issue.notice->end_date) {
    return FailedPreconditionError(
        "NOTICE_NOT_ENDED", absl::StrCat("the public notice runs until ", issue.notice->end_date));
  }
  if (pending_objections > 0) {
    return FailedPreconditionError(
        "OBJECTION_PENDING", absl::StrCat(pending_objections, " objection(s) await a ruling"));
  }
  if (IsComplaint(issue) && Blank(issue.complaint->follow_up_result)) {
    return FailedPreconditionError("FOLLOW_UP_MISSING",
                                   "record the follow-up visit (回访) before closing a complaint");
  }
  issue.state = issue.acceptance->stage ? IssueState::kStageCompleted : IssueState::kClosed;
  issue.close_time = now;
  return absl::OkStatus();
}

absl::StatusOr<bool> ClosureWorkflow::Reopen(const Principal& p, Issue& issue, ReopenReason reason,
                                             const std::string& explanation,
                                             const std::string& cause, absl::Time now) const {
  bool by_service = p.role == Role::kService;
  if (p.role != Role::kOffice && !by_service) {
    return Denied("ROLE_NOT_ALLOWED", "the office or a service reopens issues");
  }
  Violations v;
  int r = static_cast<int>(reason);
  if (r < 1 || r > 4)
    v.Add("reason",
          "LOOK_BACK_FINDING, REBOUND, UPHELD_OBJECTION or "
          "ACCOUNTABILITY_FINDING");
  if (Blank(explanation)) v.Add("explanation", "is required");
  if (CharacterCount(explanation) > kMaxText)
    v.Add("explanation", absl::StrCat("must be at most ", kMaxText, " characters"));
  if (Blank(cause) || CharacterCount(cause) > 200)
    v.Add("cause", "name what caused it, e.g. cases/12");
  RETURN_IF_ERROR(v.ToStatus());
  if (by_service != (reason == ReopenReason::kAccountabilityFinding)) {
    return Denied("REASON_NOT_ALLOWED",
                  "accountability findings come from a service; the office reopens for the rest");
  }
  if (issue.state != IssueState::kClosed && issue.state != IssueState::kStageCompleted) {
    if (issue.last_reopening && issue.last_reopening->cause == cause) return false;
    return WrongState(issue, "reopen");
  }
  issue.state = IssueState::kRectifying;
  issue.reopen_count += 1;
  issue.last_reopening = Reopening{reason, explanation, cause, p.subject, now};
  issue.close_time.reset();
  issue.notice.reset();
  return true;
}

absl::Status ClosureWorkflow::RecordVerification(const Principal& p, Issue& issue,
                                                 ComplaintFinding finding,
                                                 const std::string& report) const {
  if (!AccessPolicy::IsRectifier(p.org, issue) || p.role == Role::kPublic) {
    return Denied("NOT_RECTIFIER", "the rectifying orgs verify complaints");
  }
  Violations v;
  int f = static_cast<int>(finding);
  if (f < 1 || f > 3) v.Add("finding", "SUBSTANTIATED, PARTLY_SUBSTANTIATED or UNSUBSTANTIATED");
  if (Blank(report)) v.Add("report", "is required");
  if (CharacterCount(report) > kMaxText)
    v.Add("report", absl::StrCat("must be at most ", kMaxText, " characters"));
  RETURN_IF_ERROR(v.ToStatus());
  if (!IsComplaint(issue)) {
    return FailedPreconditionError("NOT_A_COMPLAINT", "only complaints are verified");
  }
  if (issue.state != IssueState::kAssigned && issue.state != IssueState::kRectifying) {
    return WrongState(issue, "record the verification of");
  }
  issue.complaint->finding = finding;
  issue.complaint->verification_report = report;
  return absl::OkStatus();
}

absl::Status ClosureWorkflow::RecordFollowUp(const Principal& p, Issue& issue,
                                             const std::string& result) const {
  if (p.role != Role::kOffice &&
      (!AccessPolicy::IsRectifier(p.org, issue) || p.role == Role::kPublic)) {
    return Denied("NOT_RECTIFIER", "the rectifying orgs or the office record follow-up visits");
  }
  if (Blank(result) || CharacterCount(result) > kMaxText)
    return InvalidField("result", "is required");
  if (!IsComplaint(issue)) {
    return FailedPreconditionError("NOT_A_COMPLAINT", "only complaints have follow-up visits");
  }
  if (issue.state < IssueState::kRectifying || issue.state > IssueState::kPublicNotice) {
    return WrongState(issue, "record the follow-up of");
  }
  issue.complaint->follow_up_result = result;
  return absl::OkStatus();
}

absl::Status ClosureWorkflow::CheckCanRequestExtension(
    const Principal& p, const Issue& issue, const std::string& requested_deadline,
    const std::string& reason, const std::vector<Extension>& existing) const {
  if (!AccessPolicy::IsRectifier(p.org, issue) || p.role == Role::kPublic ||
      p.role == Role::kService) {
    return Denied("NOT_RECTIFIER", "a rectifying org asks for an extension");
  }
  Violations v;
  if (!ParseDate(requested_deadline)) v.Add("requested_deadline", "a date YYYY-MM-DD");
  if (Blank(reason) || CharacterCount(reason) > kMaxText) v.Add("reason", "is required");
  RETURN_IF_ERROR(v.ToStatus());
  if (issue.state != IssueState::kAssigned && issue.state != IssueState::kRectifying) {
    return WrongState(issue, "extend the deadline of");
  }
  if (requested_deadline <= issue.deadline) {
    return InvalidField("requested_deadline",
                        absl::StrCat("must be after the current deadline ", issue.deadline));
  }
  for (const auto& e : existing) {
    if (e.state == ExtensionState::kPending) {
      return FailedPreconditionError(
          "EXTENSION_PENDING", absl::StrCat("extension ", e.id, " is still awaiting a decision"));
    }
  }
  return absl::OkStatus();
}

absl::Status ClosureWorkflow::DecideExtension(const Principal& p, Issue& issue,
                                              Extension& extension, bool approve,
                                              const std::string& reason, absl::Time now) const {
  if (p.role != Role::kOffice) return Denied("ROLE_NOT_ALLOWED", "the office decides extensions");
  if (!approve && Blank(reason)) return InvalidField("reason", "a refusal needs its reasons");
  if (extension.state != ExtensionState::kPending) {
    return FailedPreconditionError("EXTENSION_DECIDED", "the extension was already decided");
  }
  extension.state = approve ? ExtensionState::kApproved : ExtensionState::kRefused;
  extension.decision_reason = reason;
  extension.decide_time = now;
  if (approve) issue.deadline = extension.requested_deadline;
  return absl::OkStatus();
}

}  // namespace rectify::issues
