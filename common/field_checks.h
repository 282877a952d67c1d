// The checks every service makes the same way on the fields of a request: text within a length
// in characters (not bytes), dates, enum values and ids. Each adds a field violation (or returns
// one), so a request with several faults names them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status.h"

namespace rectify {

// Limits that free text in every service shares.
inline constexpr size_t kMaxText = 10000;
inline constexpr size_t kMaxShort = 200;

// Empty or only white space.
bool Blank(absl::string_view text);

// Text of at most `max` characters; `required` also refuses blank text.
void CheckText(Violations& v, const std::string& field, const std::string& value, size_t max,
               bool required);
// A date YYYY-MM-DD; `required` also refuses an empty one.
void CheckDate(Violations& v, const std::string& field, const std::string& value, bool required);
// One of the enum's values up to `max`; `required` also refuses the unspecified zero.
template <typename E>
void CheckEnum(Violations& v, const std::string& field, E value, int max, bool required) {
  int n = static_cast<int>(value);
  if (n < 0 || n > max) {
    v.Add(field, "is not a known value");
  } else if (required && n == 0) {
    v.Add(field, "is required");
  }
}
absl::Status PositiveId(const char* field, int64_t id);

}  // namespace rectify
