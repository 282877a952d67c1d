#include "common/working_days.h"

namespace rectify {

bool WorkingDayCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (workdays_.count(day)) return true;
  if (holidays_.count(day)) return false;
  auto wd = absl::GetWeekday(day);
  return wd != absl::Weekday::saturday && wd != absl::Weekday::sunday;
}

absl::CivilDay WorkingDayCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  absl::CivilDay day = start;
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

int WorkingDayCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  int sign = 1;
  if (to < from) {
    std::swap(from, to);
    sign = -1;
  }
  int n = 0;
  for (absl::CivilDay d = from + 1; d <= to; ++d) {
    if (IsWorkingDay(d)) ++n;
  }
  return sign * n;
}

}  // namespace rectify
