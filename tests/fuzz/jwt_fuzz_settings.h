// What jwt_fuzz.cc verifies tokens with and jwt_fuzz_seeds.cc mints its seeds with: a fixed test
// secret, a fixed "now" (so that the committed seeds never expire) and a small region directory.
#pragma once

#include <memory>

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/region.h"

namespace rectify::jwt_fuzz {

inline constexpr char kSecret[] = "jwt-fuzz-test-secret-not-for-any-deployment";
// 2024-06-01T00:00:00Z.
inline absl::Time Now() { return absl::FromUnixSeconds(1717200000); }

// Without a region directory: any six-digit code is a region (tools' and tests' settings).
inline JwtSettings Settings() {
  JwtSettings settings;
  settings.secret = kSecret;
  return settings;
}

// With one: a province, a city and a county of it (the services' settings).
inline JwtSettings SettingsWithRegions() {
  auto regions = std::make_shared<RegionDirectory>();
  regions->Replace({{"230000", RegionLevel::kProvince},
                    {"230100", RegionLevel::kCity},
                    {"230102", RegionLevel::kCounty}});
  JwtSettings settings = Settings();
  settings.regions = regions;
  return settings;
}

}  // namespace rectify::jwt_fuzz
