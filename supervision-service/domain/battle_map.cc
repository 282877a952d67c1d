#include "supervision-service/domain/battle_map.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/region.h"
#include "common/status.h"
#include "common/text.h"
#include "supervision-service/domain/access.h"
#include "supervision-service/domain/filters.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/domain/obligations.h"

namespace rectify::supervision {

absl::StatusOr<BattleMapView> BattleMap::Get(const CallContext& call,
                                             const std::string& region_code,
                                             std::optional<absl::Time> as_of) {
  const Principal& p = call.principal;
  bool regional = p.role == Role::kCity || p.role == Role::kCounty;
  if (!SupervisionAccess::SeesEverything(p) && !regional) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "the battle map is for supervisors and regions");
  }
  std::string region = region_code;
  if (region.empty()) region = regional ? p.region : reference_.Root();
  if (!reference_.IsKnownDivision(region)) {
    return InvalidField("region_code", absl::StrCat("unknown region \"", region, "\""));
  }
  if (regional && !InRegionSubtree(region, p.region)) {
    return PermissionDeniedError("OUT_OF_SCOPE", "your map is your own region's");
  }
  absl::Time when = as_of.value_or(call.now);
  if (when < absl::FromCivil(absl::CivilDay(2000, 1, 1), ProvinceTimeZone())) {
    return InvalidField("as_of", "must not be before 2000");
  }
  std::string today = FormatDate(ProvinceDay(when));
  ASSIGN_OR_RETURN(BoardCounts counts, store_.Board(RegionPrefix(region), today, call.deadline));

  BattleMapView view;
  view.region_code = region;
  view.as_of_date = today;
  view.total.region_code = region;
  view.total.name = reference_.NameOf(region);
  std::vector<Division> children = reference_.ChildrenOf(region);
  std::sort(children.begin(), children.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  for (const auto& c : children) {
    MapTile t;
    t.region_code = c.code;
    t.name = c.name;
    view.tiles.push_back(std::move(t));
  }
  // The tile a county-level code falls in: its city under the province, itself under a city.
  auto tile_of = [&](const std::string& code) -> MapTile* {
    for (auto& t : view.tiles) {
      if (InRegionSubtree(code, t.region_code)) return &t;
    }
    return nullptr;
  };
  auto each = [&](const std::string& code, const std::function<void(MapTile&)>& add) {
    add(view.total);
    if (MapTile* t = tile_of(code)) add(*t);
  };
  for (const auto& c : counts.records) {
    each(c.region_code, [&](MapTile& t) {
      t.supervised += c.count;
      if (c.light == Light::kGreen) t.green += c.count;
      if (c.light == Light::kYellow) t.yellow += c.count;
      if (c.light == Light::kRed) t.red += c.count;
      t.by_state[NameOf(IssueStateNames(), c.state)] += c.count;
      if (c.state >= IssueState::kAcceptanceRequested) t.rectified += c.count;
    });
  }
  for (const auto& e : counts.open_escalations) {
    each(e.region_code, [&](MapTile& t) { t.escalations[LevelName(e.level)] += e.count; });
  }
  // Not a structured binding: Clang before 16 (Debian's is 14, for scripts/fuzz) cannot capture
  // one in a lambda.
  for (const auto& entry : counts.overdue) {
    each(entry.first, [&](MapTile& t) { t.overdue += entry.second; });
  }
  auto rate = [](MapTile& t) {
    t.completion_rate = t.supervised > 0 ? static_cast<double>(t.rectified) / t.supervised : 0;
  };
  rate(view.total);
  for (auto& t : view.tiles) rate(t);
  return view;
}

}  // namespace rectify::supervision
