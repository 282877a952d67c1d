#include "supervision-service/domain/record_keeper.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "supervision-service/domain/obligations.h"

namespace rectify::supervision {
namespace {

constexpr size_t kReportMonthsKept = 12;

bool Rectifies(const IssueFacts& issue, const std::string& org) {
  return !org.empty() &&
         (issue.lead_org_id == org ||
          std::find(issue.responsible_org_ids.begin(), issue.responsible_org_ids.end(), org) !=
              issue.responsible_org_ids.end());
}

}  // namespace

std::optional<ObligationKind> ReportDeliveredBy(const std::string& type) {
  if (type == "issue.acknowledged") return ObligationKind::kReceiptReport;
  if (type == "issue.verification_recorded") return ObligationKind::kVerificationReport;
  if (type == "issue.updated") return ObligationKind::kPlanReport;
  if (type == "issue.progress_reported") return ObligationKind::kProgressReport;
  if (type == "issue.acceptance_requested") return ObligationKind::kCompletionReport;
  return std::nullopt;
}

absl::Time RecordKeeper::EndOfWorkingDay(absl::Time from, int n) const {
  absl::CivilDay day = calendar_.AddWorkingDays(ProvinceDay(from), n);
  return absl::FromCivil(day + 1, ProvinceTimeZone());
}

std::vector<Obligation> RecordKeeper::ObligationsFor(const IssueFacts& issue, absl::Time assigned,
                                                     const EscalationPolicy& p) const {
  std::vector<Obligation> out;
  auto add = [&](ObligationKind kind, std::string owner, absl::Time due) {
    if (owner.empty()) return;
    Obligation o;
    o.issue_id = issue.id;
    o.kind = kind;
    o.owner_org_id = std::move(owner);
    o.region_code = issue.region_code;
    o.due_time = due;
    out.push_back(std::move(o));
  };
  // Three levels, three hours each from the dispatch to that level: the province's starts at
  // the assignment, each lower level's when the level above signs (until then, from its due).
  absl::Duration window = absl::Hours(p.sign_off_hours);
  absl::Time due = assigned + window;
  add(ObligationKind::kProvinceSignOff, orgs_.OfficeOrg(), due);
  const std::string& region = issue.region_code;
  bool below_province = region.size() == 6 && !absl::EndsWith(region, "0000");
  if (below_province) {
    due += window;
    add(ObligationKind::kCitySignOff, orgs_.GovernmentOf(region.substr(0, 4) + "00"), due);
    if (!absl::EndsWith(region, "00")) {
      due += window;
      add(ObligationKind::kCountySignOff, orgs_.GovernmentOf(region), due);
    }
  }
  // Five reports by the lead org.
  const std::string& lead = issue.lead_org_id;
  add(ObligationKind::kReceiptReport, lead, assigned + absl::Hours(p.receipt_report_hours));
  if (issue.complaint) {
    add(ObligationKind::kVerificationReport, lead,
        EndOfWorkingDay(assigned, p.verification_report_working_days));
  }
  add(ObligationKind::kPlanReport, lead, EndOfWorkingDay(assigned, p.plan_report_working_days));
  add(ObligationKind::kProgressReport, lead,
      EndOfWorkingDay(assigned, p.progress_report_working_days));
  if (auto deadline = ParseDate(issue.deadline)) {
    add(ObligationKind::kCompletionReport, lead,
        absl::FromCivil(*deadline + 1, ProvinceTimeZone()));
  }
  return out;
}

RecordUpdate RecordKeeper::Apply(const std::optional<SupervisionRecord>& current,
                                 const std::vector<Obligation>& obligations, const IssueEvent& e,
                                 const EscalationPolicy& policy) const {
  RecordUpdate change;
  if (!e.issue) {
    change.record = current;
    return change;
  }
  const IssueFacts& facts = *e.issue;
  if (!current) {
    // Supervision starts at the assignment (or with an entry imported while still open).
    bool assigned = facts.state >= IssueState::kAssigned && facts.state != IssueState::kClosed &&
                    facts.state != IssueState::kStageCompleted;
    if (!assigned) return change;
  }
  SupervisionRecord r = current.value_or(SupervisionRecord{});
  bool was_active = current && r.active;
  r.issue = facts;
  if (!r.issue.assign_time && current) r.issue.assign_time = current->issue.assign_time;
  if (r.level != SupervisionLevel::kListed) {
    r.level = IsUrgent(facts) ? SupervisionLevel::kKey : SupervisionLevel::kNormal;
  }
  if (e.type == "issue.progress_reported") {
    r.last_progress_time = e.time;
    std::string month = MonthOf(e.time);
    if (std::find(r.report_months.begin(), r.report_months.end(), month) == r.report_months.end()) {
      r.report_months.push_back(month);
      std::sort(r.report_months.begin(), r.report_months.end());
      if (r.report_months.size() > kReportMonthsKept)
        r.report_months.erase(r.report_months.begin());
    }
  }
  r.active = facts.state != IssueState::kClosed;
  r.update_time = e.time;
  PolicyEvaluator evaluator(policy, calendar_);
  r.light = evaluator.LightOf(r, e.time);

  if (!current) {
    change.event_type = "supervision.record_opened";
  } else if (was_active && !r.active) {
    change.event_type = "supervision.record_closed";
  } else if (!was_active && r.active) {
    change.event_type = "supervision.record_reopened";
  } else {
    change.event_type = "supervision.record_updated";
  }

  if (e.type == "issue.assigned" && IsUrgent(facts) && obligations.empty()) {
    change.new_obligations = ObligationsFor(facts, e.time, policy);
  }
  if (auto kind = ReportDeliveredBy(e.type)) {
    // A plan comes from the org that rectifies, not from the office's edits.
    bool counts = *kind != ObligationKind::kPlanReport || Rectifies(facts, e.actor_org);
    for (const auto& o : obligations) {
      if (!counts || o.kind != *kind || o.met_time || IsSignOff(o.kind)) continue;
      Obligation met = o;
      Meet(met, e.time, e.type);
      change.met_obligations.push_back(std::move(met));
    }
  }
  change.record = std::move(r);
  return change;
}

}  // namespace rectify::supervision
