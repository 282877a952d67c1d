// GB/T 2260 administrative division codes: six digits, two for the province, two for the
// prefecture-level city, two for the county. A region's subtree is the codes that share its
// significant prefix ("230000" → "23", "230100" → "2301", "230102" → "230102").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace rectify {

enum class RegionLevel { kUnspecified = 0, kProvince = 1, kCity = 2, kCounty = 3 };

// The divisions a token may name, each with its level: the issue registry's reference data
// (Heilongjiang's codes), loaded when a service starts. Until it is loaded, no code is known.
class RegionDirectory {
 public:
  void Replace(const std::vector<std::pair<std::string, RegionLevel>>& codes);
  // kUnspecified for a code that is not known.
  RegionLevel LevelOf(absl::string_view code) const;
  bool empty() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, RegionLevel> levels_ ABSL_GUARDED_BY(mu_);
};

bool IsRegionCode(absl::string_view code);
std::string RegionPrefix(const std::string& code);
bool InRegionSubtree(const std::string& code, const std::string& ancestor);

}  // namespace rectify
