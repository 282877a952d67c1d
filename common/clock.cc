#include "common/clock.h"

#include "absl/strings/str_format.h"

namespace rectify {

const Clock& SystemClock::Instance() {
  static const SystemClock* clock = new SystemClock();
  return *clock;
}

absl::TimeZone ProvinceTimeZone() { return absl::FixedTimeZone(8 * 60 * 60); }

absl::CivilDay ProvinceDay(absl::Time t) { return absl::ToCivilDay(t, ProvinceTimeZone()); }

std::optional<absl::CivilDay> ParseDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(text.substr(0, 4)));
  m = std::stoi(std::string(text.substr(5, 2)));
  d = std::stoi(std::string(text.substr(8, 2)));
  absl::CivilDay day(y, m, d);
  // CivilDay normalises out-of-range fields; a real date survives the round trip.
  if (day.year() != y || day.month() != m || day.day() != d || y < 1949 || y > 2200) {
    return std::nullopt;
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace rectify
