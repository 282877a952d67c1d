// The escalation policy's evaluation and the record keeper, without a database: each rule at its
// boundary, in working days of a calendar with a holiday and a swapped workday.
#include <algorithm>
#include <set>

#include "common/clock.h"
#include "gtest/gtest.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/obligations.h"
#include "supervision-service/domain/record_keeper.h"

namespace rectify::supervision {
namespace {

absl::Time At(int y, int m, int d, int h = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), ProvinceTimeZone());
}

// May 2023: Monday 1 to Wednesday 3 are holidays (劳动节), Saturday 6 is a working day (调休).
WorkingDayCalendar Calendar() {
  WorkingDayCalendar c;
  for (int d = 1; d <= 3; ++d) c.AddHoliday(absl::CivilDay(2023, 5, d));
  c.AddSwappedWorkday(absl::CivilDay(2023, 5, 6));
  return c;
}

SupervisionRecord Record(const std::string& deadline, int progress, absl::Time assigned) {
  SupervisionRecord r;
  r.issue.id = 42;
  r.issue.region_code = "230102";
  r.issue.lead_org_id = "hlj-water";
  r.issue.deadline = deadline;
  r.issue.state = IssueState::kRectifying;
  r.issue.progress_percent = progress;
  r.issue.assign_time = assigned;
  r.report_months = {"2023-03", "2023-04", "2023-05", "2023-06"};
  return r;
}

std::vector<Level> Levels(const std::vector<Raise>& raises) {
  std::vector<Level> out;
  for (const auto& r : raises) out.push_back(r.level);
  return out;
}

class PolicyTest : public ::testing::Test {
 protected:
  WorkingDayCalendar calendar_ = Calendar();
  EscalationPolicy policy_ = DefaultPolicy();
  PolicyEvaluator evaluator_{policy_, calendar_};
};

TEST_F(PolicyTest, WorkingDaysLeftCountTheHolidayOutAndTheSwappedSaturdayIn) {
  // From Friday 28 April to Friday 12 May: 4 working days of the week of the holiday (Thu 4,
  // Fri 5, Sat 6 swapped) plus Mon 8 to Fri 12.
  SupervisionRecord r = Record("2023-05-12", 50, At(2023, 3, 1));
  EXPECT_EQ(evaluator_.Standing(r, absl::CivilDay(2023, 4, 28)).working_days_left, 8);
}

TEST_F(PolicyTest, AWarningComesAtTenWorkingDaysLeftWithProgressBehindNotAtEleven) {
  // Deadline Friday 19 May: ten working days are left from the swapped Saturday 6 May (8-12,
  // 15-19), eleven from Friday 5 May.
  SupervisionRecord r = Record("2023-05-19", 10, At(2023, 3, 1));
  absl::CivilDay eleven, ten;
  for (absl::CivilDay d(2023, 4, 20); d < absl::CivilDay(2023, 5, 19); ++d) {
    int left = calendar_.WorkingDaysBetween(d, absl::CivilDay(2023, 5, 19));
    if (left == 11 && calendar_.IsWorkingDay(d)) eleven = d;
    if (left == 10 && calendar_.IsWorkingDay(d)) ten = d;
  }
  ASSERT_EQ(ten, absl::CivilDay(2023, 5, 6)) << "the swapped Saturday is a working day";
  ASSERT_EQ(eleven, absl::CivilDay(2023, 5, 5));
  SweepSubject s{r, {}, {}, {}};
  EXPECT_TRUE(evaluator_.Evaluate(s, absl::FromCivil(eleven, ProvinceTimeZone()) + absl::Hours(10))
                  .empty());
  auto raised = evaluator_.Evaluate(s, absl::FromCivil(ten, ProvinceTimeZone()) + absl::Hours(10));
  ASSERT_EQ(Levels(raised), std::vector<Level>{Level::kWarning});
  EXPECT_EQ(raised[0].cause, Cause::kDeadlineNearBehind);
  EXPECT_EQ(raised[0].org_id, "hlj-water");
}

