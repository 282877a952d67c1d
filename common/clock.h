// Time as the suite sees it: an injectable clock (tests pass explicit times instead of waiting)
// and calendar dates in the province's civil time (UTC+8, no daylight saving).
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rectify {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  static const Clock& Instance();
};

// A clock that only moves when told; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(now_.load()); }
  void Set(absl::Time t) { now_ = absl::ToUnixMicros(t); }
  void Advance(absl::Duration d) { now_ += absl::ToInt64Microseconds(d); }

 private:
  std::atomic<int64_t> now_;
};

// China Standard Time: the zone every date in the ledger is reckoned in.
absl::TimeZone ProvinceTimeZone();
absl::CivilDay ProvinceDay(absl::Time t);

// "YYYY-MM-DD" with a real calendar day (2023-02-30 is refused).
std::optional<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);

}  // namespace rectify
