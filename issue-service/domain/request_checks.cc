#include "issue-service/domain/request_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/text.h"
#include "issue-service/domain/access.h"

namespace rectify::issues {

void CheckTargets(Violations& v, const std::vector<Target>& targets) {
  if (targets.size() > kMaxTargets) {
    v.Add("issue.targets", absl::StrCat("at most ", kMaxTargets, " targets"));
  }
  for (size_t i = 0; i < targets.size() && i < kMaxTargets; ++i) {
    std::string f = absl::StrCat("issue.targets[", i, "]");
    const auto& t = targets[i];
    CheckText(v, f + ".metric", t.metric, 100, true);
    CheckText(v, f + ".unit", t.unit, 32, false);
    if (!std::isfinite(t.baseline)) v.Add(f + ".baseline", "must be a finite number");
    if (!std::isfinite(t.target)) v.Add(f + ".target", "must be a finite number");
    if (t.actual && !std::isfinite(*t.actual)) v.Add(f + ".actual", "must be a finite number");
  }
}

void NormalizeMeasures(Violations& v, const std::string& field, std::vector<Measure>& measures) {
  if (measures.size() > kMaxMeasures) {
    v.Add(field, absl::StrCat("at most ", kMaxMeasures, " measures"));
    return;
  }
  std::set<std::string> ids;
  int next = 1;
  for (const auto& m : measures) {
    if (m.id.size() > 1 && m.id[0] == 'm') {
      int n = std::atoi(m.id.c_str() + 1);
      next = std::max(next, n + 1);
    }
  }
  for (size_t i = 0; i < measures.size(); ++i) {
    auto& m = measures[i];
    std::string f = absl::StrCat(field, "[", i, "]");
    if (m.id.empty()) m.id = absl::StrCat("m", next++);
    if (m.id.size() > 32) v.Add(f + ".id", "must be at most 32 characters");
    if (!ids.insert(m.id).second) v.Add(f + ".id", "duplicates another measure's id");
    CheckText(v, f + ".description", m.description, 1000, true);
    CheckDate(v, f + ".due_date", m.due_date, false);
    CheckDate(v, f + ".done_date", m.done_date, false);
  }
}

bool IsRectifyingRole(Role role) {
  return role == Role::kDepartment || role == Role::kCity || role == Role::kCounty;
}

IssueMutation MutationFor(const CallContext& call, const char* operation) {
  IssueMutation m{MutationOf(call, operation)};
  m.may_replay = [p = call.principal](const Issue& issue) {
    return AccessPolicy::CheckRead(p, issue);
  };
  return m;
}

absl::StatusOr<Issue> ReadVisibleIssue(IssueStore& store, const CallContext& call, int64_t id) {
  RETURN_IF_ERROR(PositiveId("id", id));
  auto issue = store.GetIssue(id, call.deadline);
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, issue.status()));
  RETURN_IF_ERROR(issue.status());
  RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, *issue));
  return issue;
}

}  // namespace rectify::issues
