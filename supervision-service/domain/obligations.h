// The rules of the three-level, three-hour, five-report obligations (DESIGN §4.4) that the
// desks, the record keeper and the sweep share: which are sign-offs, what meeting one does to
// its state, and when one is missed.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// The province's, the city's and the county's signatures (the five reports are met by events).
bool IsSignOff(ObligationKind kind);

// Met at `when` by `by`: in time (MET), or late (MISSED); one already marked missed stays so.
void Meet(Obligation& o, absl::Time when, const std::string& by);

// Neither met nor marked and past due at `as_of`: missed. Returns whether it changed.
bool MissIfPastDue(Obligation& o, absl::Time as_of);

}  // namespace rectify::supervision
