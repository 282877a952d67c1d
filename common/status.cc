#include "common/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rectify {
namespace {

constexpr absl::string_view kReasonKey = "rectify/reason";
constexpr absl::string_view kViolationsKey = "rectify/field_violations";

// Field violations are stored one per line as "field\tdescription"; neither part may contain a
// line break or a tab, so both are flattened.
std::string Flatten(absl::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace

absl::Status MakeError(absl::StatusCode code, absl::string_view reason, absl::string_view message) {
  absl::Status status(code, message);
  status.SetPayload(kReasonKey, absl::Cord(reason));
  return status;
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  return InvalidFields({{std::string(field), std::string(description)}});
}

absl::Status InvalidFields(std::vector<FieldViolation> violations) {
  std::string message = "invalid request: ";
  std::string encoded;
  for (size_t i = 0; i < violations.size(); ++i) {
    const auto& v = violations[i];
    absl::StrAppend(&message, i ? "; " : "", v.field, ": ", v.description);
    absl::StrAppend(&encoded, Flatten(v.field), "\t", Flatten(v.description), "\n");
  }
  absl::Status status = MakeError(absl::StatusCode::kInvalidArgument, "INVALID_ARGUMENT", message);
  status.SetPayload(kViolationsKey, absl::Cord(encoded));
  return status;
}

absl::Status NotFoundError(absl::string_view what) {
  return MakeError(absl::StatusCode::kNotFound, "NOT_FOUND", absl::StrCat(what, " not found"));
}

absl::Status PermissionDeniedError(absl::string_view reason, absl::string_view message) {
  return MakeError(absl::StatusCode::kPermissionDenied, reason, message);
}

absl::Status UnauthenticatedError(absl::string_view message) {
  return MakeError(absl::StatusCode::kUnauthenticated, "UNAUTHENTICATED", message);
}

absl::Status StaleEtagError(absl::string_view what) {
  return MakeError(absl::StatusCode::kAborted, "STALE_ETAG",
                   absl::StrCat(what, " was changed by someone else; read it again and retry"));
}

absl::Status FailedPreconditionError(absl::string_view reason, absl::string_view message) {
  return MakeError(absl::StatusCode::kFailedPrecondition, reason, message);
}

std::string ErrorReason(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonKey);
  return payload ? std::string(*payload) : std::string();
}

std::vector<FieldViolation> FieldViolations(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kViolationsKey);
  if (!payload) return out;
  for (absl::string_view line : absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out.push_back({parts.first, parts.second});
  }
  return out;
}

absl::Status Violations::ToStatus() const {
  if (list_.empty()) return absl::OkStatus();
  return InvalidFields(list_);
}

}  // namespace rectify
