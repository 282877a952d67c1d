// rectify-supervision-gen: fills a supervision database with N synthetic supervised issues, for
// measuring RunSweep and GetBattleMap at the size of a large province. Deadlines are spread over
// the coming year with a few percent already past, progress follows the time gone with noise,
// and each record's light is what the default policy gives it today. The records carry no
// history and no events: they never happened. Runs under the schema's MIGRATION account.
#include <cstdio>
#include <random>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "bench/scratch_database.h"
#include "bench/synthetic_supervision.h"
#include "common/clock.h"
#include "common/config.h"
#include "supervision-service/domain/escalation_policy.h"

ABSL_FLAG(int, records, 100000, "how many synthetic supervised issues");
ABSL_FLAG(int, overdue_percent, 3, "share of them already past their deadline");
ABSL_FLAG(int, seed, 1, "random seed");

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::supervision;
  ParseFlagsWithEnvironment(argc, argv, "rectify-supervision-gen --records=N");
  auto db = bench::ScratchDatabase();
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 2;
  }
  mysql::Pool pool(*db, 2);
  bench::SyntheticSupervision store(pool);

  const std::vector<std::string>& counties = bench::SyntheticCounties();
  static const char* kLeads[] = {"hlj-water",    "hlj-housing", "hlj-agri",
                                 "hlj-industry", "hlj-nr",      "hlj-forest"};
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  EscalationPolicy policy = DefaultPolicy();
  const WorkingDayCalendar& calendar = WorkingDayCalendar::China();
  PolicyEvaluator evaluator(policy, calendar);
  const int total = absl::GetFlag(FLAGS_records);
  const int overdue = absl::GetFlag(FLAGS_overdue_percent);
  absl::Time now = absl::Now();
  absl::CivilDay today = ProvinceDay(now);
  std::vector<SupervisionRecord> batch;
  for (int n = 0; n < total; ++n) {
    SupervisionRecord r;
    IssueFacts& i = r.issue;
    // Far above the ids the issue registry hands out in a benchmark run.
    i.id = 1000000000 + n;
    i.title = absl::StrCat("合成督办问题 ", n);
    i.region_code = counties[pick(static_cast<int>(counties.size()))];
    i.lead_org_id = kLeads[pick(6)];
    i.source = pick(10) == 0 ? "COMPLAINT" : "FEEDBACK";
    i.complaint = i.source == "COMPLAINT";
    i.priority = pick(5) == 0 ? "KEY" : "NORMAL";
    i.key = i.priority == "KEY";
    i.category = "WATER";
    absl::CivilDay assigned = today - 30 - pick(300);
    absl::CivilDay deadline = pick(100) < overdue ? today - 1 - pick(90) : today + 1 + pick(365);
    i.deadline = FormatDate(deadline);
    i.assign_time = absl::FromCivil(assigned, ProvinceTimeZone()) + absl::Hours(10);
    i.state = IssueState::kRectifying;
    int gone = calendar.WorkingDaysBetween(assigned, today);
    int span = std::max(1, calendar.WorkingDaysBetween(assigned, deadline));
    i.progress_percent = std::clamp(100 * gone / span - 15 + pick(40), 0, 100);
    r.level = IsUrgent(i) ? SupervisionLevel::kKey : SupervisionLevel::kNormal;
    r.report_months = {MonthOf(now - absl::Hours(24 * 31)), MonthOf(now)};
    r.active = true;
    r.update_time = now;
    r.light = evaluator.LightOf(r, now);
    batch.push_back(std::move(r));
    if (batch.size() == 20000 || n + 1 == total) {
      if (auto s = store.Load(batch, absl::Now() + absl::Minutes(10)); !s.ok()) {
        std::fprintf(stderr, "load failed: %s\n", s.ToString().c_str());
        return 1;
      }
      batch.clear();
      std::fprintf(stderr, "\r%d / %d records", n + 1, total);
    }
  }
  if (auto s = store.RebuildCounts(absl::Now() + absl::Minutes(30)); !s.ok()) {
    std::fprintf(stderr, "\ncounting failed: %s\n", s.ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "\nloaded and counted %d synthetic supervised issues in %.1f s\n", total,
               absl::ToDoubleSeconds(absl::Now() - now));
  return 0;
}
