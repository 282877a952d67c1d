// Working days on the Chinese calendar: Monday to Friday, minus public holidays, plus the
// weekend days declared working days (调休). Holidays and swapped days are data given to the
// calendar; without them it counts Monday to Friday.
#pragma once

#include <set>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace rectify {

class WorkingDayCalendar {
 public:
  // Reads the data file format of data/calendar/cn-workdays.txt: "YYYY-MM-DD holiday|workday
  // [note]" per line, # comments. A malformed line is INVALID_ARGUMENT naming its line number.
  static absl::StatusOr<WorkingDayCalendar> Parse(absl::string_view text);
  // The calendar shipped with the build (data/calendar/cn-workdays.txt, 2017-2027).
  static const WorkingDayCalendar& China();

  void AddHoliday(absl::CivilDay day) { holidays_.insert(day); }
  void AddSwappedWorkday(absl::CivilDay day) { workdays_.insert(day); }

  bool IsWorkingDay(absl::CivilDay day) const;
  // The day `n` working days after `start` (n >= 0; `start` itself is not counted).
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;
  // Working days in (from, to]; negative when `to` is before `from`.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

 private:
  int first_year_ = 0;
  int last_year_ = 0;

 public:
  // The years the data covers (0 when built by hand).
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

 private:
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> workdays_;
};

}  // namespace rectify
