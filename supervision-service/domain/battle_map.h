// The battle map (作战图): the province by city, a city by county, counted by light, state,
// overdue and open escalations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "supervision-service/domain/page.h"
#include "supervision-service/domain/reference.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

struct MapTile {
  std::string region_code;
  std::string name;
  int64_t supervised = 0;
  int64_t green = 0, yellow = 0, red = 0;
  int64_t overdue = 0;
  std::map<std::string, int64_t> by_state;
  std::map<std::string, int64_t> escalations;
  int64_t rectified = 0;  // acceptance applied for or further
  double completion_rate = 0;
};

struct BattleMapView {
  std::string region_code;
  std::string as_of_date;
  MapTile total;
  std::vector<MapTile> tiles;
};

class BattleMap {
 public:
  BattleMap(MapStore& store, const Reference& reference) : store_(store), reference_(reference) {}

  // The province (default) by city, a city by county; `as_of` unset: the call's time.
  absl::StatusOr<BattleMapView> Get(const CallContext& call, const std::string& region_code,
                                    std::optional<absl::Time> as_of);

 private:
  MapStore& store_;
  const Reference& reference_;
};

}  // namespace rectify::supervision
