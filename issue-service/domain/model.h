// The issue registry's domain: plain values with no gRPC or SQL in them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/region.h"

namespace rectify::issues {

using ::rectify::RegionLevel;  // common/region.h

struct Region {
  std::string code;
  std::string name;
  RegionLevel level = RegionLevel::kUnspecified;
  std::string parent_code;
};

enum class OrgKind {
  kUnspecified = 0,
  kOffice = 1,
  kDepartment = 2,
  kGovernment = 3,
  kDiscipline = 4,
  kInspectionTeam = 5,
};
inline constexpr int kMaxOrgKind = 5;

struct Org {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  std::string region_code;
  int64_t version = 0;
};

enum class InspectionKind {
  kUnspecified = 0,
  kCentral = 1,
  kCentralLookBack = 2,
  kProvincial = 3,
  kSpecial = 4,
};
inline constexpr int kMaxInspectionKind = 4;

struct Inspection {
  int64_t id = 0;
  InspectionKind kind = InspectionKind::kUnspecified;
  std::string title;
  std::string team;
  std::string region_code;
  std::string stationed_from;
  std::string stationed_to;
  std::string feedback_date;
  std::string plan_due_date;
  absl::Time create_time;
  int64_t version = 0;
};

// Values match the proto enums, so the API layer can convert by number after a range check.
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

enum class IssueSource {
  kUnspecified = 0,
  kFeedback = 1,
  kComplaint = 2,
  kProvincialFinding = 3,
  kLookBackFinding = 4,
};
inline constexpr int kMaxIssueSource = 4;

enum class Category {
  kUnspecified = 0,
  kWater,
  kAir,
  kSoil,
  kSolidWaste,
  kEcology,
  kNatureReserve,
  kAgriculture,
  kIndustry,
  kOther,
};
inline constexpr int kMaxCategory = 9;

enum class RectificationClass { kUnspecified = 0, kImmediate, kTimeLimited, kLongTerm };
inline constexpr int kMaxRectificationClass = 3;

enum class Priority { kUnspecified = 0, kNormal, kKey };
inline constexpr int kMaxPriority = 2;

enum class ComplaintFinding { kUnspecified = 0, kSubstantiated, kPartly, kUnsubstantiated };
inline constexpr int kMaxComplaintFinding = 3;

struct Target {
  std::string metric;
  std::string unit;
  double baseline = 0;
  double target = 0;
  std::optional<double> actual;
  bool operator==(const Target&) const = default;
};

struct Measure {
  std::string id;
  std::string description;
  std::string due_date;
  bool done = false;
  std::string done_date;
  bool operator==(const Measure&) const = default;
};

struct Complaint {
  std::string batch;
  std::string complainant_contact;  // personal data: the office only
  ComplaintFinding finding = ComplaintFinding::kUnspecified;
  std::string verification_report;
  std::string follow_up_result;
  bool operator==(const Complaint&) const = default;
};

enum class AcceptanceStep { kUnspecified = 0, kOnSite = 1, kPreExamination = 2, kJointReview = 3 };
enum class Decision { kUnspecified = 0, kApprove = 1, kReject = 2 };

struct Signature {
  std::string org;
  std::string actor;
  absl::Time time;
  Decision decision = Decision::kUnspecified;
  std::string reason;
  bool operator==(const Signature&) const = default;
};

// The current acceptance application (销号申请) and who signed which step.
struct Acceptance {
  int round = 0;
  bool stage = false;  // a long-term issue's stage goal
  std::string self_check;
  std::vector<int64_t> evidence_ids;
  Signature application;
  std::optional<Signature> on_site;
  std::optional<Signature> pre_examination;
  std::vector<Signature> joint_review;
};

struct PublicNotice {
  std::string start_date;
  std::string end_date;
  int working_days = 0;
};

enum class ReopenReason {
  kUnspecified = 0,
  kLookBackFinding = 1,
  kRebound = 2,
  kUpheldObjection = 3,
  kAccountabilityFinding = 4,
};

struct Reopening {
  ReopenReason reason = ReopenReason::kUnspecified;
  std::string explanation;
  std::string cause;
  std::string actor;
  absl::Time time;
};

struct Issue {
  int64_t id = 0;
  int64_t inspection_id = 0;
  IssueSource source = IssueSource::kUnspecified;
  std::string title;
  std::string description;
  Category category = Category::kUnspecified;
  std::string region_code;
  std::string site;
  RectificationClass rectification_class = RectificationClass::kUnspecified;
  Priority priority = Priority::kNormal;
  IssueState state = IssueState::kRegistered;

