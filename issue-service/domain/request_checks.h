// What every desk of the issue registry checks the same way (beyond common/field_checks.h): the
// measures and targets of a plan, the mutation a call makes, and reading an issue the caller
// may see.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/field_checks.h"
#include "common/page_token.h"
#include "common/status.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxOrgs = 20;
inline constexpr size_t kMaxMeasures = 100;
inline constexpr size_t kMaxTargets = 50;

void CheckTargets(Violations& v, const std::vector<Target>& targets);
// Gives new measures stable ids ("m1", "m2" ...) and checks the list.
void NormalizeMeasures(Violations& v, const std::string& field, std::vector<Measure>& measures);

// Departments and governments rectify; the other roles never act on an issue's plan.
bool IsRectifyingRole(Role role);

// The mutation `call` makes as `operation`; a repeat of it is answered only to a caller who may
// still see the issue.
IssueMutation MutationFor(const CallContext& call, const char* operation);

// An issue the caller may see: scope is checked before existence is revealed.
absl::StatusOr<Issue> ReadVisibleIssue(IssueStore& store, const CallContext& call, int64_t id);

}  // namespace rectify::issues
