// Names of the domain's enumerations, as they appear in the API (the proto enum value names),
// in filters and in stored JSON.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

inline constexpr EnumName<IssueState> kStateNames[] = {
    {IssueState::kRegistered, "REGISTERED"},
    {IssueState::kAssigned, "ASSIGNED"},
    {IssueState::kRectifying, "RECTIFYING"},
    {IssueState::kAcceptanceRequested, "ACCEPTANCE_REQUESTED"},
    {IssueState::kLocallyAccepted, "LOCALLY_ACCEPTED"},
    {IssueState::kPreExamined, "PRE_EXAMINED"},
    {IssueState::kJointReviewed, "JOINT_REVIEWED"},
    {IssueState::kPublicNotice, "PUBLIC_NOTICE"},
    {IssueState::kClosed, "CLOSED"},
    {IssueState::kStageCompleted, "STAGE_COMPLETED"},
};
inline constexpr EnumName<IssueSource> kSourceNames[] = {
    {IssueSource::kFeedback, "FEEDBACK"},
    {IssueSource::kComplaint, "COMPLAINT"},
    {IssueSource::kProvincialFinding, "PROVINCIAL_FINDING"},
    {IssueSource::kLookBackFinding, "LOOK_BACK_FINDING"},
};
inline constexpr EnumName<Category> kCategoryNames[] = {
    {Category::kWater, "WATER"},
    {Category::kAir, "AIR"},
    {Category::kSoil, "SOIL"},
    {Category::kSolidWaste, "SOLID_WASTE"},
    {Category::kEcology, "ECOLOGY"},
    {Category::kNatureReserve, "NATURE_RESERVE"},
    {Category::kAgriculture, "AGRICULTURE"},
    {Category::kIndustry, "INDUSTRY"},
    {Category::kOther, "OTHER"},
};
inline constexpr EnumName<RectificationClass> kClassNames[] = {
    {RectificationClass::kImmediate, "IMMEDIATE"},
    {RectificationClass::kTimeLimited, "TIME_LIMITED"},
    {RectificationClass::kLongTerm, "LONG_TERM"},
};
inline constexpr EnumName<Priority> kPriorityNames[] = {
    {Priority::kNormal, "NORMAL"},
    {Priority::kKey, "KEY"},
};
inline constexpr EnumName<ComplaintFinding> kFindingNames[] = {
    {ComplaintFinding::kSubstantiated, "SUBSTANTIATED"},
    {ComplaintFinding::kPartly, "PARTLY_SUBSTANTIATED"},
    {ComplaintFinding::kUnsubstantiated, "UNSUBSTANTIATED"},
};
inline constexpr EnumName<InspectionKind> kInspectionKindNames[] = {
    {InspectionKind::kCentral, "CENTRAL"},
    {InspectionKind::kCentralLookBack, "CENTRAL_LOOK_BACK"},
    {InspectionKind::kProvincial, "PROVINCIAL"},
    {InspectionKind::kSpecial, "SPECIAL"},
};
inline constexpr EnumName<OrgKind> kOrgKindNames[] = {
    {OrgKind::kOffice, "OFFICE"},
    {OrgKind::kDepartment, "DEPARTMENT"},
    {OrgKind::kGovernment, "GOVERNMENT"},
    {OrgKind::kDiscipline, "DISCIPLINE"},
    {OrgKind::kInspectionTeam, "INSPECTION_TEAM"},
};

inline constexpr EnumName<Decision> kDecisionNames[] = {
    {Decision::kApprove, "APPROVE"},
    {Decision::kReject, "REJECT"},
};
inline constexpr EnumName<ReopenReason> kReopenReasonNames[] = {
    {ReopenReason::kLookBackFinding, "LOOK_BACK_FINDING"},
    {ReopenReason::kRebound, "REBOUND"},
    {ReopenReason::kUpheldObjection, "UPHELD_OBJECTION"},
    {ReopenReason::kAccountabilityFinding, "ACCOUNTABILITY_FINDING"},
};
inline constexpr EnumName<ObjectionState> kObjectionStateNames[] = {
    {ObjectionState::kPending, "PENDING"},
    {ObjectionState::kUpheld, "UPHELD"},
    {ObjectionState::kDismissed, "DISMISSED"},
};
inline constexpr EnumName<ExtensionState> kExtensionStateNames[] = {
    {ExtensionState::kPending, "PENDING"},
    {ExtensionState::kApproved, "APPROVED"},
    {ExtensionState::kRefused, "REFUSED"},
};
inline constexpr EnumName<EvidenceKind> kEvidenceKindNames[] = {
    {EvidenceKind::kPhotoBefore, "PHOTO_BEFORE"},
    {EvidenceKind::kPhotoAfter, "PHOTO_AFTER"},
    {EvidenceKind::kDocument, "DOCUMENT"},
    {EvidenceKind::kMonitoringData, "MONITORING_DATA"},
    {EvidenceKind::kObjectionEvidence, "OBJECTION_EVIDENCE"},
};

template <typename E, size_t N>
std::optional<E> ParseEnum(const EnumName<E> (&table)[N], absl::string_view name) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
const char* EnumToName(const EnumName<E> (&table)[N], E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "UNSPECIFIED";
}

}  // namespace rectify::issues
