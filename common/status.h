// Status helpers shared by every layer: the project's error vocabulary (a machine-readable
// reason and field violations carried as absl::Status payloads) and the propagation macros that
// Debian's Abseil 20220623 does not have yet.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {

struct FieldViolation {
  std::string field;
  std::string description;
};

// Builds a status whose reason (UPPER_SNAKE, e.g. "STALE_ETAG") travels to callers as
// google.rpc.ErrorInfo with domain "rectify".
absl::Status MakeError(absl::StatusCode code, absl::string_view reason, absl::string_view message);

// INVALID_ARGUMENT with one field violation (google.rpc.BadRequest on the wire).
absl::Status InvalidField(absl::string_view field, absl::string_view description);
// INVALID_ARGUMENT with several field violations; `violations` must not be empty.
absl::Status InvalidFields(std::vector<FieldViolation> violations);

absl::Status NotFoundError(absl::string_view what);
absl::Status PermissionDeniedError(absl::string_view reason, absl::string_view message);
absl::Status UnauthenticatedError(absl::string_view message);
absl::Status StaleEtagError(absl::string_view what);
absl::Status FailedPreconditionError(absl::string_view reason, absl::string_view message);

// Reads back what MakeError/InvalidField attached; empty when absent.
std::string ErrorReason(const absl::Status& status);
std::vector<FieldViolation> FieldViolations(const absl::Status& status);

// Collects field violations during validation and turns them into one status.
class Violations {
 public:
  void Add(absl::string_view field, absl::string_view description) {
    list_.push_back({std::string(field), std::string(description)});
  }
  bool empty() const { return list_.empty(); }
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> list_;
};

}  // namespace rectify

#define RECTIFY_STATUS_CONCAT_INNER_(a, b) a##b
#define RECTIFY_STATUS_CONCAT_(a, b) RECTIFY_STATUS_CONCAT_INNER_(a, b)

// Returns from the current function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status rectify_status_ = (expr);           \
    if (!rectify_status_.ok()) return rectify_status_; \
  } while (0)

// ASSIGN_OR_RETURN(auto x, Fn()); assigns the value of an absl::StatusOr or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(RECTIFY_STATUS_CONCAT_(rectify_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(*tmp)
