#include "supervision-service/domain/obligations.h"

namespace rectify::supervision {

bool IsSignOff(ObligationKind kind) {
  return kind == ObligationKind::kProvinceSignOff || kind == ObligationKind::kCitySignOff ||
         kind == ObligationKind::kCountySignOff;
}

void Meet(Obligation& o, absl::Time when, const std::string& by) {
  o.met_time = when;
  o.met_by = by;
  if (o.state == ObligationState::kPending) {
    o.state = when <= o.due_time ? ObligationState::kMet : ObligationState::kMissed;
  }
}

bool MissIfPastDue(Obligation& o, absl::Time as_of) {
  if (o.met_time || o.state != ObligationState::kPending || o.due_time >= as_of) return false;
  o.state = ObligationState::kMissed;
  return true;
}

}  // namespace rectify::supervision
