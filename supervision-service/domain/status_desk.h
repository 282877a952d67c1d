// The service's own state for the office and supervisors: the policy in force, the last sweep,
// how many issues are supervised. (Where the consumer of the registry's events stands is the
// transport's to tell; the api adds it.)
#pragma once

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "supervision-service/domain/policy_book.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

struct SupervisionState {
  int64_t policy_version = 0;
  SweepStore::LastSweep last_sweep;
  RecordCounts records;
};

class StatusDesk {
 public:
  StatusDesk(PolicyBook& policies, SweepStore& sweeps, RecordStore& records)
      : policies_(policies), sweeps_(sweeps), records_(records) {}

  // Those who see everything (office, supervisors, services).
  absl::StatusOr<SupervisionState> Get(const CallContext& call);

 private:
  PolicyBook& policies_;
  SweepStore& sweeps_;
  RecordStore& records_;
};

}  // namespace rectify::supervision
