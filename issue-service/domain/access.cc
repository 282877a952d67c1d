#include "issue-service/domain/access.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "issue-service/domain/lifecycle.h"

namespace rectify::issues {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool Involved(const std::string& org, const Issue& issue) {
  return !org.empty() &&
         (issue.lead_org_id == org || Contains(issue.responsible_org_ids, org) ||
          issue.acceptance_org_id == org || Contains(issue.joint_reviewer_org_ids, org));
}

bool SeesAll(Role role) {
  return role == Role::kOffice || role == Role::kSupervisor || role == Role::kDiscipline ||
         role == Role::kService;
}

absl::Status Denied(absl::string_view reason, absl::string_view message) {
  return PermissionDeniedError(reason, message);
}

}  // namespace

IssueScope AccessPolicy::ScopeOf(const Principal& p) {
  IssueScope scope;
  switch (p.role) {
    case Role::kOffice:
    case Role::kSupervisor:
    case Role::kDiscipline:
    case Role::kService:
      scope.everything = true;
      break;
    case Role::kCity:
      scope.region_prefix = p.region.substr(0, 4);
      scope.involved_org = p.org;
      break;
    case Role::kCounty:
      scope.region_prefix = p.region;
      scope.involved_org = p.org;
      break;
    case Role::kDepartment:
      scope.involved_org = p.org;
      break;
    case Role::kPublic:
      scope.public_only = true;
      break;
  }
  return scope;
}

bool AccessPolicy::CanSee(const Principal& p, const Issue& issue) {
  IssueScope scope = ScopeOf(p);
  if (scope.everything) return true;
  if (scope.public_only) {
    return IsPublic(issue.state);
  }
  if (!scope.region_prefix.empty() && absl::StartsWith(issue.region_code, scope.region_prefix)) {
    return true;
  }
  return Involved(scope.involved_org, issue);
}

absl::Status AccessPolicy::Invisible(const Principal& p, int64_t id) {
  if (SeesAll(p.role)) return NotFoundError(IssueResource(id));
  return Denied("OUT_OF_SCOPE", absl::StrCat(IssueResource(id), " is not in your scope"));
}

absl::Status AccessPolicy::HideMissingIssue(const Principal& p, int64_t id,
                                            const absl::Status& status) {
  return IsIssueNotFound(status) ? Invisible(p, id) : status;
}

absl::Status AccessPolicy::CheckRead(const Principal& p, const Issue& issue) {
  if (CanSee(p, issue)) return absl::OkStatus();
  return Denied("OUT_OF_SCOPE", absl::StrCat(IssueResource(issue.id), " is not in your scope"));
}

absl::Status AccessPolicy::CheckRegister(const Principal& p) {
  if (p.role == Role::kOffice) return absl::OkStatus();
  return Denied("ROLE_NOT_ALLOWED",
                "only the leading-group office registers inspections and issues");
}

absl::Status AccessPolicy::CheckAssign(const Principal& p) {
  if (p.role == Role::kOffice) return absl::OkStatus();
  return Denied("ROLE_NOT_ALLOWED", "only the leading-group office assigns issues");
}

absl::Status AccessPolicy::CheckAcknowledge(const Principal& p, const Issue& issue) {
  RETURN_IF_ERROR(CheckRead(p, issue));
  if (p.org == issue.lead_org_id && p.role != Role::kPublic) return absl::OkStatus();
  return Denied("NOT_LEAD_ORG", "only the issue's lead org signs for its assignment");
}

absl::Status AccessPolicy::CheckReportProgress(const Principal& p, const Issue& issue) {
  RETURN_IF_ERROR(CheckRead(p, issue));
  if (p.role != Role::kPublic && p.role != Role::kService &&
      (p.org == issue.lead_org_id || Contains(issue.responsible_org_ids, p.org))) {
    return absl::OkStatus();
  }
  return Denied("NOT_RECTIFIER", "only the lead or a rectifying org reports progress");
}

absl::Status AccessPolicy::CheckUpdate(const Principal& p, const Issue& issue,
                                       bool plan_fields_only) {
  RETURN_IF_ERROR(CheckRead(p, issue));
  if (p.role == Role::kOffice) return absl::OkStatus();
  if (p.role != Role::kPublic && p.org == issue.lead_org_id) {
    if (plan_fields_only) return absl::OkStatus();
    return Denied("FIELD_NOT_ALLOWED",
                  "the lead org may change only measures, targets, target_text and "
                  "responsible_official");
  }
  return Denied("ROLE_NOT_ALLOWED", "only the office or the issue's lead org updates it");
}

absl::Status AccessPolicy::CheckManageOrgs(const Principal& p) {
  if (p.role == Role::kOffice) return absl::OkStatus();
  return Denied("ROLE_NOT_ALLOWED", "only the leading-group office maintains orgs");
}

bool AccessPolicy::SeesPersonalData(const Principal& p) { return p.role == Role::kOffice; }

void AccessPolicy::Redact(const Principal& p, Issue& issue) {
  if (!SeesPersonalData(p) && issue.complaint) issue.complaint->complainant_contact.clear();
  // The responsible official is a person's name: the work's own users see who answers for it,
  // the public does not.
  if (p.role == Role::kPublic) issue.responsible_official.clear();
}

bool AccessPolicy::IsRectifier(const std::string& org, const Issue& issue) {
  return org == issue.lead_org_id || Contains(issue.responsible_org_ids, org);
}

}  // namespace rectify::issues
