#include "supervision-service/domain/escalation_policy.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"

namespace rectify::supervision {
namespace {

absl::CivilMonth PreviousMonth(absl::CivilDay day) { return absl::CivilMonth(day) - 1; }

std::string FormatMonth(absl::CivilMonth m) { return absl::FormatCivilTime(m).substr(0, 7); }

}  // namespace

EscalationPolicy DefaultPolicy() { return EscalationPolicy{}; }

absl::Status ValidatePolicy(const EscalationPolicy& p) {
  Violations v;
  auto range = [&](const char* field, int value, int lo, int hi) {
    if (value < lo || value > hi) {
      v.Add(absl::StrCat("policy.", field), absl::StrCat("must be between ", lo, " and ", hi));
    }
  };
  // A year has about 250 working days: no rule waits longer than two.
  range("warning_working_days_left", p.warning_working_days_left, 0, 250);
  range("behind_tolerance_percent", p.behind_tolerance_percent, 0, 100);
  range("notice_overdue_working_days", p.notice_overdue_working_days, 1, 500);
  range("interview_overdue_working_days", p.interview_overdue_working_days, 1, 500);
  range("interview_after_notices", p.interview_after_notices, 1, 50);
  range("interview_after_rejections", p.interview_after_rejections, 1, 50);
  range("listing_overdue_working_days", p.listing_overdue_working_days, 1, 500);
  range("interview_answer_working_days", p.interview_answer_working_days, 1, 250);
  range("transfer_listed_working_days", p.transfer_listed_working_days, 1, 500);
  range("sign_off_hours", p.sign_off_hours, 1, 72);
  range("receipt_report_hours", p.receipt_report_hours, 1, 72);
  range("verification_report_working_days", p.verification_report_working_days, 1, 60);
  range("plan_report_working_days", p.plan_report_working_days, 1, 60);
  range("progress_report_working_days", p.progress_report_working_days, 1, 120);
  if (p.interview_overdue_working_days < p.notice_overdue_working_days) {
    v.Add("policy.interview_overdue_working_days", "must not be below the notice's");
  }
  if (p.listing_overdue_working_days < p.interview_overdue_working_days) {
    v.Add("policy.listing_overdue_working_days", "must not be below the interview's");
  }
  return v.ToStatus();
}

bool LinkageOwed(LinkageState state) {
  return state == LinkageState::kPending || state == LinkageState::kAccepted;
}

bool IsUrgent(const IssueFacts& issue) { return issue.complaint || issue.key; }

bool IsSettled(IssueState state) {
  return state == IssueState::kPublicNotice || state == IssueState::kClosed ||
         state == IssueState::kStageCompleted;
}

std::string MonthOf(absl::Time t) { return FormatMonth(absl::CivilMonth(ProvinceDay(t))); }

DeadlineStanding PolicyEvaluator::Standing(const SupervisionRecord& record,
                                           absl::CivilDay day) const {
  DeadlineStanding s;
  auto deadline = ParseDate(record.issue.deadline);
  if (!deadline) return s;
  s.has_deadline = true;
  s.past_deadline = day > *deadline;
  s.working_days_left = calendar_.WorkingDaysBetween(day, *deadline);
  s.overdue_working_days = day > *deadline ? calendar_.WorkingDaysBetween(*deadline, day) : 0;
  s.expected_percent = 100;
  if (record.issue.assign_time) {
    absl::CivilDay assigned = ProvinceDay(*record.issue.assign_time);
    int total = calendar_.WorkingDaysBetween(assigned, *deadline);
    int gone = std::clamp(calendar_.WorkingDaysBetween(assigned, day), 0, std::max(total, 0));
    if (total > 0) s.expected_percent = 100 * gone / total;
  }
  s.behind = record.issue.progress_percent < s.expected_percent - policy_.behind_tolerance_percent;
  return s;
}

std::vector<Raise> PolicyEvaluator::Evaluate(const SweepSubject& subject, absl::Time as_of,
                                             Light* light) const {
  const SupervisionRecord& r = subject.record;
  const IssueFacts& issue = r.issue;
  bool judged = r.active && !IsSettled(issue.state) && issue.state >= IssueState::kAssigned &&
                // A sweep as of an earlier instant judges only what was assigned by then.
                !(issue.assign_time && *issue.assign_time > as_of);
  if (!judged) {
    if (light) *light = LightOf(r, as_of);
    return {};
  }
  absl::CivilDay day = ProvinceDay(as_of);
  DeadlineStanding standing = Standing(r, day);
  if (light) *light = LightFrom(r, standing);
  std::set<Level> open;
  for (const auto& e : subject.open) {
    if (IsOpen(e.state)) open.insert(e.level);
  }
  std::vector<Raise> out;
  // The first cause at `level` not raised there before; at most one per level.
  auto consider = [&](Level level, std::vector<Raise> causes) {
    if (open.count(level)) return;
    for (auto& c : causes) {
      bool before = false;
      for (const auto& [l, key] : subject.raised)
        before = before || (l == level && key == c.cause_key);
      if (before) continue;
      c.level = level;
      if (c.org_id.empty()) c.org_id = issue.lead_org_id;
      out.push_back(std::move(c));
      return;
    }
  };
  const std::string deadline_key = absl::StrCat("overdue:", issue.deadline);

  // WARNING (预警).
  std::vector<Raise> warnings;
  if (standing.has_deadline && standing.working_days_left >= 0 &&
      standing.working_days_left <= policy_.warning_working_days_left && standing.behind) {
    warnings.push_back({Level::kUnspecified, Cause::kDeadlineNearBehind,
                        absl::StrCat("near:", issue.deadline),
                        absl::StrFormat("%d working days left, %d%% done, %d%% expected",
                                        standing.working_days_left, issue.progress_percent,
                                        standing.expected_percent),
                        "", ""});
  }
  if (policy_.warn_on_missed_monthly_report &&
      (issue.state == IssueState::kAssigned || issue.state == IssueState::kRectifying) &&
      issue.assign_time) {
    absl::CivilMonth previous = PreviousMonth(day);
    std::string month = FormatMonth(previous);
    bool reported =
        std::find(r.report_months.begin(), r.report_months.end(), month) != r.report_months.end();
    // Only a month the issue was assigned before counts.
    if (!reported && ProvinceDay(*issue.assign_time) < absl::CivilDay(previous)) {
      warnings.push_back({Level::kUnspecified, Cause::kMonthlyReportMissed,
                          absl::StrCat("monthly:", month),
                          absl::StrCat("no progress report in ", month), "", ""});
    }
  }
  for (const auto& o : subject.overdue) {
    std::string due = absl::FormatTime("%Y-%m-%d %H:%M", o.due, ProvinceTimeZone());
    warnings.push_back({Level::kUnspecified, o.cause, o.related,
                        absl::StrCat(o.what, " was due ", due, " and is not done"), o.related,
                        o.org_id});
  }
  consider(Level::kWarning, std::move(warnings));

  // NOTICE (通报): overdue.
  if (standing.overdue_working_days >= policy_.notice_overdue_working_days) {
    consider(Level::kNotice, {{Level::kUnspecified, Cause::kOverdue, deadline_key,
                               absl::StrCat("overdue ", standing.overdue_working_days,
                                            " working days (deadline ", issue.deadline, ")"),
                               "", ""}});
  }

  // INTERVIEW (约谈): long overdue, repeated notices, repeated rejections.
  std::vector<Raise> interviews;
  if (standing.overdue_working_days >= policy_.interview_overdue_working_days) {
    interviews.push_back({Level::kUnspecified, Cause::kOverdue, deadline_key,
                          absl::StrCat("overdue ", standing.overdue_working_days,
                                       " working days (deadline ", issue.deadline, ")"),
                          "", ""});
  }
  if (r.notices >= policy_.interview_after_notices) {
    interviews.push_back({Level::kUnspecified, Cause::kRepeatedNotices,
                          absl::StrCat("notices:", r.notices / policy_.interview_after_notices),
                          absl::StrCat(r.notices, " notices"), "", ""});
  }
  if (issue.rejection_count >= policy_.interview_after_rejections) {
    interviews.push_back(
        {Level::kUnspecified, Cause::kRepeatedRejections,
         absl::StrCat("rejections:", issue.rejection_count / policy_.interview_after_rejections),
         absl::StrCat(issue.rejection_count, " applications for acceptance rejected"), "", ""});
  }
  consider(Level::kInterview, std::move(interviews));

  // LISTED (挂牌督办): very long overdue, or an interview left unanswered.
  std::vector<Raise> listings;
  if (standing.overdue_working_days >= policy_.listing_overdue_working_days) {
    listings.push_back({Level::kUnspecified, Cause::kOverdue, deadline_key,
                        absl::StrCat("overdue ", standing.overdue_working_days,
                                     " working days (deadline ", issue.deadline, ")"),
                        "", ""});
  }
  for (const auto& e : subject.open) {
    if (e.level != Level::kInterview || e.state != EscalationState::kOpen) continue;
    int waited = calendar_.WorkingDaysBetween(ProvinceDay(e.raise_time), day);
    if (waited >= policy_.interview_answer_working_days) {
      listings.push_back({Level::kUnspecified, Cause::kInterviewUnanswered,
                          absl::StrCat("interview:", e.id),
                          absl::StrCat("interview unanswered for ", waited, " working days"),
                          EscalationResource(e.id), ""});
    }
  }
  consider(Level::kListed, std::move(listings));

  // TRANSFER (移交问责): listed and still overdue long after.
  if (r.listed_time && standing.overdue_working_days > 0) {
    absl::CivilDay listed = ProvinceDay(*r.listed_time);
    int since = calendar_.WorkingDaysBetween(listed, day);
    if (since >= policy_.transfer_listed_working_days) {
      consider(Level::kTransfer,
               {{Level::kUnspecified, Cause::kListedStillOverdue,
                 absl::StrCat("listed:", FormatDate(listed)),
                 absl::StrCat("listed on ", FormatDate(listed), " and still overdue ", since,
                              " working days later"),
                 "", ""}});
    }
  }
  return out;
}

Light PolicyEvaluator::LightOf(const SupervisionRecord& record, absl::Time as_of) const {
  if (!record.active || IsSettled(record.issue.state)) return Light::kOff;
  return LightFrom(record, Standing(record, ProvinceDay(as_of)));
}

Light PolicyEvaluator::LightFrom(const SupervisionRecord& record, const DeadlineStanding& s) const {
  if (!record.active || IsSettled(record.issue.state)) return Light::kOff;
  bool severe = std::any_of(record.open_levels.begin(), record.open_levels.end(),
                            [](Level l) { return l >= Level::kInterview; });
  if (s.past_deadline || severe) return Light::kRed;
  bool near_and_behind =
      s.has_deadline && s.working_days_left <= policy_.warning_working_days_left && s.behind;
  if (!record.open_levels.empty() || near_and_behind) return Light::kYellow;
  return Light::kGreen;
}

std::vector<Raise> PolicyEvaluator::EvaluateDirective(const Directive& d, absl::Time as_of) const {
  auto due = ParseDate(d.due_date);
  if (d.state != DirectiveState::kOpen || !due || ProvinceDay(as_of) <= *due) return {};
  std::string related = DirectiveResource(d.id);
  return {{Level::kWarning, Cause::kDirectiveOverdue, related,
           absl::StrCat("directive due ", d.due_date, " not completed"), related, d.owner_org_id}};
}

}  // namespace rectify::supervision
