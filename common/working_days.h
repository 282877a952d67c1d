// Working days on the Chinese calendar: Monday to Friday, minus public holidays, plus the
// weekend days declared working days (调休). Holidays and swapped days are data given to the
// calendar; without them it counts Monday to Friday.
#pragma once

#include <set>

#include "absl/time/civil_time.h"

namespace rectify {

class WorkingDayCalendar {
 public:
  void AddHoliday(absl::CivilDay day) { holidays_.insert(day); }
  void AddSwappedWorkday(absl::CivilDay day) { workdays_.insert(day); }

  bool IsWorkingDay(absl::CivilDay day) const;
  // The day `n` working days after `start` (n >= 0; `start` itself is not counted).
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;
  // Working days in (from, to]; negative when `to` is before `from`.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

 private:
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> workdays_;
};

}  // namespace rectify