TEST_F(PolicyTest, NoWarningWhenProgressKeepsUpWithTheTimeGone) {
  SupervisionRecord r = Record("2023-05-19", 95, At(2023, 3, 1));
  SweepSubject s{r, {}, {}, {}};
  EXPECT_TRUE(evaluator_.Evaluate(s, At(2023, 5, 15)).empty());
}

TEST_F(PolicyTest, ANoticeComesOnTheFirstWorkingDayOverdueNotOnTheWeekend) {
  // Deadline Friday 12 May; Saturday 13 and Sunday 14 are not working days.
  SupervisionRecord r = Record("2023-05-12", 100, At(2023, 3, 1));
  SweepSubject s{r, {}, {}, {}};
  EXPECT_TRUE(evaluator_.Evaluate(s, At(2023, 5, 14)).empty());
  EXPECT_EQ(evaluator_.LightOf(r, At(2023, 5, 14)), Light::kRed) << "overdue by date: red";
  auto raised = evaluator_.Evaluate(s, At(2023, 5, 15));
  ASSERT_EQ(Levels(raised), std::vector<Level>{Level::kNotice});
  EXPECT_EQ(raised[0].cause_key, "overdue:2023-05-12");
}

TEST_F(PolicyTest, AnInterviewAtTwentyWorkingDaysOverdueAndAListingAtSixty) {
  SupervisionRecord r = Record("2023-04-28", 100, At(2023, 3, 1));
  absl::CivilDay deadline(2023, 4, 28);
  auto day_at = [&](int overdue) {
    absl::CivilDay d = calendar_.AddWorkingDays(deadline, overdue);
    return absl::FromCivil(d, ProvinceTimeZone()) + absl::Hours(10);
  };
  // The notice is already open: only the higher levels are raised.
  SweepSubject s{r, {{Level::kNotice, 1, EscalationState::kOpen, At(2023, 5, 4)}}, {}, {}};
  EXPECT_TRUE(evaluator_.Evaluate(s, day_at(19)).empty());
  EXPECT_EQ(Levels(evaluator_.Evaluate(s, day_at(20))), std::vector<Level>{Level::kInterview});
  s.open.push_back({Level::kInterview, 2, EscalationState::kResponded, day_at(20)});
  EXPECT_TRUE(evaluator_.Evaluate(s, day_at(59)).empty()) << "the interview was answered";
  EXPECT_EQ(Levels(evaluator_.Evaluate(s, day_at(60))), std::vector<Level>{Level::kListed});
}

TEST_F(PolicyTest, AnUnansweredInterviewIsListedAfterTenWorkingDays) {
  SupervisionRecord r = Record("2023-09-29", 40, At(2023, 3, 1));
  r.issue.rejection_count = 2;
  SweepSubject s{r, {{Level::kInterview, 7, EscalationState::kOpen, At(2023, 5, 4)}}, {}, {}};
  // Working days after Thursday 4 May: 5, 6 (swapped), 8-12, 15, 16: nine on Tuesday 16 May,
  // ten on Wednesday 17.
  EXPECT_TRUE(evaluator_.Evaluate(s, At(2023, 5, 16)).empty());
  auto raised = evaluator_.Evaluate(s, At(2023, 5, 17));
  ASSERT_EQ(Levels(raised), std::vector<Level>{Level::kListed});
  EXPECT_EQ(raised[0].cause, Cause::kInterviewUnanswered);
  EXPECT_EQ(raised[0].cause_key, "interview:7");
}

TEST_F(PolicyTest, TwoNoticesOrTwoRejectionsCallForAnInterview) {
  SupervisionRecord r = Record("2023-09-29", 40, At(2023, 3, 1));
  r.notices = 2;
  SweepSubject s{r, {}, {}, {}};
  auto raised = evaluator_.Evaluate(s, At(2023, 5, 8));
  ASSERT_EQ(Levels(raised), std::vector<Level>{Level::kInterview});
  EXPECT_EQ(raised[0].cause, Cause::kRepeatedNotices);
  r.notices = 1;
  r.issue.rejection_count = 1;
  EXPECT_TRUE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 5, 8)).empty());
  r.issue.rejection_count = 2;
  raised = evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 5, 8));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].cause, Cause::kRepeatedRejections);
}

