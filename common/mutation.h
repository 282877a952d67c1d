// A change as a call asks for it: who acts, when, within which deadline, and under which
// idempotency key (AIP-155). Every service's store is handed one with each change it writes;
// storage turns it into the key of its stored answer (common/mysql/idempotency.h).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/call_context.h"

namespace rectify {

struct Mutation {
  Principal actor;
  absl::Time now;
  absl::Time deadline;
  // Names the operation for idempotency ("CreateIssue") and is part of the key.
  std::string operation;
  std::string request_id;
  std::string fingerprint;
};

inline Mutation MutationOf(const CallContext& call, std::string operation) {
  return Mutation{call.principal,       call.now,        call.deadline,
                  std::move(operation), call.request_id, call.request_fingerprint};
}

}  // namespace rectify
