#include "tests/fakes/in_memory_case_store.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify::accountability::fakes {
namespace {

bool Matches(const CaseQuery& q, const CaseScope& scope, const Case& c) {
  auto names = [&](const std::string& org) {
    return std::any_of(c.subjects.begin(), c.subjects.end(),
                       [&](const Subject& s) { return s.org_id == org; });
  };
  if (!scope.everything && !names(scope.org)) return false;
  if (q.state && c.state != *q.state) return false;
  if (q.region_prefix && !absl::StartsWith(c.region_code, *q.region_prefix)) return false;
  if (q.failure_type && std::find(c.failure_types.begin(), c.failure_types.end(),
                                  *q.failure_type) == c.failure_types.end()) {
    return false;
  }
  if (q.subject_org && !names(*q.subject_org)) return false;
  if (q.source && c.source != *q.source) return false;
  if (q.issue_id &&
      std::find(c.issue_ids.begin(), c.issue_ids.end(), *q.issue_id) == c.issue_ids.end()) {
    return false;
  }
  return q.opened.empty();  // date bounds are the MySQL store's (and its tests')
}

}  // namespace

absl::StatusOr<Case> InMemoryCaseStore::OpenCase(const Mutation& m, Case c) {
  if (!c.transfer_id.empty()) {
    for (const auto& [id, existing] : cases) {
      if (existing.transfer_id == c.transfer_id) return existing;
    }
  }
  std::tuple<std::string, std::string, std::string> key{m.operation, PrincipalKey(m.actor),
                                                        m.request_id};
  if (!m.request_id.empty()) {
    auto it = answers_.find(key);
    if (it != answers_.end()) {
      if (it->second.first != m.fingerprint) {
        return InvalidField("request_id", "was already used for a different request");
      }
      return it->second.second;
    }
  }
  c.id = cases.empty() ? 1 : cases.rbegin()->first + 1;
  cases[c.id] = c;
  events.push_back("case.opened");
  if (!m.request_id.empty()) answers_[key] = {m.fingerprint, c};
  return c;
}

absl::StatusOr<Case> InMemoryCaseStore::GetCase(int64_t id, absl::Time) {
  auto it = cases.find(id);
  if (it == cases.end()) return NotFoundError(absl::StrCat("cases/", id));
  return it->second;
}

absl::StatusOr<std::vector<Case>> InMemoryCaseStore::ListCases(const CaseQuery& q,
                                                               const CaseScope& scope,
                                                               int64_t after_id, int limit,
                                                               absl::Time) {
  std::vector<Case> out;
  for (auto it = cases.upper_bound(after_id);
       it != cases.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (Matches(q, scope, it->second)) out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<Case> InMemoryCaseStore::MutateCase(
    const Mutation& m, int64_t id, const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) {
  auto it = cases.find(id);
  if (it == cases.end()) return NotFoundError(absl::StrCat("cases/", id));
  Case c = it->second;
  ASSIGN_OR_RETURN(CaseChange change, rule(c));
  if (change.event_type.empty()) return it->second;
  c.version = it->second.version + 1;
  c.update_time = m.now;
  it->second = c;
  events.push_back(change.event_type);
  return c;
}

absl::StatusOr<std::vector<PendingReopen>> InMemoryCaseStore::DueReopens(absl::Time now, int limit,
                                                                         absl::Time) {
  std::vector<PendingReopen> out;
  for (const auto& [id, c] : cases) {
    for (const auto& r : c.reopens) {
      if (r.state == DeliveryState::kPending && r.next_attempt <= now &&
          static_cast<int>(out.size()) < limit) {
        out.push_back({id, r.issue_id});
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<Case>> InMemoryCaseStore::CasesForStats(const StatsFilter& f,
                                                                   absl::Time) {
  std::vector<Case> out;
  for (const auto& [id, c] : cases) {
    if (absl::StartsWith(c.region_code, f.region_prefix)) out.push_back(c);
  }
  return out;
}

absl::StatusOr<IssueRef> InMemoryIssueDirectory::Lookup(int64_t issue_id, absl::Time) {
  if (unavailable) return absl::UnavailableError("the issue registry cannot be reached");
  auto it = regions.find(issue_id);
  if (it == regions.end()) return NotFoundError(absl::StrCat("issues/", issue_id));
  return IssueRef{issue_id, it->second};
}

}  // namespace rectify::accountability::fakes
