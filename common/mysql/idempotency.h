// Idempotent mutations (AIP-155): a request carrying a request_id is answered once; a repeat
// gets the first answer, a concurrent duplicate the winner's, and the same request_id with a
// different request is refused. A request_id belongs to its caller (the whole principal): it is
// stored keyed by a digest of caller and request_id, so another caller's use of the same id is
// neither answered nor revealed. A repeat is answered only after `authorize` has checked the
// caller may still act on the resource. Answers live in the service's `idempotency` table:
//
//   CREATE TABLE idempotency (operation VARCHAR(64), request_id VARCHAR(128),
//     fingerprint CHAR(64), response LONGTEXT, create_time DATETIME(6),
//     PRIMARY KEY (operation, request_id));
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/mutation.h"
#include "common/mysql/pool.h"
#include "common/status.h"

namespace rectify::mysql {

struct RequestKey {
  std::string operation;    // e.g. "CreateIssue"
  std::string request_id;   // empty: not idempotent
  std::string fingerprint;  // of the request and its caller
  std::string caller;       // PrincipalKey of the caller
  absl::Time now;
  absl::Time deadline;
};

// The key of a mutation's answer: its operation and request id, in its caller's namespace.
inline RequestKey KeyOf(const Mutation& m) {
  return {m.operation, m.request_id, m.fingerprint, PrincipalKey(m.actor), m.now, m.deadline};
}

// The remembered answer for the key, if any; INVALID_ARGUMENT (field request_id) when the
// request_id was used for a different request.
absl::StatusOr<std::optional<std::string>> LookupAnswer(Connection& conn, const RequestKey& key);
void RememberAnswer(Connection& conn, const RequestKey& key, const std::string& response);

// Runs `work` in one transaction keyed by the request_id.
// Checks, inside the transaction and before any stored answer is used, that the caller may act.
using Authorize = std::function<absl::Status(Tx&)>;

template <typename T>
absl::StatusOr<T> Idempotent(Pool& pool, const RequestKey& key,
                             absl::StatusOr<T> (*decode)(const std::string&),
                             const std::function<std::string(const T&)>& encode,
                             const std::function<absl::StatusOr<T>(Tx&)>& work,
                             const Authorize& authorize = nullptr) {
  bool keyed = !key.request_id.empty();
  auto result = TransactFor<T>(pool, key.deadline, [&](Tx& tx) -> absl::StatusOr<T> {
    if (keyed) {
      if (authorize) RETURN_IF_ERROR(authorize(tx));
      ASSIGN_OR_RETURN(auto prior, LookupAnswer(tx.conn(), key));
      if (prior) return decode(*prior);
    }
    ASSIGN_OR_RETURN(T value, work(tx));
    if (keyed) RememberAnswer(tx.conn(), key, encode(value));
    return value;
  });
  if (result.ok() || !keyed || absl::IsInvalidArgument(result.status()) ||
      absl::IsPermissionDenied(result.status())) {
    return result;
  }
  // A concurrent duplicate may have won the race (on the key or on the resource's row lock):
  // its answer is ours.
  auto prior = TransactFor<std::optional<std::string>>(
      pool, key.deadline, [&](Tx& tx) -> absl::StatusOr<std::optional<std::string>> {
        if (authorize) RETURN_IF_ERROR(authorize(tx));
        return LookupAnswer(tx.conn(), key);
      });
  if (prior.ok() && *prior) return decode(**prior);
  return result;
}

}  // namespace rectify::mysql
