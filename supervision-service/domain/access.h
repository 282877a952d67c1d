// Who may see and do what in supervision (DESIGN.md §4.6, issue 9): the office and supervisors
// see and do everything; a city or county sees what lies in its region subtree and what concerns
// its org; a department what concerns its org (issues it leads or rectifies, what it owes);
// discipline reads transfers; services read. Everyone answers for themselves only. A caller who
// may not see something learns nothing of whether it exists (PERMISSION_DENIED before NOT_FOUND).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/auth.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// What a principal may see, as a restriction the store applies to a listing.
struct Scope {
  bool everything = false;
  // Transfers only (discipline).
  bool transfers_only = false;
  // When set: things whose region lies under this prefix ...
  std::string region_prefix;
  // ... or (also alone) that concern this org.
  std::string org;
  // Nothing at all (the public).
  bool nothing = false;
};

class SupervisionAccess {
 public:
  static Scope ScopeOf(const Principal& p);
  static bool SeesEverything(const Principal& p);
  // Supervisors and the office: sweeps, escalating, resolving.
  static absl::Status CheckSupervise(const Principal& p);
  static absl::Status CheckOffice(const Principal& p, const char* what);

  static bool CanSee(const Principal& p, const SupervisionRecord& r);
  static bool CanSee(const Principal& p, const Escalation& e, const SupervisionRecord* record);
  static bool CanSee(const Principal& p, const Obligation& o, const SupervisionRecord* record);
  static bool CanSee(const Principal& p, const LinkageRequest& l);
  static bool CanSee(const Principal& p, const Directive& d);

  // The denial for something `p` may not see, or a NOT_FOUND `p` may be told about.
  static absl::Status Invisible(const Principal& p, const std::string& resource);
  static absl::Status Hidden(const Principal& p, const std::string& resource);
};

// Whether `org` leads or rectifies the issue.
bool Involves(const IssueFacts& issue, const std::string& org);

}  // namespace rectify::supervision
