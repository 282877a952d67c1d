#include "supervision-service/domain/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/region.h"
#include "common/status.h"

namespace rectify::supervision {
namespace {

bool Regional(const Principal& p) { return p.role == Role::kCity || p.role == Role::kCounty; }

bool InScope(const Principal& p, const std::string& region, const std::string& org) {
  if (Regional(p) && !p.region.empty() && InRegionSubtree(region, p.region)) return true;
  return !p.org.empty() && org == p.org;
}

}  // namespace

bool Involves(const IssueFacts& issue, const std::string& org) {
  return !org.empty() &&
         (issue.lead_org_id == org ||
          std::find(issue.responsible_org_ids.begin(), issue.responsible_org_ids.end(), org) !=
              issue.responsible_org_ids.end());
}

bool SupervisionAccess::SeesEverything(const Principal& p) {
  return p.role == Role::kOffice || p.role == Role::kSupervisor || p.role == Role::kService;
}

Scope SupervisionAccess::ScopeOf(const Principal& p) {
  Scope s;
  if (SeesEverything(p)) {
    s.everything = true;
  } else if (p.role == Role::kDiscipline) {
    s.transfers_only = true;
  } else if (Regional(p)) {
    s.region_prefix = RegionPrefix(p.region);
    s.org = p.org;
  } else if (p.role == Role::kDepartment) {
    s.org = p.org;
  } else {
    s.nothing = true;
  }
  return s;
}

absl::Status SupervisionAccess::CheckSupervise(const Principal& p) {
  if (p.role == Role::kOffice || p.role == Role::kSupervisor) return absl::OkStatus();
  return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office and supervisors supervise");
}

absl::Status SupervisionAccess::CheckOffice(const Principal& p, const char* what) {
  if (p.role == Role::kOffice) return absl::OkStatus();
  return PermissionDeniedError("ROLE_NOT_ALLOWED", absl::StrCat("the office ", what));
}

bool SupervisionAccess::CanSee(const Principal& p, const SupervisionRecord& r) {
  if (SeesEverything(p)) return true;
  if (Regional(p) && !p.region.empty() && InRegionSubtree(r.issue.region_code, p.region)) {
    return true;
  }
  return (Regional(p) || p.role == Role::kDepartment) && Involves(r.issue, p.org);
}

bool SupervisionAccess::CanSee(const Principal& p, const Escalation& e,
                               const SupervisionRecord* record) {
  if (SeesEverything(p)) return true;
  if (p.role == Role::kDiscipline) return e.level == Level::kTransfer;
  if (!Regional(p) && p.role != Role::kDepartment) return false;
  if (InScope(p, e.region_code, e.org_id)) return true;
  return record && CanSee(p, *record);
}

bool SupervisionAccess::CanSee(const Principal& p, const Obligation& o,
                               const SupervisionRecord* record) {
  if (SeesEverything(p)) return true;
  if (!Regional(p) && p.role != Role::kDepartment) return false;
  if (InScope(p, o.region_code, o.owner_org_id)) return true;
  return record && CanSee(p, *record);
}

bool SupervisionAccess::CanSee(const Principal& p, const LinkageRequest& l) {
  if (SeesEverything(p)) return true;
  if (!Regional(p) && p.role != Role::kDepartment) return false;
  return InScope(p, l.region_code, l.requesting_org_id) || l.target_org_id == p.org;
}

bool SupervisionAccess::CanSee(const Principal& p, const Directive& d) {
  if (SeesEverything(p)) return true;
  return (Regional(p) || p.role == Role::kDepartment) && d.owner_org_id == p.org;
}

absl::Status SupervisionAccess::Invisible(const Principal& p, const std::string& resource) {
  return PermissionDeniedError("OUT_OF_SCOPE", absl::StrCat(resource, " is not yours to see"));
}

absl::Status SupervisionAccess::Hidden(const Principal& p, const std::string& resource) {
  // Only a caller who sees everything may learn that something does not exist.
  if (SeesEverything(p)) return NotFoundError(resource);
  return Invisible(p, resource);
}

}  // namespace rectify::supervision
