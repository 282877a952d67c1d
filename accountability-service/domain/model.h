// The accountability docket's domain: plain values, no gRPC, no SQL. Enum values match the
// protos (rectify/v1/accountability.proto).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace rectify::accountability {

enum class CaseState { kUnspecified = 0, kOpen, kInvestigating, kDecided, kClosed, kDismissed };
inline constexpr int kMaxCaseState = 5;
enum class CaseSource { kUnspecified = 0, kTransfer, kLookBack, kInspection, kComplaint, kOther };
inline constexpr int kMaxCaseSource = 5;
enum class FailureType {
  kUnspecified = 0,
  kIncomplete,
  kInadequate,
  kLowStandard,
  kPerfunctory,
  kFalse,
  kSuperficial,
};
inline constexpr int kMaxFailureType = 6;
enum class Sanction { kUnspecified = 0 };  // 1..11 as in the proto
inline constexpr int kMaxSanction = 11;
enum class SubjectKind { kUnspecified = 0, kOrg, kOfficial };
inline constexpr int kMaxSubjectKind = 2;
enum class DeliveryState { kUnspecified = 0, kPending, kDelivered, kSkipped };
inline constexpr int kMaxDeliveryState = 3;

struct Subject {
  SubjectKind kind = SubjectKind::kUnspecified;
  std::string org_id;
  std::string name;  // personal: discipline and the office only
  std::string post;  // personal: discipline and the office only
  int sanction = 0;
};

struct Finding {
  std::string facts;
  std::vector<FailureType> confirmed;
  std::vector<std::string> evidence_refs;
  std::string recorded_by;
  absl::Time time;
};

struct ReopenDelivery {
  int64_t issue_id = 0;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::string last_error;
  absl::Time next_attempt = absl::InfinitePast();
};

struct Case {
  int64_t id = 0;
  CaseState state = CaseState::kOpen;
  CaseSource source = CaseSource::kUnspecified;
  std::vector<int64_t> issue_ids;
  std::vector<FailureType> failure_types;
  std::vector<Subject> subjects;
  std::string summary;
  std::string transfer_id;
  std::string region_code;
  std::optional<Finding> finding;
  std::string decided_by;
  std::string decision_date;
  std::string dismissal_reason;
  std::vector<ReopenDelivery> reopens;
  std::string opened_by;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 0;
};

std::string CaseResource(int64_t id);
const char* CaseStateName(CaseState s);
// False, superficial and perfunctory rectification reopen the issues a case links.
bool ReopensIssues(FailureType t);

}  // namespace rectify::accountability