  std::string lead_org_id;
  std::vector<std::string> responsible_org_ids;
  std::string acceptance_org_id;
  std::vector<std::string> joint_reviewer_org_ids;
  std::string responsible_official;
  std::string deadline;  // empty until assigned

  std::string target_text;
  std::vector<Target> targets;
  std::vector<Measure> measures;
  std::optional<Complaint> complaint;

  int progress_percent = 0;
  int rejection_count = 0;

  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> assign_time;
  std::optional<absl::Time> acknowledge_time;
  int64_t version = 0;

  std::optional<Acceptance> acceptance;
  std::optional<PublicNotice> notice;
  std::string last_rejection_reason;
  int reopen_count = 0;
  std::optional<Reopening> last_reopening;
  std::optional<absl::Time> close_time;
  std::string imported_from;  // source document of an entry imported from the old ledger
};

enum class ObjectionState { kUnspecified = 0, kPending = 1, kUpheld = 2, kDismissed = 3 };

struct Objection {
  int64_t id = 0;
  int64_t issue_id = 0;
  std::string text;
  std::string contact;  // personal data: the office only
  std::vector<int64_t> evidence_ids;
  ObjectionState state = ObjectionState::kPending;
  std::string ruling;
  std::string filed_by;
  absl::Time create_time;
  std::optional<absl::Time> rule_time;
};

enum class ExtensionState { kUnspecified = 0, kPending = 1, kApproved = 2, kRefused = 3 };

struct Extension {
  int64_t id = 0;
  int64_t issue_id = 0;
  std::string current_deadline;
  std::string requested_deadline;
  std::string reason;
  ExtensionState state = ExtensionState::kPending;
  std::string decision_reason;
  std::string requested_by_org;
  absl::Time create_time;
  std::optional<absl::Time> decide_time;
};

enum class EvidenceKind {
  kUnspecified = 0,
  kPhotoBefore = 1,
  kPhotoAfter = 2,
  kDocument = 3,
  kMonitoringData = 4,
  kObjectionEvidence = 5,
};
inline constexpr int kMaxEvidenceKind = 5;

struct Evidence {
  int64_t id = 0;
  int64_t issue_id = 0;
  EvidenceKind kind = EvidenceKind::kUnspecified;
  std::string file_name;
  std::string media_type;
  int64_t size_bytes = 0;
  std::string sha256;
  int64_t progress_report_id = 0;
  bool sealed = false;
  std::string uploaded_by_org;
  std::string uploaded_by;
  absl::Time create_time;
  std::string description;
};

struct MeasureUpdate {
  std::string measure_id;
  bool done = false;
  std::string note;
};

struct ProgressReport {
  int64_t id = 0;
  int64_t issue_id = 0;
  int percent_done = 0;
  std::string narrative;
  std::vector<MeasureUpdate> measure_updates;
  std::string reporter_org_id;
  std::string reporter;
  absl::Time create_time;
};

const char* StateName(IssueState state);
std::string IssueResource(int64_t id);
// The one way storage says an issue does not exist: NOT_FOUND with the reason ISSUE_NOT_FOUND,
// so the domain can hide it from callers outside its scope without reading message text.
absl::Status IssueNotFound(int64_t id);
bool IsIssueNotFound(const absl::Status& status);

}  // namespace rectify::issues
