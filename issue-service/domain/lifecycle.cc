#include "issue-service/domain/lifecycle.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status.h"

namespace rectify::issues {
namespace {

bool AllowedFrom(IssueState state, IssueAction action) {
  switch (action) {
    case IssueAction::kUpdate:
      return state == IssueState::kRegistered || state == IssueState::kAssigned ||
             state == IssueState::kRectifying;
    case IssueAction::kAssign:
      // Re-assignment before the lead org has signed is allowed (a wrong addressee).
      return state == IssueState::kRegistered || state == IssueState::kAssigned;
    case IssueAction::kAcknowledge:
      return state == IssueState::kAssigned;
    case IssueAction::kReportProgress:
      return state == IssueState::kRectifying;
  }
  return false;
}

}  // namespace

const char* StateName(IssueState state) {
  switch (state) {
    case IssueState::kUnspecified:
      return "STATE_UNSPECIFIED";
    case IssueState::kRegistered:
      return "REGISTERED";
    case IssueState::kAssigned:
      return "ASSIGNED";
    case IssueState::kRectifying:
      return "RECTIFYING";
    case IssueState::kAcceptanceRequested:
      return "ACCEPTANCE_REQUESTED";
    case IssueState::kLocallyAccepted:
      return "LOCALLY_ACCEPTED";
    case IssueState::kPreExamined:
      return "PRE_EXAMINED";
    case IssueState::kJointReviewed:
      return "JOINT_REVIEWED";
    case IssueState::kPublicNotice:
      return "PUBLIC_NOTICE";
    case IssueState::kClosed:
      return "CLOSED";
    case IssueState::kStageCompleted:
      return "STAGE_COMPLETED";
  }
  return "STATE_UNSPECIFIED";
}

std::string IssueResource(int64_t id) { return absl::StrCat("issues/", id); }

namespace {
constexpr char kIssueNotFound[] = "ISSUE_NOT_FOUND";
}  // namespace

absl::Status IssueNotFound(int64_t id) {
  return MakeError(absl::StatusCode::kNotFound, kIssueNotFound,
                   absl::StrCat(IssueResource(id), " not found"));
}

bool IsIssueNotFound(const absl::Status& status) {
  return absl::IsNotFound(status) && ErrorReason(status) == kIssueNotFound;
}

const char* ActionName(IssueAction action) {
  switch (action) {
    case IssueAction::kUpdate:
      return "update";
    case IssueAction::kAssign:
      return "assign";
    case IssueAction::kAcknowledge:
      return "acknowledge the assignment of";
    case IssueAction::kReportProgress:
      return "report progress on";
  }
  return "change";
}

absl::Status CheckTransition(IssueState state, IssueAction action) {
  if (AllowedFrom(state, action)) return absl::OkStatus();
  return FailedPreconditionError(
      "INVALID_STATE",
      absl::StrCat("cannot ", ActionName(action), " an issue in state ", StateName(state)));
}

IssueState NextState(IssueState state, IssueAction action) {
  switch (action) {
    case IssueAction::kAssign:
      return IssueState::kAssigned;
    case IssueAction::kAcknowledge:
      return IssueState::kRectifying;
    case IssueAction::kUpdate:
    case IssueAction::kReportProgress:
      return state;
  }
  return state;
}

const std::vector<IssueState>& SettledStates() {
  static const auto* states = new std::vector<IssueState>{
      IssueState::kPublicNotice, IssueState::kClosed, IssueState::kStageCompleted};
  return *states;
}

bool IsOverdue(const Issue& issue, absl::Time now) {
  if (issue.deadline.empty() || IsSettled(issue.state)) return false;
  auto deadline = ParseDate(issue.deadline);
  return deadline && *deadline < ProvinceDay(now);
}

bool IsSettled(IssueState state) {
  const auto& settled = SettledStates();
  return std::find(settled.begin(), settled.end(), state) != settled.end();
}

bool AllMeasuresDone(const Issue& issue) {
  return std::all_of(issue.measures.begin(), issue.measures.end(),
                     [](const Measure& m) { return m.done; });
}

const std::vector<IssueState>& PublicStates() {
  static const auto* states =
      new std::vector<IssueState>{IssueState::kPublicNotice, IssueState::kClosed};
  return *states;
}

bool IsPublic(IssueState state) {
  const auto& open = PublicStates();
  return std::find(open.begin(), open.end(), state) != open.end();
}

}  // namespace rectify::issues
