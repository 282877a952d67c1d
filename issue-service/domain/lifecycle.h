// The issue lifecycle (DESIGN.md §4.2) as a state machine:
//   REGISTERED → ASSIGNED (交办) → RECTIFYING → ACCEPTANCE_REQUESTED → ... → CLOSED (销号)
// Every action names the states it may start from; anything else is FAILED_PRECONDITION naming
// the current state.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

enum class IssueAction {
  kUpdate,
  kAssign,
  kAcknowledge,
  kReportProgress,
};

const char* ActionName(IssueAction action);

// OK when `action` may be taken in `state`.
absl::Status CheckTransition(IssueState state, IssueAction action);

// The state an action leads to (the same state for actions that do not move the issue).
IssueState NextState(IssueState state, IssueAction action);

// Closed for good or for now: no deadline runs against the issue any more.
bool IsSettled(IssueState state);
// The same, as the list of states (for queries that select by state).
const std::vector<IssueState>& SettledStates();

// Past its deadline at `now` (province time) and not settled.
bool IsOverdue(const Issue& issue, absl::Time now);

// Every measure of the issue reported done (the ledger counts such issues apart).
bool AllMeasuresDone(const Issue& issue);

// What the public may read: issues in public notice and closed ones.
bool IsPublic(IssueState state);
const std::vector<IssueState>& PublicStates();

}  // namespace rectify::issues
