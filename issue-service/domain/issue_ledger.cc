#include "issue-service/domain/issue_ledger.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/closure_workflow.h"
#include "issue-service/domain/lifecycle.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

// Who does what for an issue, as an assignment names it.
Assignment AssignmentOf(const Issue& issue) {
  Assignment a;
  a.lead_org_id = issue.lead_org_id;
  a.responsible_org_ids = issue.responsible_org_ids;
  a.acceptance_org_id = issue.acceptance_org_id;
  a.joint_reviewer_org_ids = issue.joint_reviewer_org_ids;
  a.deadline = issue.deadline;
  a.rectification_class = issue.rectification_class;
  a.responsible_official = issue.responsible_official;
  return a;
}

void ApplyAssignment(const Assignment& a, Issue& issue) {
  issue.lead_org_id = a.lead_org_id;
  issue.responsible_org_ids = a.responsible_org_ids;
  issue.acceptance_org_id = a.acceptance_org_id;
  issue.joint_reviewer_org_ids = a.joint_reviewer_org_ids;
  issue.deadline = a.deadline;
  issue.rectification_class = a.rectification_class;
  if (!a.responsible_official.empty()) issue.responsible_official = a.responsible_official;
}

bool IsPlanField(const std::string& path) {
  return path == "measures" || path == "targets" || path == "target_text" ||
         path == "responsible_official";
}

}  // namespace

void IssueLedger::CheckRegistration(Violations& v, Issue& issue, bool historical) const {
  CheckEnum(v, "issue.source", issue.source, kMaxIssueSource, true);
  CheckText(v, "issue.title", issue.title, kMaxTitle, true);
  CheckText(v, "issue.description", issue.description, kMaxText, false);
  CheckEnum(v, "issue.category", issue.category, kMaxCategory, true);
  reference_.CheckRegion(v, "issue.region_code", issue.region_code);
  CheckText(v, "issue.site", issue.site, kMaxShort, false);
  CheckEnum(v, "issue.rectification_class", issue.rectification_class, kMaxRectificationClass,
            false);
  CheckEnum(v, "issue.priority", issue.priority, kMaxPriority, false);
  CheckText(v, "issue.responsible_official", issue.responsible_official, 100, false);
  CheckText(v, "issue.target_text", issue.target_text, kMaxText, false);
  CheckTargets(v, issue.targets);
  NormalizeMeasures(v, "issue.measures", issue.measures);
  if (issue.inspection_id < 0) v.Add("issue.inspection_id", "must be a positive id");
  if (issue.source == IssueSource::kComplaint) {
    if (!issue.complaint) {
      v.Add("issue.complaint", "is required for a complaint");
    } else {
      CheckText(v, "issue.complaint.batch", issue.complaint->batch, 100, true);
      CheckText(v, "issue.complaint.complainant_contact", issue.complaint->complainant_contact, 200,
                false);
      // A historical entry keeps the finding it had; a new complaint is verified later.
      if (!historical && issue.complaint->finding != ComplaintFinding::kUnspecified) {
        v.Add("issue.complaint.finding", "is recorded after verification, not at registration");
      }
    }
  } else if (issue.complaint) {
    v.Add("issue.complaint", "only for source COMPLAINT");
  }
}

