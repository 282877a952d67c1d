#include "supervision-service/domain/model.h"

#include "absl/strings/str_cat.h"
#include "supervision-service/domain/names.h"

namespace rectify::supervision {

std::string IssueSubject(int64_t issue_id) { return absl::StrCat("issues/", issue_id); }
std::string DirectiveSubject(int64_t directive_id) {
  return absl::StrCat("directives/", directive_id);
}

std::string RecordResource(int64_t issue_id) {
  return absl::StrCat("supervision/records/", issue_id);
}
std::string EscalationResource(int64_t id) { return absl::StrCat("supervision/escalations/", id); }
std::string ObligationResource(int64_t id) { return absl::StrCat("supervision/obligations/", id); }
std::string LinkageResource(int64_t id) { return absl::StrCat("supervision/linkage/", id); }
std::string MeetingResource(int64_t id) { return absl::StrCat("supervision/meetings/", id); }
std::string DirectiveResource(int64_t id) { return absl::StrCat("supervision/directives/", id); }
std::string PolicyResource(int64_t version) {
  return absl::StrCat("supervision/policies/", version);
}

const NameTable& IssueStateNames() {
  static const NameTable names = {
      "STATE_UNSPECIFIED",    "REGISTERED",       "ASSIGNED",       "RECTIFYING",
      "ACCEPTANCE_REQUESTED", "LOCALLY_ACCEPTED", "PRE_EXAMINED",   "JOINT_REVIEWED",
      "PUBLIC_NOTICE",        "CLOSED",           "STAGE_COMPLETED"};
  return names;
}
const NameTable& LevelNames() {
  static const NameTable names = {"LEVEL_UNSPECIFIED", "WARNING", "NOTICE",
                                  "INTERVIEW",         "LISTED",  "TRANSFER"};
  return names;
}
const NameTable& SupervisionLevelNames() {
  static const NameTable names = {"LEVEL_UNSPECIFIED", "NORMAL", "KEY", "LISTED"};
  return names;
}
const NameTable& LightNames() {
  static const NameTable names = {"LIGHT_UNSPECIFIED", "GREEN", "YELLOW", "RED"};
  return names;
}
const NameTable& EscalationStateNames() {
  static const NameTable names = {"STATE_UNSPECIFIED", "OPEN", "RESPONDED", "RESOLVED"};
  return names;
}
const NameTable& CauseNames() {
  static const NameTable names = {"CAUSE_UNSPECIFIED",
                                  "DEADLINE_NEAR_BEHIND",
                                  "MONTHLY_REPORT_MISSED",
                                  "OBLIGATION_MISSED",
                                  "LINKAGE_LATE",
                                  "DIRECTIVE_OVERDUE",
                                  "OVERDUE",
                                  "REPEATED_NOTICES",
                                  "REPEATED_REJECTIONS",
                                  "INTERVIEW_UNANSWERED",
                                  "LISTED_STILL_OVERDUE",
                                  "BY_HAND"};
  return names;
}
const NameTable& ResponseKindNames() {
  static const NameTable names = {"RESPONSE_KIND_UNSPECIFIED", "INTERVIEW_RECORD", "COMMITMENT",
                                  "EXPLANATION"};
  return names;
}
const NameTable& ObligationKindNames() {
  static const NameTable names = {"KIND_UNSPECIFIED", "PROVINCE_SIGN_OFF", "CITY_SIGN_OFF",
                                  "COUNTY_SIGN_OFF",  "RECEIPT_REPORT",    "VERIFICATION_REPORT",
                                  "PLAN_REPORT",      "PROGRESS_REPORT",   "COMPLETION_REPORT"};
  return names;
}
const NameTable& ObligationStateNames() {
  static const NameTable names = {"STATE_UNSPECIFIED", "PENDING", "MET", "MISSED"};
  return names;
}
const NameTable& LinkageStateNames() {
  static const NameTable names = {"STATE_UNSPECIFIED", "PENDING", "ACCEPTED", "DONE", "DECLINED"};
  return names;
}
const NameTable& DirectiveStateNames() {
  static const NameTable names = {"STATE_UNSPECIFIED", "OPEN", "DONE"};
  return names;
}
const NameTable& MeetingKindNames() {
  static const NameTable names = {"KIND_UNSPECIFIED", "LEADING_GROUP", "SPECIAL_DEPLOYMENT",
                                  "ON_SITE_PROMOTION"};
  return names;
}

bool IsOpen(EscalationState state) {
  return state == EscalationState::kOpen || state == EscalationState::kResponded;
}

const char* LevelName(Level level) { return NameOf(LevelNames(), level); }
const char* CauseName(Cause cause) { return NameOf(CauseNames(), cause); }
const char* IssueStateName(IssueState state) { return NameOf(IssueStateNames(), state); }

}  // namespace rectify::supervision
