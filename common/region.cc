#include "common/region.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace rectify {

bool IsRegionCode(absl::string_view code) {
  return code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

std::string RegionPrefix(const std::string& code) {
  if (code.size() != 6) return code;
  if (absl::EndsWith(code, "0000")) return code.substr(0, 2);
  if (absl::EndsWith(code, "00")) return code.substr(0, 4);
  return code;
}

void RegionDirectory::Replace(const std::vector<std::pair<std::string, RegionLevel>>& codes) {
  absl::MutexLock lock(&mu_);
  levels_.clear();
  for (const auto& [code, level] : codes) levels_[code] = level;
}

RegionLevel RegionDirectory::LevelOf(absl::string_view code) const {
  absl::MutexLock lock(&mu_);
  auto it = levels_.find(code);
  return it == levels_.end() ? RegionLevel::kUnspecified : it->second;
}

bool RegionDirectory::empty() const {
  absl::MutexLock lock(&mu_);
  return levels_.empty();
}

bool InRegionSubtree(const std::string& code, const std::string& ancestor) {
  return absl::StartsWith(code, RegionPrefix(ancestor));
}

}  // namespace rectify
