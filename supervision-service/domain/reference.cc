#include "supervision-service/domain/reference.h"

namespace rectify::supervision {

void Reference::Replace(std::vector<Division> divisions, std::vector<OrgEntry> orgs) {
  absl::MutexLock lock(&mu_);
  divisions_.clear();
  orgs_.clear();
  for (auto& d : divisions) divisions_[d.code] = std::move(d);
  for (auto& o : orgs) orgs_[o.id] = std::move(o);
}

std::string Reference::OfficeOrg() const {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, o] : orgs_) {
    auto d = divisions_.find(o.region_code);
    bool provincial = d != divisions_.end() && d->second.level == RegionLevel::kProvince;
    if (o.kind == OrgKind::kOffice && provincial) return id;
  }
  return "";
}

std::string Reference::GovernmentOf(const std::string& region_code) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, o] : orgs_) {
    if (o.kind == OrgKind::kGovernment && o.region_code == region_code) return id;
  }
  return "";
}

bool Reference::IsKnownOrg(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  return orgs_.count(id) > 0;
}

bool Reference::IsDepartment(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = orgs_.find(id);
  return it != orgs_.end() && it->second.kind == OrgKind::kDepartment;
}

bool Reference::IsKnownDivision(const std::string& code) const {
  absl::MutexLock lock(&mu_);
  return divisions_.count(code) > 0;
}

std::string Reference::NameOf(const std::string& code) const {
  absl::MutexLock lock(&mu_);
  auto it = divisions_.find(code);
  return it == divisions_.end() ? "" : it->second.name;
}

std::string Reference::Root() const {
  absl::MutexLock lock(&mu_);
  for (const auto& [code, d] : divisions_) {
    if (d.level == RegionLevel::kProvince) return code;
  }
  return "";
}

std::vector<Division> Reference::ChildrenOf(const std::string& code) const {
  absl::MutexLock lock(&mu_);
  std::vector<Division> out;
  for (const auto& [c, d] : divisions_) {
    if (d.parent_code == code) out.push_back(d);
  }
  return out;
}

}  // namespace rectify::supervision
