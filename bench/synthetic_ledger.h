// A synthetic ledger for benchmarks (scripts/bench --issues=N), written straight into the issue
// registry's schema on a pool of its MIGRATION account: issues in bulk, without history or
// events (they never happened), with the counting triggers switched off for the session; then
// the counters are rebuilt from the issues. Not part of the service: its account cannot do this.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/mysql/pool.h"
#include "issue-service/domain/model.h"

namespace rectify::bench {

class SyntheticLedger {
 public:
  explicit SyntheticLedger(mysql::Pool& migration_pool) : pool_(migration_pool) {}

  absl::Status Load(const std::vector<issues::Issue>& issues, absl::Time deadline);
  absl::Status RebuildCounters(absl::Time deadline);

 private:
  mysql::Pool& pool_;
};

}  // namespace rectify::bench
