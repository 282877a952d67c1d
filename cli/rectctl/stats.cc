// `rectctl stats`: the ledger's statistics, for a region's subtree or the whole province.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/rectctl/command.h"

namespace rectify::rectctl {
namespace {

int Stats(Session& session, const Args&) {
  v1::GetLedgerStatsRequest req;
  req.set_region_code(absl::GetFlag(FLAGS_region));
  v1::LedgerStats resp;
  auto status = session.Registry().GetLedgerStats(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::cout << "as of " << resp.as_of_date() << ": " << resp.total() << " issues, "
            << resp.rectification_completed() << " rectified ("
            << absl::StrFormat("%.1f%%", 100 * resp.completion_rate()) << "), "
            << resp.accepted_and_closed() << " accepted and closed ("
            << absl::StrFormat("%.1f%%", 100 * resp.closure_rate()) << "), "
            << resp.acceptance_not_completed() << " in acceptance, "
            << resp.acceptance_not_applied() << " done but not applied for, " << resp.overdue()
            << " overdue\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : resp.by_state()) rows.push_back({"state", c.key(), absl::StrCat(c.count())});
  for (const auto& c : resp.by_city()) rows.push_back({"city", c.key(), absl::StrCat(c.count())});
  for (const auto& c : resp.by_category()) {
    rows.push_back({"category", c.key(), absl::StrCat(c.count())});
  }
  PrintTable({"BY", "KEY", "ISSUES"}, rows);
  return 0;
}

}  // namespace

const Noun& StatsNoun() {
  static const Noun noun{
      .name = "stats",
      .summary = "ledger statistics (--region)",
      .verbs = {{"", "", "", &Stats}},
  };
  return noun;
}

}  // namespace rectify::rectctl
