// GB/T 2260 administrative division codes: six digits, two for the province, two for the
// prefecture-level city, two for the county. A region's subtree is the codes that share its
// significant prefix ("230000" → "23", "230100" → "2301", "230102" → "230102").
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace rectify {

bool IsRegionCode(absl::string_view code);
std::string RegionPrefix(const std::string& code);
bool InRegionSubtree(const std::string& code, const std::string& ancestor);

}  // namespace rectify
