#include "common/working_days.h"

#include <random>

#include "common/clock.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

TEST(WorkingDayCalendarTest, SkipsWeekends) {
  WorkingDayCalendar cal;
  // Friday 2022-01-14 + 1 working day = Monday 2022-01-17.
  EXPECT_EQ(cal.AddWorkingDays(absl::CivilDay(2022, 1, 14), 1), absl::CivilDay(2022, 1, 17));
  EXPECT_EQ(cal.AddWorkingDays(absl::CivilDay(2022, 1, 15), 30), absl::CivilDay(2022, 2, 25));
}

TEST(WorkingDayCalendarTest, HolidaysAndSwappedWorkdaysAreData) {
  WorkingDayCalendar cal;
  cal.AddHoliday(absl::CivilDay(2023, 10, 2));
  cal.AddSwappedWorkday(absl::CivilDay(2023, 10, 7));  // a Saturday worked
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2023, 10, 2)));
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2023, 10, 7)));
  EXPECT_EQ(cal.WorkingDaysBetween(absl::CivilDay(2023, 9, 29), absl::CivilDay(2023, 10, 9)), 6);
  EXPECT_EQ(cal.WorkingDaysBetween(absl::CivilDay(2023, 10, 9), absl::CivilDay(2023, 9, 29)), -6);
}

TEST(DateTest, ParsesOnlyRealDates) {
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_FALSE(ParseDate("2023-13-01").has_value());
  EXPECT_FALSE(ParseDate("2023-1-1").has_value());
  EXPECT_FALSE(ParseDate("yesterday").has_value());
  EXPECT_FALSE(ParseDate("").has_value());
  EXPECT_EQ(FormatDate(*ParseDate("2023-06-30")), "2023-06-30");
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

TEST(ChinaCalendarTest, TheShippedDataParsesAndKnowsTheHolidays) {
  const auto& cal = WorkingDayCalendar::China();
  EXPECT_EQ(cal.first_year(), 2017);
  EXPECT_EQ(cal.last_year(), 2027);
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2023, 10, 2)));  // National Day
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2023, 10, 7)));   // a Saturday worked
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2024, 2, 12)));  // Spring Festival
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2024, 2, 4)));    // a Sunday worked
}

TEST(ChinaCalendarTest, AMalformedFileIsRefusedWithItsLine) {
  auto bad =
      WorkingDayCalendar::Parse("# ok\n2023-10-02 holiday\n2023-10-07 workday\nnot a line\n");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("line 4"), absl::string_view::npos) << bad.status();
  EXPECT_FALSE(WorkingDayCalendar::Parse("2023-13-01 holiday").ok());
  EXPECT_FALSE(WorkingDayCalendar::Parse("2023-10-02 feast").ok());
  EXPECT_FALSE(WorkingDayCalendar::Parse("2023-10-09 workday").ok()) << "a Monday is no swap";
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

// Counting by weeks gives what walking the days one by one gives, across years of holidays and
// swapped workdays, in both directions.
TEST(ChinaCalendarTest, CountingByWeeksAgreesWithWalkingTheDays) {
  const WorkingDayCalendar& c = WorkingDayCalendar::China();
  auto walk = [&](absl::CivilDay from, absl::CivilDay to) {
    int sign = to < from ? -1 : 1;
    if (to < from) std::swap(from, to);
    int n = 0;
    for (absl::CivilDay d = from + 1; d <= to; ++d) n += c.IsWorkingDay(d) ? 1 : 0;
    return sign * n;
  };
  std::mt19937 rng(7);
  for (int k = 0; k < 2000; ++k) {
    absl::CivilDay from = absl::CivilDay(2017, 1, 1) + static_cast<int>(rng() % 3900);
    absl::CivilDay to = from + static_cast<int>(rng() % 800) - 400;
    ASSERT_EQ(c.WorkingDaysBetween(from, to), walk(from, to)) << from << " " << to;
  }
}

}  // namespace
}  // namespace rectify
