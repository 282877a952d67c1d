// libFuzzer target for dates "YYYY-MM-DD" (ParseDate, common/clock.h), which filters, requests and
// stored bodies carry, and the working-day calendar file (WorkingDayCalendar::Parse,
// common/working_days.h; data/calendar/cn-workdays.txt is one of the seeds). An input is given
// whole to both, and each of its lines' first field to ParseDate (see corpus/calendar/). Both are
// checked against a reading written here independently of them:
//
//   - a date parses exactly when it is ten characters of a real day of the Gregorian calendar
//     between 1949 and 2200, and FormatDate gives back its text;
//   - a calendar parses exactly when each line is blank, a # comment, or a date, white space and
//     "holiday" or "workday" (a Saturday or Sunday), anything after; a refusal is
//     INVALID_ARGUMENT naming the first line that is not;
//   - a parsed calendar's years span the days listed, each listed day is what its line says (a
//     swapped workday is worked even if also listed as a holiday), unlisted days are worked from
//     Monday to Friday, and counting working days between two days (WorkingDaysBetween) or
//     adding them (AddWorkingDays) agrees with walking the days one by one.
//
// Built from the repository's root like multipart_fuzz.cc; tests/fuzz/CMakeLists.txt builds it
// as calendar_fuzz (libFuzzer) and calendar_replay (its corpus, run by ctest).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/working_days.h"

namespace rectify {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The day `text` names, read here without ParseDate.
std::optional<absl::CivilDay> ExpectedDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  int field = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) {
      ++field;
      continue;
    }
    if (!IsDigit(text[i])) return std::nullopt;
    fields[field] = fields[field] * 10 + (text[i] - '0');
  }
  const auto [year, month, day] = fields;
  if (year < 1949 || year > 2200 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return absl::CivilDay(year, month, day);
}

void CheckDate(absl::string_view text) {
  const std::optional<absl::CivilDay> day = ParseDate(text);
  if (day != ExpectedDate(text)) std::abort();
  if (day.has_value() && FormatDate(*day) != text) std::abort();
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// The calendar `text` describes, read here without WorkingDayCalendar.
struct Expected {
  int bad_line = 0;  // the first line that is not well formed; 0 when all are
  std::set<absl::CivilDay> holidays, workdays;
};

Expected Read(absl::string_view text) {
  Expected out;
  int line_no = 0;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find('\n', start), text.size());
    absl::string_view line = text.substr(start, end - start);
    ++line_no;
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') {
      std::vector<absl::string_view> fields;
      size_t i = 0;
      while (i < line.size() && fields.size() < 2) {
        if (line[i] == ' ' || line[i] == '\t') {
          ++i;
          continue;
        }
        const size_t from = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        fields.push_back(line.substr(from, i - from));
      }
      const std::optional<absl::CivilDay> day =
          fields.empty() ? std::nullopt : ExpectedDate(fields[0]);
      if (fields.size() < 2 || !day.has_value()) {
        out.bad_line = line_no;
        return out;
      }
      if (fields[1] == "holiday") {
        out.holidays.insert(*day);
      } else if (fields[1] == "workday" && IsWeekend(*day)) {
        out.workdays.insert(*day);
      } else {
        out.bad_line = line_no;
        return out;
      }
    }
    if (end == text.size()) return out;
    start = end + 1;
  }
}

bool ExpectedWorking(const Expected& e, absl::CivilDay day) {
  if (e.workdays.count(day)) return true;
  return !e.holidays.count(day) && !IsWeekend(day);
}

int Walk(const WorkingDayCalendar& cal, absl::CivilDay from, absl::CivilDay to) {
  const int sign = to < from ? -1 : 1;
  if (to < from) std::swap(from, to);
  int n = 0;
  for (absl::CivilDay d = from + 1; d <= to; ++d) n += cal.IsWorkingDay(d) ? 1 : 0;
  return sign * n;
}

void CheckCalendar(absl::string_view text) {
  const Expected expected = Read(text);
  absl::StatusOr<WorkingDayCalendar> cal = WorkingDayCalendar::Parse(text);
  if (!cal.ok()) {
    if (cal.status().code() != absl::StatusCode::kInvalidArgument || expected.bad_line == 0 ||
        !absl::StartsWith(cal.status().message(),
                          absl::StrCat("calendar line ", expected.bad_line, ": "))) {
      std::abort();
    }
    return;
  }
  if (expected.bad_line != 0) std::abort();

  std::set<absl::CivilDay> listed = expected.holidays;
  listed.insert(expected.workdays.begin(), expected.workdays.end());
  const int first_year = listed.empty() ? 0 : static_cast<int>(listed.begin()->year());
  const int last_year = listed.empty() ? 0 : static_cast<int>(listed.rbegin()->year());
  if (cal->first_year() != first_year || cal->last_year() != last_year) std::abort();
  // Each listed day and the days around it; an empty calendar is looked at in 2024.
  std::vector<absl::CivilDay> around(listed.begin(), listed.end());
  if (around.empty()) around.push_back(absl::CivilDay(2024, 1, 1));
  for (absl::CivilDay day : around) {
    for (int k = -3; k <= 3; ++k) {
      if (cal->IsWorkingDay(day + k) != ExpectedWorking(expected, day + k)) std::abort();
    }
  }
  // Counting and adding, from a few of those days over the ones after them (at most a year and
  // a half apart, to keep the walks short).
  for (size_t i = 0; i < around.size() && i < 8; ++i) {
    const absl::CivilDay from = around[i] - 2;
    for (absl::CivilDay to : {around.back() + 3, around[(i * 7) % around.size()], from + 40}) {
      if (to - from > 550 || from - to > 550) continue;
      const int n = cal->WorkingDaysBetween(from, to);
      if (n != Walk(*cal, from, to) || cal->WorkingDaysBetween(to, from) != -n) std::abort();
    }
    for (int n : {0, 1, 5, 20}) {
      const absl::CivilDay end = cal->AddWorkingDays(from, n);
      if (cal->WorkingDaysBetween(from, end) != n) std::abort();
      if (n == 0 ? end != from : !cal->IsWorkingDay(end)) std::abort();
    }
  }
}

}  // namespace
}  // namespace rectify

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  rectify::CheckDate(input);
  // Each line's first ten bytes and first field, as the calendar reads them.
  size_t start = 0;
  while (start <= input.size()) {
    const size_t end = std::min(input.find('\n', start), input.size());
    const absl::string_view line = input.substr(start, end - start);
    rectify::CheckDate(line.substr(0, 10));
    rectify::CheckDate(line.substr(0, line.find_first_of(" \t")));
    start = end + 1;
  }
  rectify::CheckCalendar(input);
  return 0;
}
