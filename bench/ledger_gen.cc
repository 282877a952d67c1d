// rectify-ledger-gen: fills an issue-service database with N synthetic issues, for measuring
// GetLedgerStats and ListIssues on a ledger of realistic size. The issues carry no history and
// no events: they never happened. It runs under the schema's MIGRATION account (the service's
// own account may not write the counters it rebuilds), against a scratch database only.
#include <cstdio>
#include <random>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "bench/scratch_database.h"
#include "bench/synthetic_ledger.h"
#include "common/clock.h"
#include "common/config.h"

ABSL_FLAG(int, issues, 100000, "how many synthetic issues");
ABSL_FLAG(int, seed, 1, "random seed");

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::issues;
  ParseFlagsWithEnvironment(argc, argv, "rectify-ledger-gen --issues=N: synthetic ledger");
  auto db = bench::ScratchDatabase();
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 2;
  }
  mysql::Pool pool(*db, 2);
  bench::SyntheticLedger store(pool);

  const std::vector<std::string>& counties = bench::SyntheticCounties();
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const int total = absl::GetFlag(FLAGS_issues);
  absl::Time start = absl::Now();
  absl::CivilDay today = ProvinceDay(start);
  std::vector<Issue> batch;
  for (int n = 0; n < total; ++n) {
    Issue i;
    i.inspection_id = 1 + pick(3);
    i.source = static_cast<IssueSource>(1 + pick(4));
    i.title = absl::StrCat("合成台账问题 ", n);
    i.category = static_cast<Category>(1 + pick(kMaxCategory));
    i.region_code = counties[pick(static_cast<int>(counties.size()))];
    i.priority = pick(5) ? Priority::kNormal : Priority::kKey;
    i.state = static_cast<IssueState>(1 + pick(kMaxIssueState));
    if (i.state != IssueState::kRegistered) {
      i.rectification_class = static_cast<RectificationClass>(1 + pick(3));
      i.lead_org_id = "hlj-water";
      i.deadline = FormatDate(today - 400 + pick(800));
    }
    i.measures = {{"m1", "措施一", "", pick(2) == 0, ""}, {"m2", "措施二", "", pick(3) == 0, ""}};
    i.create_time = i.update_time = start;
    batch.push_back(std::move(i));
    if (batch.size() == 20000 || n + 1 == total) {
      auto s = store.Load(batch, absl::Now() + absl::Minutes(10));
      if (!s.ok()) {
        std::fprintf(stderr, "load failed: %s\n", s.ToString().c_str());
        return 1;
      }
      batch.clear();
      std::fprintf(stderr, "\r%d / %d issues", n + 1, total);
    }
  }
  if (auto s = store.RebuildCounters(absl::Now() + absl::Minutes(30)); !s.ok()) {
    std::fprintf(stderr, "\ncounting failed: %s\n", s.ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "\nloaded and counted %d synthetic issues in %.1f s\n", total,
               absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}
