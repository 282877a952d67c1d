// The province's divisions and orgs as supervision needs them, from the issue registry's
// reference data (loaded at start): who signs for each level (OrgDirectory), which orgs are
// departments, and the divisions' names and children for the battle map.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/region.h"
#include "supervision-service/domain/record_keeper.h"

namespace rectify::supervision {

struct Division {
  std::string code;
  std::string name;
  RegionLevel level = RegionLevel::kUnspecified;
  std::string parent_code;
};

enum class OrgKind { kUnspecified = 0, kOffice, kDepartment, kGovernment, kDiscipline, kTeam };

struct OrgEntry {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  std::string region_code;
};

class Reference final : public OrgDirectory {
 public:
  void Replace(std::vector<Division> divisions, std::vector<OrgEntry> orgs);

  std::string OfficeOrg() const override;
  std::string GovernmentOf(const std::string& region_code) const override;
  bool IsKnownOrg(const std::string& id) const;
  bool IsDepartment(const std::string& id) const;

  bool IsKnownDivision(const std::string& code) const;
  std::string NameOf(const std::string& code) const;
  // The province's code (the division without a parent).
  std::string Root() const;
  std::vector<Division> ChildrenOf(const std::string& code) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, Division> divisions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, OrgEntry> orgs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::supervision