void IssueLedger::CheckAssignment(Violations& v, const std::string& prefix,
                                  const Assignment& a) const {
  reference_.CheckOrg(v, prefix + "lead_org_id", a.lead_org_id,
                      {OrgKind::kDepartment, OrgKind::kGovernment});
  if (a.responsible_org_ids.empty()) v.Add(prefix + "responsible_org_ids", "name at least one org");
  if (a.responsible_org_ids.size() > kMaxOrgs)
    v.Add(prefix + "responsible_org_ids", absl::StrCat("at most ", kMaxOrgs, " orgs"));
  std::set<std::string> rectifiers = {a.lead_org_id};
  std::set<std::string> seen;
  for (size_t i = 0; i < a.responsible_org_ids.size() && i < kMaxOrgs; ++i) {
    const auto& id = a.responsible_org_ids[i];
    std::string f = prefix + absl::StrCat("responsible_org_ids[", i, "]");
    reference_.CheckOrg(v, f, id, {OrgKind::kDepartment, OrgKind::kGovernment});
    if (!seen.insert(id).second) v.Add(f, "is listed twice");
    rectifiers.insert(id);
  }
  reference_.CheckOrg(v, prefix + "acceptance_org_id", a.acceptance_org_id, {OrgKind::kDepartment});
  if (rectifiers.count(a.acceptance_org_id)) {
    v.Add(prefix + "acceptance_org_id", "an org that rectifies the issue cannot accept it");
  }
  if (a.joint_reviewer_org_ids.size() > kMaxOrgs)
    v.Add(prefix + "joint_reviewer_org_ids", absl::StrCat("at most ", kMaxOrgs));
  seen.clear();
  for (size_t i = 0; i < a.joint_reviewer_org_ids.size() && i < kMaxOrgs; ++i) {
    const auto& id = a.joint_reviewer_org_ids[i];
    std::string f = prefix + absl::StrCat("joint_reviewer_org_ids[", i, "]");
    reference_.CheckOrg(v, f, id, {OrgKind::kDepartment});
    if (!seen.insert(id).second) v.Add(f, "is listed twice");
    if (rectifiers.count(id)) v.Add(f, "an org that rectifies the issue cannot review it");
  }
  CheckDate(v, prefix + "deadline", a.deadline, true);
  CheckEnum(v, prefix + "rectification_class", a.rectification_class, kMaxRectificationClass, true);
  CheckText(v, prefix + "responsible_official", a.responsible_official, 100, false);
}

absl::StatusOr<Issue> IssueLedger::CreateIssue(const CallContext& call, Issue issue) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckRegistration(v, issue);
  if (!issue.lead_org_id.empty() || !issue.responsible_org_ids.empty() ||
      !issue.acceptance_org_id.empty() || !issue.joint_reviewer_org_ids.empty() ||
      !issue.deadline.empty()) {
    v.Add("issue", "orgs and deadline are set by AssignIssue, not at registration");
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (issue.inspection_id > 0) {
    auto inspection = inspections_.GetInspection(issue.inspection_id, call.deadline);
    if (absl::IsNotFound(inspection.status())) {
      return InvalidField("issue.inspection_id", "no such inspection");
    }
    RETURN_IF_ERROR(inspection.status());
  }
  if (issue.priority == Priority::kUnspecified) issue.priority = Priority::kNormal;
  issue.id = 0;
  issue.state = IssueState::kRegistered;
  issue.progress_percent = 0;
  issue.rejection_count = 0;
  issue.create_time = issue.update_time = call.now;
  issue.assign_time.reset();
  issue.acknowledge_time.reset();
  issue.version = 1;
  ASSIGN_OR_RETURN(Issue created, store_.CreateIssue(MutationFor(call, "CreateIssue"), issue));
  AccessPolicy::Redact(call.principal, created);
  return created;
}

