// The province's divisions and orgs as the registry knows them: loaded once before serving,
// kept in memory, and the only place requests' region codes and org ids are checked against.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/status.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

class ReferenceData {
 public:
  explicit ReferenceData(ReferenceStore& store) : store_(store) {}

  // Loads the divisions and orgs; call before serving.
  absl::Status Load(absl::Time deadline);
  // The divisions with their levels (for checking tokens' regions).
  std::vector<std::pair<std::string, RegionLevel>> RegionCodes() const;

  absl::StatusOr<std::vector<Region>> ListRegions(const CallContext& call,
                                                  const std::string& under_code) const;
  absl::StatusOr<std::vector<Org>> ListOrgs(const CallContext& call, OrgKind kind,
                                            const std::string& region_code) const;
  absl::StatusOr<Org> UpsertOrg(const CallContext& call, Org org);

  // Adds a violation on `field` unless `code` is a known division.
  void CheckRegion(Violations& v, const std::string& field, const std::string& code) const;
  // Adds a violation on `field` unless `id` is a known org of one of `kinds`.
  void CheckOrg(Violations& v, const std::string& field, const std::string& id,
                std::initializer_list<OrgKind> kinds) const;
  std::optional<Org> FindOrg(const std::string& id) const;

 private:
  ReferenceStore& store_;
  mutable absl::Mutex mu_;
  std::map<std::string, Region> regions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Org> orgs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::issues
