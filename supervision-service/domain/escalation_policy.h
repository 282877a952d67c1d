// The escalation policy (DESIGN.md §4.3-4.4) as data, and its evaluation: a pure function of a
// supervised issue as it stands, the policy, the working-day calendar and an instant. The sweep
// runs it for every record; nothing here reads a clock or a database.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/status.h"
#include "common/working_days.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

struct EscalationPolicy {
  int64_t version = 0;
  // WARNING: at most this many working days left, and progress behind the share of the time
  // gone by more than the tolerance (percentage points).
  int warning_working_days_left = 10;
  int behind_tolerance_percent = 10;
  // WARNING: an active issue without a progress report in the previous calendar month.
  bool warn_on_missed_monthly_report = true;
  // NOTICE: overdue at least this many working days.
  int notice_overdue_working_days = 1;
  // INTERVIEW: overdue this long, or after this many notices or rejected applications.
  int interview_overdue_working_days = 20;
  int interview_after_notices = 2;
  int interview_after_rejections = 2;
  // LISTED: overdue this long, or an interview unanswered this many working days.
  int listing_overdue_working_days = 60;
  int interview_answer_working_days = 10;
  // TRANSFER: a listed issue still overdue this many working days after its listing.
  int transfer_listed_working_days = 20;
  // Obligations (三级三时五报).
  int sign_off_hours = 3;
  int receipt_report_hours = 3;
  int verification_report_working_days = 5;
  int plan_report_working_days = 10;
  int progress_report_working_days = 20;

  std::string created_by;
  absl::Time create_time;
};

// The defaults of DESIGN.md §4.3-4.4 (version 1 is stored from them).
EscalationPolicy DefaultPolicy();
// INVALID_ARGUMENT naming each field out of range ("policy.<field>").
absl::Status ValidatePolicy(const EscalationPolicy& policy);

// What the evaluation needs besides the record.
struct OpenEscalation {
  Level level = Level::kUnspecified;
  int64_t id = 0;
  EscalationState state = EscalationState::kOpen;
  absl::Time raise_time;
};

// Something the issue's orgs owe past its due time: an obligation, a linkage answer, a directive.
struct Overdue {
  Cause cause = Cause::kUnspecified;
  std::string related;  // "supervision/obligations/7": also the cause's key
  std::string org_id;   // who owes it
  std::string what;     // "RECEIPT_REPORT", the linkage's action, the directive's text
  absl::Time due;
};

struct SweepSubject {
  SupervisionRecord record;
  std::vector<OpenEscalation> open;
  // Obligations past due and not met, late linkage answers, overdue directives of the issue.
  std::vector<Overdue> overdue;
  // Causes raised before at each level (open or not): never raised there again.
  std::vector<std::pair<Level, std::string>> raised;
};

// One escalation the policy calls for.
struct Raise {
  Level level = Level::kUnspecified;
  Cause cause = Cause::kUnspecified;
  std::string cause_key;
  std::string detail;
  std::string related;
  std::string org_id;
};

// Where an issue stands against its deadline on a day.
struct DeadlineStanding {
  bool has_deadline = false;
  bool past_deadline = false;    // the day is after the deadline (a weekend included)
  int working_days_left = 0;     // 0 on the deadline itself; negative once overdue
  int overdue_working_days = 0;  // working days after the deadline
  int expected_percent = 0;      // share of the assignment-to-deadline time gone by
  bool behind = false;
};

class PolicyEvaluator {
 public:
  PolicyEvaluator(const EscalationPolicy& policy, const WorkingDayCalendar& calendar)
      : policy_(policy), calendar_(calendar) {}

  DeadlineStanding Standing(const SupervisionRecord& record, absl::CivilDay day) const;
  // The escalations `subject` calls for as of `as_of`, lowest level first; at most one per level,
  // none at a level that is already open. Only active, unsettled records are evaluated. With
  // `light`, also the record's light as of `as_of` (from the same reckoning).
  std::vector<Raise> Evaluate(const SweepSubject& subject, absl::Time as_of,
                              Light* light = nullptr) const;
  // The traffic light of a record as of `as_of`, with its open escalations.
  Light LightOf(const SupervisionRecord& record, absl::Time as_of) const;
  // A directive that concerns no issue: WARNING when overdue.
  std::vector<Raise> EvaluateDirective(const Directive& directive, absl::Time as_of) const;

 private:
  Light LightFrom(const SupervisionRecord& record, const DeadlineStanding& standing) const;

  const EscalationPolicy& policy_;
  const WorkingDayCalendar& calendar_;
};

// A linkage request still owes an answer or a result.
bool LinkageOwed(LinkageState state);

// Supervised closely: a complaint or a key issue (and any listed one).
bool IsUrgent(const IssueFacts& issue);
// No deadline runs against the issue any more (public notice, closed, stage completed).
bool IsSettled(IssueState state);
// "YYYY-MM" of an instant in province time.
std::string MonthOf(absl::Time t);

}  // namespace rectify::supervision