absl::StatusOr<Issue> IssueLedger::ImportIssue(const CallContext& call, Issue issue,
                                               const std::string& source_document,
                                               const std::string& closed_date) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckRegistration(v, issue, /*historical=*/true);
  // An imported entry's deadlines belong to its earlier round: they may lie in the past.
  Assignment a = AssignmentOf(issue);
  CheckAssignment(v, "issue.", a);
  CheckText(v, "source_document", source_document, kMaxShort, true);
  CheckSignersRemain(v, "issue.", issue.region_code, a);
  bool closed = issue.state == IssueState::kClosed || issue.state == IssueState::kStageCompleted;
  if (!closed && issue.state != IssueState::kRectifying) {
    v.Add("issue.state", "an imported entry is RECTIFYING, CLOSED or STAGE_COMPLETED");
  }
  CheckDate(v, "closed_date", closed_date, closed);
  if (!closed && !closed_date.empty()) v.Add("closed_date", "only for a closed entry");
  if (issue.inspection_id <= 0) v.Add("issue.inspection_id", "name the round it belongs to");
  RETURN_IF_ERROR(v.ToStatus());
  std::string today = FormatDate(ProvinceDay(call.now));
  if (closed && closed_date > today) return InvalidField("closed_date", "is in the future");
  auto inspection = inspections_.GetInspection(issue.inspection_id, call.deadline);
  if (absl::IsNotFound(inspection.status())) {
    return InvalidField("issue.inspection_id", "no such inspection");
  }
  RETURN_IF_ERROR(inspection.status());
  ASSIGN_OR_RETURN(std::string start, inspections_.LedgerStartDate(call.deadline));
  // Only the rounds before this ledger existed come in by import; later ones go through the
  // workflow, so no closure of theirs can be declared by import.
  if (inspection->feedback_date >= start) {
    return FailedPreconditionError(
        "NOT_HISTORICAL", absl::StrCat("inspection ", inspection->id, " was fed back on ",
                                       inspection->feedback_date, ", after the ledger started on ",
                                       start, "; its problems go through the workflow"));
  }
  if (closed && closed_date < inspection->feedback_date) {
    return InvalidField("closed_date", "is before the inspection's feedback");
  }
  if (issue.priority == Priority::kUnspecified) issue.priority = Priority::kNormal;
  issue.id = 0;
  issue.progress_percent = closed ? 100 : issue.progress_percent;
  issue.rejection_count = 0;
  issue.imported_from = source_document;
  issue.create_time = issue.update_time = call.now;
  if (closed) {
    issue.close_time = absl::FromCivil(*ParseDate(closed_date), ProvinceTimeZone());
  }
  issue.version = 1;
  ASSIGN_OR_RETURN(Issue created,
                   store_.CreateIssue(MutationFor(call, "ImportIssue"), issue, "issue.imported"));
  AccessPolicy::Redact(call.principal, created);
  return created;
}

absl::StatusOr<Issue> IssueLedger::GetIssue(const CallContext& call, int64_t id) {
  ASSIGN_OR_RETURN(Issue issue, ReadVisibleIssue(store_, call, id));
  AccessPolicy::Redact(call.principal, issue);
  return issue;
}

absl::StatusOr<IssuePage> IssueLedger::ListIssues(const CallContext& call, int page_size,
                                                  const std::string& page_token,
                                                  const std::string& filter,
                                                  const std::string& order_by) {
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_.default_size, pages_.max_size));
  IssueListSpec spec;
  ASSIGN_OR_RETURN(spec.query, ParseIssueFilter(filter));
  ASSIGN_OR_RETURN(spec.order, ParseIssueOrder(order_by));
  spec.scope = AccessPolicy::ScopeOf(call.principal);
  spec.today = FormatDate(ProvinceDay(call.now));
  // A token is bound to the query and to the caller.
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<ListedIssue>(
                                  tokens_,
                                  absl::StrCat("issues|", filter, "|", order_by, "|",
                                               PrincipalKey(call.principal)),
                                  page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    spec.after_key = after.key;
                                    spec.after_id = after.id;
                                    spec.limit = limit;
                                    return store_.ListIssues(spec, call.deadline);
                                  },
                                  [](const ListedIssue& row) {
                                    return PagePosition{row.sort_key, row.issue.id};
                                  }));
  IssuePage page;
  page.next_page_token = std::move(rows.next_page_token);
  for (auto& row : rows.rows) {
    AccessPolicy::Redact(call.principal, row.issue);
    page.issues.push_back(std::move(row.issue));
  }
  return page;
}

