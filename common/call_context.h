// What a handler knows about the call it serves, with no transport types in it: the verified
// caller, the deadline, the time the call is handled at, and the idempotency key.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/auth.h"

namespace rectify {

struct CallContext {
  Principal principal;
  // When the work must be done: the client's deadline, capped by the server's default.
  absl::Time deadline;
  // The time the call is handled at; every timestamp a call writes uses it.
  absl::Time now;
  std::string request_id;
  // SHA-256 of the request as sent, so a request_id reused for another request is refused.
  std::string request_fingerprint;
};

}  // namespace rectify
