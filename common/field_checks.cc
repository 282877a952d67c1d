#include "common/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/text.h"

namespace rectify {

bool Blank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

void CheckText(Violations& v, const std::string& field, const std::string& value, size_t max,
               bool required) {
  if (required && Blank(value)) {
    v.Add(field, "is required");
  } else if (CharacterCount(value) > max) {
    v.Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

void CheckDate(Violations& v, const std::string& field, const std::string& value, bool required) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  if (!ParseDate(value)) v.Add(field, "must be a date YYYY-MM-DD");
}

absl::Status PositiveId(const char* field, int64_t id) {
  if (id <= 0) return InvalidField(field, "must be a positive id");
  return absl::OkStatus();
}

}  // namespace rectify
