#include "supervision-service/domain/status_desk.h"

#include "common/status.h"
#include "supervision-service/domain/access.h"

namespace rectify::supervision {

absl::StatusOr<SupervisionState> StatusDesk::Get(const CallContext& call) {
  if (!SupervisionAccess::SeesEverything(call.principal)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the status is for supervisors");
  }
  SupervisionState s;
  ASSIGN_OR_RETURN(auto policy, policies_.Current(call.deadline));
  s.policy_version = policy.version;
  ASSIGN_OR_RETURN(s.last_sweep, sweeps_.LastSweepRun(call.deadline));
  ASSIGN_OR_RETURN(s.records, records_.CountRecords(call.deadline));
  return s;
}

}  // namespace rectify::supervision
