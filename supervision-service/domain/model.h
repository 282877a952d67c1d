// Supervision's domain types (DESIGN.md §4.3-4.4): the record kept for every assigned issue, the
// escalation ladder, report obligations, linkage requests, meetings and their directives. No
// gRPC, no SQL: api/ maps these to and from the protos, storage/ to and from the schema.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace rectify::supervision {

// The issue registry's states, as its events name them (values as in the registry's proto).
enum class IssueState {
  kUnspecified = 0,
  kRegistered = 1,
  kAssigned = 2,
  kRectifying = 3,
  kAcceptanceRequested = 4,
  kLocallyAccepted = 5,
  kPreExamined = 6,
  kJointReviewed = 7,
  kPublicNotice = 8,
  kClosed = 9,
  kStageCompleted = 10,
};
inline constexpr int kMaxIssueState = 10;

// The escalation ladder (五步法), lowest first.
enum class Level { kUnspecified = 0, kWarning, kNotice, kInterview, kListed, kTransfer };
inline constexpr int kMaxLevel = 5;

enum class SupervisionLevel { kUnspecified = 0, kNormal, kKey, kListed };
enum class Light { kOff = 0, kGreen, kYellow, kRed };

enum class EscalationState { kUnspecified = 0, kOpen, kResponded, kResolved };
enum class Cause {
  kUnspecified = 0,
  kDeadlineNearBehind,
  kMonthlyReportMissed,
  kObligationMissed,
  kLinkageLate,
  kDirectiveOverdue,
  kOverdue,
  kRepeatedNotices,
  kRepeatedRejections,
  kInterviewUnanswered,
  kListedStillOverdue,
  kByHand,
};
enum class ResponseKind { kUnspecified = 0, kInterviewRecord, kCommitment, kExplanation };
inline constexpr int kMaxResponseKind = 3;
enum class TransferState { kNone = 0, kPending, kDelivered, kRefused };

// What the registry's events tell supervision about an issue.
struct IssueFacts {
  int64_t id = 0;
  std::string title;
  std::string region_code;
  // The registry's names: Issue.Source, Issue.Priority, Issue.Category ("COMPLAINT", "KEY", ...).
  std::string source;
  std::string priority;
  std::string category;
  bool complaint = false;
  bool key = false;  // priority KEY
  std::string lead_org_id;
  std::vector<std::string> responsible_org_ids;
  std::string deadline;  // YYYY-MM-DD; empty before assignment
  IssueState state = IssueState::kUnspecified;
  int progress_percent = 0;
  int rejection_count = 0;
  std::optional<absl::Time> assign_time;
};

struct SupervisionRecord {
  IssueFacts issue;
  std::optional<absl::Time> last_progress_time;
  // Months ("YYYY-MM", province time) with a progress report, the latest twelve.
  std::vector<std::string> report_months;
  SupervisionLevel level = SupervisionLevel::kNormal;
  Light light = Light::kGreen;
  // On the board: assigned and not closed.
  bool active = true;
  int notices = 0;
  std::optional<absl::Time> listed_time;
  std::vector<Level> open_levels;
  absl::Time update_time;
  int64_t version = 0;
};

// Whom an escalation is about: an issue, or a directive that concerns no issue.
std::string IssueSubject(int64_t issue_id);
std::string DirectiveSubject(int64_t directive_id);

// The names of supervision's resources (in history, events and messages).
std::string RecordResource(int64_t issue_id);
std::string EscalationResource(int64_t id);
std::string ObligationResource(int64_t id);
std::string LinkageResource(int64_t id);
std::string MeetingResource(int64_t id);
std::string DirectiveResource(int64_t id);
std::string PolicyResource(int64_t version);

struct EscalationResponse {
  ResponseKind kind = ResponseKind::kUnspecified;
  std::string text;
  std::string org_id;
  std::string actor;
  absl::Time time;
};

struct EscalationResolution {
  std::string reason;
  std::string actor;
  absl::Time time;
};

struct Escalation {
  int64_t id = 0;
  int64_t issue_id = 0;  // 0 for a directive that concerns no issue
  std::string subject;   // "issues/42" or "directives/7"
  Level level = Level::kUnspecified;
  EscalationState state = EscalationState::kOpen;
  Cause cause = Cause::kUnspecified;
  // Identifies the cause (e.g. "overdue:2023-06-30", "obligations/7"): a cause raised once at a
  // level is never raised again there, even after the escalation is resolved.
  std::string cause_key;
  std::string detail;
  std::string related;
  std::string region_code;
  std::string org_id;
  int64_t policy_version = 0;
  std::string raised_by;
  absl::Time raise_time;
  absl::Time as_of;
  std::string circular_period;  // NOTICE: "YYYY-MM"
  std::optional<EscalationResponse> response;
  std::optional<EscalationResolution> resolution;
  TransferState transfer = TransferState::kNone;
  int64_t case_id = 0;
  int transfer_attempts = 0;
  std::string transfer_error;
  int64_t version = 0;
};

enum class ObligationKind {
  kUnspecified = 0,
  kProvinceSignOff,
  kCitySignOff,
  kCountySignOff,
  kReceiptReport,
  kVerificationReport,
  kPlanReport,
  kProgressReport,
  kCompletionReport,
};
enum class ObligationState { kUnspecified = 0, kPending, kMet, kMissed };

struct Obligation {
  int64_t id = 0;
  int64_t issue_id = 0;
  ObligationKind kind = ObligationKind::kUnspecified;
  std::string owner_org_id;
  std::string region_code;
  absl::Time due_time;
  std::optional<absl::Time> met_time;
  ObligationState state = ObligationState::kPending;
  std::string met_by;
  int64_t version = 0;
};

enum class LinkageState { kUnspecified = 0, kPending, kAccepted, kDone, kDeclined };
enum class LinkageAnswer { kUnspecified = 0, kAccept, kReportDone, kDecline };

struct LinkageRequest {
  int64_t id = 0;
  int64_t issue_id = 0;
  std::string requesting_org_id;
  std::string target_org_id;
  std::string action;
  std::string due_date;
  LinkageState state = LinkageState::kPending;
  std::string response;
  std::optional<absl::Time> respond_time;
  absl::Time create_time;
  std::string region_code;
  int64_t version = 0;
};

enum class MeetingKind { kUnspecified = 0, kLeadingGroup, kSpecialDeployment, kOnSitePromotion };
inline constexpr int kMaxMeetingKind = 3;
enum class DirectiveState { kUnspecified = 0, kOpen, kDone };

struct Directive {
  int64_t id = 0;
  int64_t meeting_id = 0;
  std::string text;
  std::string owner_org_id;
  std::string due_date;
  int64_t issue_id = 0;
  DirectiveState state = DirectiveState::kOpen;
  std::string completion_note;
  std::optional<absl::Time> complete_time;
  int64_t version = 0;
};

struct Meeting {
  int64_t id = 0;
  MeetingKind kind = MeetingKind::kUnspecified;
  std::string title;
  std::string date;
  std::string chair;
  std::vector<std::string> attendee_org_ids;
  std::vector<Directive> directives;
  absl::Time create_time;
};

// Open or answered, not yet resolved: it holds its level.
bool IsOpen(EscalationState state);

const char* LevelName(Level level);
const char* CauseName(Cause cause);
const char* IssueStateName(IssueState state);

}  // namespace rectify::supervision