absl::StatusOr<Issue> IssueLedger::UpdateIssue(const CallContext& call, int64_t id,
                                               const Issue& patch,
                                               const std::vector<std::string>& mask,
                                               const std::string& etag) {
  if (!IsRectifyingRole(call.principal.role) && call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the office or a lead org updates issues");
  }
  if (id <= 0) return InvalidField("issue.id", "must be a positive id");
  if (mask.empty()) return InvalidField("update_mask", "name the fields to change");
  bool plan_only = true;
  for (const auto& path : mask) {
    if (std::find(std::begin(kUpdatableFields), std::end(kUpdatableFields), path) ==
        std::end(kUpdatableFields)) {
      return InvalidField("update_mask", absl::StrCat("\"", path, "\" cannot be updated"));
    }
    plan_only = plan_only && IsPlanField(path);
  }
  auto has = [&](const char* f) { return std::find(mask.begin(), mask.end(), f) != mask.end(); };
  Issue probe = patch;
  // Run inside the transaction, after the caller's right to change these fields is established.
  auto validate = [&]() -> absl::Status {
    Violations v;
    if (has("title")) CheckText(v, "issue.title", patch.title, kMaxTitle, true);
    if (has("description")) CheckText(v, "issue.description", patch.description, kMaxText, false);
    if (has("category")) CheckEnum(v, "issue.category", patch.category, kMaxCategory, true);
    if (has("site")) CheckText(v, "issue.site", patch.site, kMaxShort, false);
    if (has("priority")) CheckEnum(v, "issue.priority", patch.priority, kMaxPriority, true);
    if (has("responsible_official")) {
      CheckText(v, "issue.responsible_official", patch.responsible_official, 100, false);
    }
    if (has("target_text")) CheckText(v, "issue.target_text", patch.target_text, kMaxText, false);
    if (has("targets")) CheckTargets(v, patch.targets);
    if (has("measures")) NormalizeMeasures(v, "issue.measures", probe.measures);
    return v.ToStatus();
  };
  auto result = store_.MutateIssue(
      MutationFor(call, "UpdateIssue"), id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckUpdate(call.principal, issue, plan_only));
        RETURN_IF_ERROR(validate());
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kUpdate));
        if ((has("complaint.batch") || has("complaint.complainant_contact")) && !issue.complaint) {
          return InvalidField("update_mask", "the issue is not a complaint");
        }
        if (has("title")) issue.title = patch.title;
        if (has("description")) issue.description = patch.description;
        if (has("category")) issue.category = patch.category;
        if (has("site")) issue.site = patch.site;
        if (has("priority")) issue.priority = patch.priority;
        if (has("responsible_official")) issue.responsible_official = patch.responsible_official;
        if (has("target_text")) issue.target_text = patch.target_text;
        if (has("targets")) issue.targets = patch.targets;
        if (has("measures")) issue.measures = probe.measures;
        if (has("complaint.batch") && patch.complaint) {
          issue.complaint->batch = patch.complaint->batch;
        }
        if (has("complaint.complainant_contact") && patch.complaint) {
          issue.complaint->complainant_contact = patch.complaint->complainant_contact;
        }
        return Change{"issue.updated"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

void IssueLedger::CheckSignersRemain(Violations& v, const std::string& prefix,
                                     const std::string& region_code, const Assignment& a) const {
  std::vector<std::pair<std::string, Org>> rectifiers;
  auto add = [&](std::string field, const std::string& id) {
    if (auto org = reference_.FindOrg(id)) rectifiers.emplace_back(std::move(field), *org);
  };
  add("lead_org_id", a.lead_org_id);
  for (size_t i = 0; i < a.responsible_org_ids.size(); ++i) {
    add(absl::StrCat("responsible_org_ids[", i, "]"), a.responsible_org_ids[i]);
  }
  ClosureWorkflow::CheckEveryStepKeepsASigner(region_code, rectifiers, a.acceptance_org_id,
                                              a.joint_reviewer_org_ids, prefix, v);
}

absl::StatusOr<Issue> IssueLedger::AssignIssue(const CallContext& call, const Assignment& a) {
  RETURN_IF_ERROR(AccessPolicy::CheckAssign(call.principal));
  Violations v;
  if (a.issue_id <= 0) v.Add("id", "must be a positive id");
  CheckAssignment(v, "", a);
  std::string today = absl::FormatTime("%Y-%m-%d", call.now, ProvinceTimeZone());
  bool past = !a.deadline.empty() && a.deadline < today;
  if (past && !a.deadline_already_passed) {
    v.Add("deadline", absl::StrCat("is before the assignment date ", today,
                                   "; confirm with deadline_already_passed and give the reason"));
  } else if (past && CharacterCount(absl::StripAsciiWhitespace(a.deadline_reason)) == 0) {
    v.Add("deadline_reason", "say why a deadline already past is assigned");
  } else if (!past && (a.deadline_already_passed || !a.deadline_reason.empty())) {
    v.Add("deadline_already_passed", "only for a deadline before the assignment date");
  }
  CheckText(v, "deadline_reason", a.deadline_reason, kMaxText, false);
  RETURN_IF_ERROR(v.ToStatus());
  auto result = store_.MutateIssue(
      MutationFor(call, "AssignIssue"), a.issue_id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(CheckEtag(a.etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kAssign));
        Violations signers;
        CheckSignersRemain(signers, "", issue.region_code, a);
        RETURN_IF_ERROR(signers.ToStatus());
        ApplyAssignment(a, issue);
        issue.state = NextState(issue.state, IssueAction::kAssign);
        issue.assign_time = call.now;
        Change change{"issue.assigned"};
        if (past) {
          change.note = absl::StrCat("deadline ", a.deadline, " is before the assignment date ",
                                     today, ": ", a.deadline_reason);
        }
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, a.issue_id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

absl::StatusOr<Issue> IssueLedger::AcknowledgeAssignment(const CallContext& call, int64_t id,
                                                         const std::string& etag) {
  if (!IsRectifyingRole(call.principal.role)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the lead department or government signs for assignments");
  }
  if (id <= 0) return InvalidField("id", "must be a positive id");
  auto result = store_.MutateIssue(
      MutationFor(call, "AcknowledgeAssignment"), id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckAcknowledge(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kAcknowledge));
        issue.state = NextState(issue.state, IssueAction::kAcknowledge);
        issue.acknowledge_time = call.now;
        return Change{"issue.acknowledged"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

absl::StatusOr<ProgressReport> IssueLedger::ReportProgress(const CallContext& call,
                                                           int64_t issue_id,
                                                           ProgressReport report) {
  if (!IsRectifyingRole(call.principal.role)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the lead or a rectifying org reports progress");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (report.percent_done < 0 || report.percent_done > 100) {
    v.Add("report.percent_done", "must be between 0 and 100");
  }
  CheckText(v, "report.narrative", report.narrative, kMaxText, true);
  if (report.measure_updates.size() > kMaxMeasures) {
    v.Add("report.measure_updates", absl::StrCat("at most ", kMaxMeasures, " updates"));
  }
  for (size_t i = 0; i < report.measure_updates.size() && i < kMaxMeasures; ++i) {
    std::string f = absl::StrCat("report.measure_updates[", i, "]");
    CheckText(v, f + ".measure_id", report.measure_updates[i].measure_id, 32, true);
    CheckText(v, f + ".note", report.measure_updates[i].note, 1000, false);
  }
  RETURN_IF_ERROR(v.ToStatus());
  report.id = 0;
  report.issue_id = issue_id;
  report.reporter_org_id = call.principal.org;
  report.reporter = call.principal.subject;
  report.create_time = call.now;
  std::string today = FormatDate(ProvinceDay(call.now));
  auto result = store_.AddProgressReport(
      MutationFor(call, "ReportProgress"), issue_id, report,
      [&](Issue& issue, ProgressReport& r) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckReportProgress(call.principal, issue));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kReportProgress));
        Violations unknown;
        for (size_t i = 0; i < r.measure_updates.size(); ++i) {
          const auto& u = r.measure_updates[i];
          auto it = std::find_if(issue.measures.begin(), issue.measures.end(),
                                 [&](const Measure& m) { return m.id == u.measure_id; });
          if (it == issue.measures.end()) {
            unknown.Add(absl::StrCat("report.measure_updates[", i, "].measure_id"),
                        absl::StrCat("the issue has no measure \"", u.measure_id, "\""));
            continue;
          }
          it->done = u.done;
          it->done_date = u.done ? today : "";
        }
        RETURN_IF_ERROR(unknown.ToStatus());
        issue.progress_percent = r.percent_done;
        return Change{"issue.progress_reported"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, result.status()));
  return result;
}

absl::StatusOr<ProgressReportPage> IssueLedger::ListProgressReports(const CallContext& call,
                                                                    int64_t issue_id, int page_size,
                                                                    const std::string& page_token) {
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_.default_size, pages_.max_size));
  RETURN_IF_ERROR(ReadVisibleIssue(store_, call, issue_id).status());
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<ProgressReport>(
                                  tokens_, absl::StrCat("progress|", issue_id), page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    return store_.ListProgressReports(issue_id, after.id, limit,
                                                                      call.deadline);
                                  },
                                  [](const ProgressReport& r) {
                                    return PagePosition{"", r.id};
                                  }));
  return ProgressReportPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

}  // namespace rectify::issues
