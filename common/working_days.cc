#include "common/working_days.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"

namespace rectify {

absl::string_view ChinaCalendarData();  // generated from data/calendar/cn-workdays.txt

absl::StatusOr<WorkingDayCalendar> WorkingDayCalendar::Parse(absl::string_view text) {
  WorkingDayCalendar cal;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto fail = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("calendar line ", line_no, ": ", why, ": \"", line, "\""));
    };
    if (parts.size() < 2) return fail("expected \"YYYY-MM-DD holiday|workday\"");
    auto day = ParseDate(parts[0]);
    if (!day) return fail("not a date");
    if (parts[1] == "holiday") {
      cal.AddHoliday(*day);
    } else if (parts[1] == "workday") {
      auto wd = absl::GetWeekday(*day);
      if (wd != absl::Weekday::saturday && wd != absl::Weekday::sunday) {
        return fail("a swapped workday must be a Saturday or Sunday");
      }
      cal.AddSwappedWorkday(*day);
    } else {
      return fail("kind must be holiday or workday");
    }
    int y = static_cast<int>(day->year());
    cal.first_year_ = cal.first_year_ ? std::min(cal.first_year_, y) : y;
    cal.last_year_ = std::max(cal.last_year_, y);
  }
  return cal;
}

const WorkingDayCalendar& WorkingDayCalendar::China() {
  static const WorkingDayCalendar* cal = [] {
    auto parsed = Parse(ChinaCalendarData());
    if (!parsed.ok()) {
      // The file is checked by a unit test; a broken build must not run with a wrong calendar.
      std::fprintf(stderr, "built-in calendar: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return new WorkingDayCalendar(*std::move(parsed));
  }();
  return *cal;
}

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
  // Mondays to Fridays in (from, to], counted by whole weeks and the days left over (sweeps ask
  // this for every supervised issue: it must not walk the days one by one) ...
  auto is_weekend = [](absl::CivilDay d) {
    auto wd = absl::GetWeekday(d);
    return wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
  };
  int64_t days = to - from;
  int64_t n = days / 7 * 5;
  for (absl::CivilDay d = from + 1 + days / 7 * 7; d <= to; ++d) n += is_weekend(d) ? 0 : 1;
  // ... less the holidays that fall on weekdays, plus the weekends declared working days.
  for (auto it = holidays_.upper_bound(from); it != holidays_.end() && *it <= to; ++it) {
    if (!is_weekend(*it) && !workdays_.count(*it)) --n;
  }
  for (auto it = workdays_.upper_bound(from); it != workdays_.end() && *it <= to; ++it) {
    if (is_weekend(*it)) ++n;
  }
  return sign * static_cast<int>(n);
}

}  // namespace rectify