TEST_F(PolicyTest, AListedIssueStillOverdueTwentyWorkingDaysLaterIsTransferred) {
  SupervisionRecord r = Record("2023-03-31", 60, At(2023, 1, 3));
  r.listed_time = At(2023, 5, 4);
  std::vector<OpenEscalation> open = {
      {Level::kNotice, 1, EscalationState::kOpen, At(2023, 4, 3)},
      {Level::kInterview, 2, EscalationState::kResponded, At(2023, 4, 28)},
      {Level::kListed, 3, EscalationState::kOpen, At(2023, 5, 4)}};
  SweepSubject s{r, open, {}, {}};
  absl::CivilDay listed(2023, 5, 4);
  absl::Time before = absl::FromCivil(calendar_.AddWorkingDays(listed, 19), ProvinceTimeZone());
  absl::Time at = absl::FromCivil(calendar_.AddWorkingDays(listed, 20), ProvinceTimeZone());
  EXPECT_TRUE(evaluator_.Evaluate(s, before + absl::Hours(10)).empty());
  auto raised = evaluator_.Evaluate(s, at + absl::Hours(10));
  ASSERT_EQ(Levels(raised), std::vector<Level>{Level::kTransfer});
  EXPECT_EQ(raised[0].cause, Cause::kListedStillOverdue);
}

TEST_F(PolicyTest, AMonthWithoutAProgressReportRaisesAWarningOnce) {
  SupervisionRecord r = Record("2023-12-29", 90, At(2023, 3, 1));
  r.report_months = {"2023-03", "2023-05"};
  SweepSubject s{r, {}, {}, {}};
  auto raised = evaluator_.Evaluate(s, At(2023, 5, 8));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].cause, Cause::kMonthlyReportMissed);
  EXPECT_EQ(raised[0].cause_key, "monthly:2023-04");
  s.raised.push_back({Level::kWarning, "monthly:2023-04"});
  EXPECT_TRUE(evaluator_.Evaluate(s, At(2023, 5, 8)).empty()) << "raised before: never again";
  // Assigned during April: April does not count yet.
  r.issue.assign_time = At(2023, 4, 10);
  EXPECT_TRUE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 5, 8)).empty());
}

TEST_F(PolicyTest, WhatIsOwedPastDueWarnsTheOrgThatOwesIt) {
  SupervisionRecord r = Record("2023-12-29", 90, At(2023, 4, 20));
  Overdue late{Cause::kLinkageLate, "supervision/linkage/3", "hlj-forestry", "the linkage request",
               At(2023, 5, 5, 0)};
  SweepSubject s{r, {}, {late}, {}};
  auto raised = evaluator_.Evaluate(s, At(2023, 5, 8));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].level, Level::kWarning);
  EXPECT_EQ(raised[0].org_id, "hlj-forestry");
  EXPECT_EQ(raised[0].related, "supervision/linkage/3");
  // An open warning holds the level: nothing more at WARNING until it is resolved.
  s.open.push_back({Level::kWarning, 9, EscalationState::kOpen, At(2023, 5, 8)});
  EXPECT_TRUE(evaluator_.Evaluate(s, At(2023, 5, 9)).empty());
}

TEST_F(PolicyTest, SettledAndClosedIssuesAreNotEvaluated) {
  SupervisionRecord r = Record("2023-03-31", 100, At(2023, 1, 3));
  r.issue.state = IssueState::kPublicNotice;
  EXPECT_TRUE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 6, 1)).empty());
  EXPECT_EQ(evaluator_.LightOf(r, At(2023, 6, 1)), Light::kOff);
  r.issue.state = IssueState::kRectifying;
  r.active = false;
  EXPECT_TRUE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 6, 1)).empty());
}

TEST_F(PolicyTest, ASweepAsOfAnEarlierInstantJudgesOnlyWhatWasAssignedByThen) {
  SupervisionRecord r = Record("2023-03-31", 10, At(2023, 5, 4));
  EXPECT_TRUE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 5, 3)).empty());
  EXPECT_FALSE(evaluator_.Evaluate(SweepSubject{r, {}, {}, {}}, At(2023, 5, 5)).empty());
}

