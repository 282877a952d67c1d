// Who may see and do what (DESIGN.md §4.6). Scope is by role and region subtree:
// the office, supervisors, discipline and services see everything; a city its own and its
// counties' issues and those it rectifies; a county its own and those it rectifies; a department
// the issues it leads, rectifies, accepts or reviews; the public only issues in public notice or
// closed, without personal data.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/auth.h"
#include "common/region.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

// What a principal may see, as a query restriction the store can apply.
struct IssueScope {
  bool everything = false;
  bool public_only = false;
  // When set: issues whose region code starts with this prefix ...
  std::string region_prefix;
  // ... or (also alone) issues this org leads, rectifies, accepts or reviews.
  std::string involved_org;
};

using ::rectify::InRegionSubtree;
using ::rectify::RegionPrefix;

class AccessPolicy {
 public:
  static IssueScope ScopeOf(const Principal& p);
  static bool CanSee(const Principal& p, const Issue& issue);
  // NOT_FOUND for callers who could see the issue if it existed, PERMISSION_DENIED for the rest,
  // so a scoped caller cannot probe which ids exist.
  static absl::Status Invisible(const Principal& p, int64_t id);
  // `status` as the caller may see it: a missing issue (IssueNotFound) becomes Invisible; any
  // other status, a missing objection of an issue the caller sees included, is left as it is.
  static absl::Status HideMissingIssue(const Principal& p, int64_t id, const absl::Status& status);
  // Checks per object: PERMISSION_DENIED with the rule that refused.
  static absl::Status CheckRead(const Principal& p, const Issue& issue);
  static absl::Status CheckRegister(const Principal& p);  // create issues and inspections
  static absl::Status CheckAssign(const Principal& p);
  static absl::Status CheckAcknowledge(const Principal& p, const Issue& issue);
  static absl::Status CheckReportProgress(const Principal& p, const Issue& issue);
  // The office may change every updatable field; the lead org only the rectification plan
  // (measures, targets, target text, responsible official).
  static absl::Status CheckUpdate(const Principal& p, const Issue& issue, bool plan_fields_only);
  static absl::Status CheckManageOrgs(const Principal& p);
  static bool SeesPersonalData(const Principal& p);
  // Removes what `p` may not see (the complainant's contact).
  static void Redact(const Principal& p, Issue& issue);
  static bool IsRectifier(const std::string& org, const Issue& issue);
};

}  // namespace rectify::issues
