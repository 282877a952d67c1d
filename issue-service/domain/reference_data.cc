#include "issue-service/domain/reference_data.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/names.h"
#include "issue-service/domain/request_checks.h"

namespace rectify::issues {

absl::Status ReferenceData::Load(absl::Time deadline) {
  ASSIGN_OR_RETURN(auto regions, store_.LoadRegions(deadline));
  ASSIGN_OR_RETURN(auto orgs, store_.LoadOrgs(deadline));
  absl::MutexLock lock(&mu_);
  for (auto& r : regions) regions_[r.code] = std::move(r);
  for (auto& o : orgs) orgs_[o.id] = std::move(o);
  return absl::OkStatus();
}

std::vector<std::pair<std::string, RegionLevel>> ReferenceData::RegionCodes() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<std::string, RegionLevel>> codes;
  for (const auto& [code, region] : regions_) codes.emplace_back(code, region.level);
  return codes;
}

void ReferenceData::CheckRegion(Violations& v, const std::string& field,
                                const std::string& code) const {
  if (code.empty()) {
    v.Add(field, "is required");
    return;
  }
  absl::MutexLock lock(&mu_);
  if (!regions_.count(code)) v.Add(field, absl::StrCat("unknown region \"", code, "\""));
}

void ReferenceData::CheckOrg(Violations& v, const std::string& field, const std::string& id,
                             std::initializer_list<OrgKind> kinds) const {
  if (id.empty()) {
    v.Add(field, "is required");
    return;
  }
  std::optional<Org> org = FindOrg(id);
  if (!org) {
    v.Add(field, absl::StrCat("unknown org \"", id, "\""));
    return;
  }
  if (std::find(kinds.begin(), kinds.end(), org->kind) == kinds.end()) {
    std::vector<std::string> names;
    for (OrgKind k : kinds) names.push_back(EnumToName(kOrgKindNames, k));
    v.Add(field, absl::StrCat("org \"", id, "\" is a ", EnumToName(kOrgKindNames, org->kind),
                              "; expected ", absl::StrJoin(names, " or ")));
  }
}

std::optional<Org> ReferenceData::FindOrg(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = orgs_.find(id);
  if (it == orgs_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<Region>> ReferenceData::ListRegions(const CallContext&,
                                                               const std::string& under) const {
  std::vector<Region> out;
  absl::MutexLock lock(&mu_);
  if (!under.empty() && !regions_.count(under)) {
    return InvalidField("under_code", absl::StrCat("unknown region \"", under, "\""));
  }
  for (const auto& [code, r] : regions_) {
    if (under.empty() || InRegionSubtree(code, under)) out.push_back(r);
  }
  return out;
}

absl::StatusOr<std::vector<Org>> ReferenceData::ListOrgs(const CallContext&, OrgKind kind,
                                                         const std::string& region) const {
  if (static_cast<int>(kind) < 0 || static_cast<int>(kind) > kMaxOrgKind) {
    return InvalidField("kind", "is not a known value");
  }
  std::vector<Org> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [id, o] : orgs_) {
    if (kind != OrgKind::kUnspecified && o.kind != kind) continue;
    if (!region.empty() && o.region_code != region) continue;
    out.push_back(o);
  }
  return out;
}

absl::StatusOr<Org> ReferenceData::UpsertOrg(const CallContext& call, Org org) {
  RETURN_IF_ERROR(AccessPolicy::CheckManageOrgs(call.principal));
  Violations v;
  if (org.id.empty() || org.id.size() > 64 ||
      !std::all_of(org.id.begin(), org.id.end(), [](char c) {
        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
      })) {
    v.Add("org.id", "1 to 64 characters of a-z, 0-9 and -");
  }
  CheckText(v, "org.name", org.name, 100, true);
  CheckEnum(v, "org.kind", org.kind, kMaxOrgKind, true);
  CheckRegion(v, "org.region_code", org.region_code);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(Org saved,
                   store_.UpsertOrg(MutationFor(call, "UpsertOrg"), org,
                                    [](const std::optional<Org>&) { return absl::OkStatus(); }));
  absl::MutexLock lock(&mu_);
  orgs_[saved.id] = saved;
  return saved;
}

}  // namespace rectify::issues