TEST_F(PolicyTest, APolicyOutOfRangeIsRefusedNamingEachField) {
  EscalationPolicy p = DefaultPolicy();
  p.sign_off_hours = 0;
  p.listing_overdue_working_days = 5;  // below the interview's 20
  p.behind_tolerance_percent = 101;
  auto s = ValidatePolicy(p);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto v = FieldViolations(s);
  ASSERT_EQ(v.size(), 3u) << s;
  std::set<std::string> fields;
  for (const auto& f : v) fields.insert(f.field);
  EXPECT_EQ(fields,
            (std::set<std::string>{"policy.sign_off_hours", "policy.listing_overdue_working_days",
                                   "policy.behind_tolerance_percent"}));
  EXPECT_TRUE(ValidatePolicy(DefaultPolicy()).ok());
}

// ---- The record keeper ------------------------------------------------------------------------

class Orgs final : public OrgDirectory {
 public:
  std::string OfficeOrg() const override { return "hlj-office"; }
  std::string GovernmentOf(const std::string& code) const override { return "gov-" + code; }
};

class KeeperTest : public ::testing::Test {
 protected:
  IssueEvent Event(const std::string& type, absl::Time t, IssueState state) {
    IssueEvent e;
    e.cursor = ++cursor_;
    e.type = type;
    e.time = t;
    e.actor_org = "hlj-water";
    IssueFacts i;
    i.id = 42;
    i.region_code = "230102";
    i.source = "COMPLAINT";
    i.complaint = true;
    i.lead_org_id = "hlj-water";
    i.responsible_org_ids = {"gov-230102"};
    i.deadline = "2023-06-30";
    i.state = state;
    i.assign_time = At(2023, 5, 4, 9);
    e.issue = i;
    return e;
  }

  WorkingDayCalendar calendar_ = Calendar();
  Orgs orgs_;
  RecordKeeper keeper_{calendar_, orgs_};
  EscalationPolicy policy_ = DefaultPolicy();
  int64_t cursor_ = 0;
};

TEST_F(KeeperTest, AnIssueIsSupervisedFromItsAssignmentNotItsRegistration) {
  auto registered =
      keeper_.Apply(std::nullopt, {},
                    Event("issue.created", At(2023, 5, 4, 8), IssueState::kRegistered), policy_);
  EXPECT_FALSE(registered.record.has_value());
  auto assigned = keeper_.Apply(
      std::nullopt, {}, Event("issue.assigned", At(2023, 5, 4, 9), IssueState::kAssigned), policy_);
  ASSERT_TRUE(assigned.record.has_value());
  EXPECT_EQ(assigned.event_type, "supervision.record_opened");
  EXPECT_EQ(assigned.record->level, SupervisionLevel::kKey) << "a complaint is supervised closely";
}

TEST_F(KeeperTest, AnUrgentAssignmentOwesThreeSignOffsAndFiveReports) {
  auto assigned = keeper_.Apply(
      std::nullopt, {}, Event("issue.assigned", At(2023, 5, 4, 9), IssueState::kAssigned), policy_);
  std::vector<ObligationKind> kinds;
  for (const auto& o : assigned.new_obligations) kinds.push_back(o.kind);
  ASSERT_EQ(kinds, (std::vector<ObligationKind>{
                       ObligationKind::kProvinceSignOff, ObligationKind::kCitySignOff,
                       ObligationKind::kCountySignOff, ObligationKind::kReceiptReport,
                       ObligationKind::kVerificationReport, ObligationKind::kPlanReport,
                       ObligationKind::kProgressReport, ObligationKind::kCompletionReport}));
  const auto& o = assigned.new_obligations;
  EXPECT_EQ(o[0].owner_org_id, "hlj-office");
  EXPECT_EQ(o[0].due_time, At(2023, 5, 4, 12)) << "three hours after dispatch";
  EXPECT_EQ(o[1].owner_org_id, "gov-230100");
  EXPECT_EQ(o[2].owner_org_id, "gov-230102");
  EXPECT_EQ(o[3].owner_org_id, "hlj-water");
  // Five working days after Thursday 4 May (5, 6 swapped, 8, 9, 10), to the end of Wednesday 10.
  EXPECT_EQ(o[4].due_time, absl::FromCivil(absl::CivilDay(2023, 5, 11), ProvinceTimeZone()));
  EXPECT_EQ(o[7].due_time, absl::FromCivil(absl::CivilDay(2023, 7, 1), ProvinceTimeZone()));
}

