// Synthetic supervision records for benchmarks (scripts/bench --records=N), written straight
// into supervision's schema on a pool of its MIGRATION account: records in bulk, without history
// or events (they never happened), then the battle map's counts rebuilt from them. Not part of
// the service: its account cannot do this.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/mysql/pool.h"
#include "supervision-service/domain/model.h"

namespace rectify::bench {

class SyntheticSupervision {
 public:
  explicit SyntheticSupervision(mysql::Pool& migration_pool) : pool_(migration_pool) {}

  // Records with their ids, lights and levels already set.
  absl::Status Load(const std::vector<supervision::SupervisionRecord>& records,
                    absl::Time deadline);
  absl::Status RebuildCounts(absl::Time deadline);

 private:
  mysql::Pool& pool_;
};

}  // namespace rectify::bench