TEST_F(KeeperTest, TheRegistrysEventsMeetTheReportsOnTimeOrLate) {
  auto assigned = keeper_.Apply(
      std::nullopt, {}, Event("issue.assigned", At(2023, 5, 4, 9), IssueState::kAssigned), policy_);
  std::vector<Obligation> owed = assigned.new_obligations;
  for (size_t i = 0; i < owed.size(); ++i) owed[i].id = static_cast<int64_t>(i + 1);
  auto ack = keeper_.Apply(assigned.record, owed,
                           Event("issue.acknowledged", At(2023, 5, 4, 11), IssueState::kRectifying),
                           policy_);
  ASSERT_EQ(ack.met_obligations.size(), 1u);
  EXPECT_EQ(ack.met_obligations[0].kind, ObligationKind::kReceiptReport);
  EXPECT_EQ(ack.met_obligations[0].state, ObligationState::kMet);
  auto late = keeper_.Apply(
      ack.record, owed, Event("issue.progress_reported", At(2023, 7, 3), IssueState::kRectifying),
      policy_);
  ASSERT_EQ(late.met_obligations.size(), 1u);
  EXPECT_EQ(late.met_obligations[0].state, ObligationState::kMissed) << "met, but late";
  EXPECT_EQ(late.record->report_months.back(), "2023-07");
}

TEST(ObligationRulesTest, MetInTimeOrLateAndMissedOnlyOncePastDue) {
  Obligation o;
  o.kind = ObligationKind::kCitySignOff;
  o.state = ObligationState::kPending;
  o.due_time = At(2023, 5, 4, 12);
  EXPECT_TRUE(IsSignOff(o.kind));
  EXPECT_FALSE(IsSignOff(ObligationKind::kPlanReport));

  Obligation on_time = o;
  Meet(on_time, At(2023, 5, 4, 12), "gov-230100-user");
  EXPECT_EQ(on_time.state, ObligationState::kMet) << "at the due time is in time";
  Obligation late = o;
  Meet(late, At(2023, 5, 4, 13), "gov-230100-user");
  EXPECT_EQ(late.state, ObligationState::kMissed);
  EXPECT_EQ(late.met_by, "gov-230100-user");

  Obligation due = o;
  EXPECT_FALSE(MissIfPastDue(due, At(2023, 5, 4, 12))) << "not past due at the due time";
  EXPECT_TRUE(MissIfPastDue(due, At(2023, 5, 4, 13)));
  EXPECT_EQ(due.state, ObligationState::kMissed);
  EXPECT_FALSE(MissIfPastDue(due, At(2023, 5, 5))) << "missed once";
  EXPECT_FALSE(MissIfPastDue(on_time, At(2023, 5, 5))) << "a met obligation is never missed";
  // Signed after it was marked missed: met, and still missed.
  Meet(due, At(2023, 5, 5), "gov-230100-user");
  EXPECT_TRUE(due.met_time.has_value());
  EXPECT_EQ(due.state, ObligationState::kMissed);
}

TEST_F(KeeperTest, AClosedIssueLeavesTheBoardAndAReopenedOneComesBack) {
  auto assigned = keeper_.Apply(
      std::nullopt, {}, Event("issue.assigned", At(2023, 5, 4, 9), IssueState::kAssigned), policy_);
  auto closed = keeper_.Apply(assigned.record, {},
                              Event("issue.closed", At(2023, 6, 1), IssueState::kClosed), policy_);
  ASSERT_TRUE(closed.record.has_value());
  EXPECT_EQ(closed.event_type, "supervision.record_closed");
  EXPECT_FALSE(closed.record->active);
  EXPECT_EQ(closed.record->light, Light::kOff);
  auto reopened = keeper_.Apply(
      closed.record, {}, Event("issue.reopened", At(2023, 7, 1), IssueState::kRectifying), policy_);
  EXPECT_EQ(reopened.event_type, "supervision.record_reopened");
  EXPECT_TRUE(reopened.record->active);
}

}  // namespace
}  // namespace rectify::supervision
