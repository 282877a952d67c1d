#include "tests/fakes/in_memory_issue_stores.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status.h"
#include "issue-service/domain/lifecycle.h"

namespace rectify::issues::fakes {
namespace {

bool Involves(const Issue& issue, const std::string& org) {
  if (issue.lead_org_id == org || issue.acceptance_org_id == org) return true;
  auto in = [&](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), org) != ids.end();
  };
  return in(issue.responsible_org_ids) || in(issue.joint_reviewer_org_ids);
}

bool InScope(const IssueScope& scope, const Issue& issue) {
  if (scope.everything) return true;
  if (scope.public_only) return IsPublic(issue.state);
  if (!scope.region_prefix.empty() && absl::StartsWith(issue.region_code, scope.region_prefix)) {
    return true;
  }
  return !scope.involved_org.empty() && Involves(issue, scope.involved_org);
}

bool Compare(const std::string& a, Comparison op, const std::string& b) {
  switch (op) {
    case Comparison::kEq:
      return a == b;
    case Comparison::kNe:
      return a != b;
    case Comparison::kLt:
      return a < b;
    case Comparison::kLe:
      return a <= b;
    case Comparison::kGt:
      return a > b;
    case Comparison::kGe:
      return a >= b;
  }
  return false;
}

bool Matches(const IssueQuery& q, const Issue& i, const std::string& today) {
  if (q.state && ((i.state == *q.state) == q.state_negated)) return false;
  if (q.region_prefix && !absl::StartsWith(i.region_code, *q.region_prefix)) return false;
  if (q.category && i.category != *q.category) return false;
  if (q.source && i.source != *q.source) return false;
  if (q.rectification_class && i.rectification_class != *q.rectification_class) return false;
  if (q.lead_org && i.lead_org_id != *q.lead_org) return false;
  if (q.rectifying_org && i.lead_org_id != *q.rectifying_org &&
      std::find(i.responsible_org_ids.begin(), i.responsible_org_ids.end(), *q.rectifying_org) ==
          i.responsible_org_ids.end()) {
    return false;
  }
  if (q.priority && i.priority != *q.priority) return false;
  if (q.overdue) {
    bool overdue = !i.deadline.empty() && i.deadline < today && !IsSettled(i.state);
    if (overdue != *q.overdue) return false;
  }
  for (const auto& bound : q.deadline) {
    if (i.deadline.empty() || !Compare(i.deadline, bound.op, bound.date)) return false;
  }
  if (q.inspection_id && i.inspection_id != *q.inspection_id) return false;
  if (q.title_contains && !absl::StrContains(i.title, *q.title_contains)) return false;
  return true;
}

std::string SortKey(const IssueOrder& order, const Issue& i) {
  switch (order.key) {
    case IssueOrder::Key::kDeadline:
      return i.deadline;
    case IssueOrder::Key::kUpdateTime:
      return absl::FormatTime(i.update_time);
    case IssueOrder::Key::kCreateTime:
      break;
  }
  return absl::FormatTime(i.create_time);
}

}  // namespace

absl::StatusOr<Org> InMemoryReferenceStore::UpsertOrg(
    const IssueMutation&, Org org,
    const std::function<absl::Status(const std::optional<Org>&)>& rule) {
  auto it = std::find_if(orgs.begin(), orgs.end(), [&](const Org& o) { return o.id == org.id; });
  std::optional<Org> current;
  if (it != orgs.end()) current = *it;
  RETURN_IF_ERROR(rule(current));
  if (it != orgs.end()) {
    *it = org;
  } else {
    orgs.push_back(org);
  }
  return org;
}

absl::StatusOr<Inspection> InMemoryInspectionStore::CreateInspection(const IssueMutation&,
                                                                     Inspection inspection) {
  inspection.id = inspections.empty() ? 1 : inspections.rbegin()->first + 1;
  inspections[inspection.id] = inspection;
  return inspection;
}

absl::StatusOr<Inspection> InMemoryInspectionStore::GetInspection(int64_t id, absl::Time) {
  auto it = inspections.find(id);
  if (it == inspections.end()) return NotFoundError(absl::StrCat("inspection ", id));
  return it->second;
}

absl::StatusOr<std::vector<Inspection>> InMemoryInspectionStore::ListInspections(
    std::optional<InspectionKind> kind, int64_t after_id, int limit, absl::Time) {
  std::vector<Inspection> out;
  for (auto it = inspections.upper_bound(after_id);
       it != inspections.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (!kind || it->second.kind == *kind) out.push_back(it->second);
  }
  return out;
}

// ---- Issues ------------------------------------------------------------------------------------

absl::StatusOr<const InMemoryIssueStore::Answer*> InMemoryIssueStore::Replay(const IssueMutation& m,
                                                                             int64_t issue_id) {
  if (m.request_id.empty()) return nullptr;
  auto it = answers_.find({m.operation, PrincipalKey(m.actor), m.request_id});
  if (it == answers_.end()) return nullptr;
  if (it->second.fingerprint != m.fingerprint) {
    return InvalidField("request_id", "was already used for a different request");
  }
  if (m.may_replay && issue_id > 0) {
    auto issue = issues.find(issue_id);
    if (issue == issues.end()) return IssueNotFound(issue_id);
    RETURN_IF_ERROR(m.may_replay(issue->second));
  }
  return &it->second;
}

void InMemoryIssueStore::Remember(const IssueMutation& m, Answer answer) {
  ++mutations_committed;
  if (m.request_id.empty()) return;
  answer.fingerprint = m.fingerprint;
  answers_[{m.operation, PrincipalKey(m.actor), m.request_id}] = std::move(answer);
}

void InMemoryIssueStore::AppendHistory(const IssueMutation& m, const std::string& resource,
                                       const std::string& action, const std::string& payload) {
  auto& chain = history[resource];
  HistoryRecord r;
  r.resource = resource;
  r.seq = static_cast<int64_t>(chain.size()) + 1;
  r.action = action;
  r.actor = m.actor.subject;
  r.actor_org = m.actor.org;
  r.time = m.now;
  r.payload_json = payload;
  r.prev_hash = chain.empty() ? kGenesisHash : chain.back().hash;
  r.hash = ComputeHash(r);
  chain.push_back(std::move(r));
}

absl::StatusOr<Issue> InMemoryIssueStore::CreateIssue(const IssueMutation& m, Issue issue,
                                                      const std::string& event_type) {
  ASSIGN_OR_RETURN(const Answer* answer, Replay(m, 0));
  if (answer) return answer->result.issue;
  issue.id = next_id_++;
  issues[issue.id] = issue;
  AppendHistory(m, IssueResource(issue.id), event_type, nlohmann::json{{"id", issue.id}}.dump());
  Remember(
      m, Answer{"", MutationResult{issue, std::nullopt, std::nullopt}, std::nullopt, std::nullopt});
  return issue;
}

absl::StatusOr<Issue> InMemoryIssueStore::GetIssue(int64_t id, absl::Time) {
  auto it = issues.find(id);
  if (it == issues.end()) return IssueNotFound(id);
  return it->second;
}

absl::StatusOr<std::vector<ListedIssue>> InMemoryIssueStore::ListIssues(const IssueListSpec& spec,
                                                                        absl::Time) {
  std::vector<ListedIssue> rows;
  for (const auto& [id, issue] : issues) {
    if (InScope(spec.scope, issue) && Matches(spec.query, issue, spec.today)) {
      rows.push_back({issue, SortKey(spec.order, issue)});
    }
  }
  auto before = [&](const ListedIssue& a, const std::string& key, int64_t id) {
    auto left = std::tie(a.sort_key, a.issue.id);
    auto right = std::tie(key, id);
    return spec.order.descending ? right < left : left < right;
  };
  std::sort(rows.begin(), rows.end(), [&](const ListedIssue& a, const ListedIssue& b) {
    return before(a, b.sort_key, b.issue.id);
  });
  std::vector<ListedIssue> page;
  bool from_start = spec.after_key.empty() && spec.after_id == 0;
  for (auto& row : rows) {
    if (static_cast<int>(page.size()) >= spec.limit) break;
    if (!from_start) {
      ListedIssue after{Issue{}, spec.after_key};
      after.issue.id = spec.after_id;
      if (!before(after, row.sort_key, row.issue.id)) continue;
    }
    page.push_back(std::move(row));
  }
  return page;
}

absl::StatusOr<MutationResult> InMemoryIssueStore::Apply(const IssueMutation& m, int64_t id,
                                                         const ContextNeeds& needs,
                                                         const IssueRule& rule) {
  auto found = issues.find(id);
  if (found == issues.end()) return IssueNotFound(id);
  Issue issue = found->second;
  IssueContext context;
  for (const auto& [eid, e] : evidence_) {
    if (needs.evidence && e.issue_id == id) context.evidence.push_back(e);
  }
  for (const auto& [oid, o] : objections_) {
    if (needs.objections && o.issue_id == id) context.objections.push_back(o);
    if (!needs.objections_filed_by.empty() && o.filed_by == needs.objections_filed_by &&
        o.create_time >= needs.since) {
      ++context.objections_filed_recently;
    }
  }
  for (const auto& [xid, x] : extensions_) {
    if (needs.extensions && x.issue_id == id) context.extensions.push_back(x);
  }
  ASSIGN_OR_RETURN(Change change, rule(issue, context));
  MutationResult result;
  if (change.event_type.empty()) {
    result.issue = found->second;
    return result;
  }
  issue.id = id;
  issue.version = found->second.version + 1;
  issue.update_time = m.now;
  issue.create_time = found->second.create_time;
  for (int64_t e : change.seal_evidence) {
    auto it = evidence_.find(e);
    if (it != evidence_.end() && it->second.issue_id == id) it->second.sealed = true;
  }
  nlohmann::json payload = {{"id", id}, {"state", static_cast<int>(issue.state)}};
  if (change.objection) {
    if (change.objection->id == 0) change.objection->id = next_id_++;
    objections_[change.objection->id] = *change.objection;
    payload["objection"] = change.objection->id;
    result.objection = change.objection;
  }
  if (change.extension) {
    if (change.extension->id == 0) change.extension->id = next_id_++;
    extensions_[change.extension->id] = *change.extension;
    payload["extension"] = change.extension->id;
    result.extension = change.extension;
  }
  if (!change.note.empty()) payload["note"] = change.note;
  AppendHistory(m, IssueResource(id), change.event_type, payload.dump());
  found->second = issue;
  result.issue = std::move(issue);
  return result;
}

absl::StatusOr<MutationResult> InMemoryIssueStore::Mutate(const IssueMutation& m, int64_t id,
                                                          ContextNeeds needs,
                                                          const IssueRule& rule) {
  ASSIGN_OR_RETURN(const Answer* answer, Replay(m, id));
  if (answer) return answer->result;
  ASSIGN_OR_RETURN(MutationResult result, Apply(m, id, needs, rule));
  Remember(m, Answer{"", result, std::nullopt, std::nullopt});
  return result;
}

absl::StatusOr<ProgressReport> InMemoryIssueStore::AddProgressReport(
    const IssueMutation& m, int64_t issue_id, ProgressReport report,
    const std::function<absl::StatusOr<Change>(Issue&, ProgressReport&)>& rule) {
  ASSIGN_OR_RETURN(const Answer* answer, Replay(m, issue_id));
  if (answer) return *answer->report;
  ProgressReport saved = report;
  ASSIGN_OR_RETURN(MutationResult result,
                   Apply(m, issue_id, {},
                         [&](Issue& issue, const IssueContext&) { return rule(issue, saved); }));
  saved.id = next_id_++;
  reports_[issue_id].push_back(saved);
  Remember(m, Answer{"", result, saved, std::nullopt});
  return saved;
}

absl::StatusOr<std::vector<ProgressReport>> InMemoryIssueStore::ListProgressReports(
    int64_t issue_id, int64_t after_id, int limit, absl::Time) {
  std::vector<ProgressReport> out;
  for (const auto& r : reports_[issue_id]) {
    if (r.id > after_id && static_cast<int>(out.size()) < limit) out.push_back(r);
  }
  return out;
}

absl::StatusOr<std::vector<Objection>> InMemoryIssueStore::ListObjections(int64_t issue_id,
                                                                          absl::Time) {
  std::vector<Objection> out;
  for (const auto& [id, o] : objections_) {
    if (o.issue_id == issue_id) out.push_back(o);
  }
  return out;
}

absl::StatusOr<std::vector<Extension>> InMemoryIssueStore::ListExtensions(int64_t issue_id,
                                                                          absl::Time) {
  std::vector<Extension> out;
  for (const auto& [id, x] : extensions_) {
    if (x.issue_id == issue_id) out.push_back(x);
  }
  return out;
}

// ---- The dossier -------------------------------------------------------------------------------

absl::StatusOr<Evidence> InMemoryIssueStore::AddEvidence(
    const IssueMutation& m, Evidence evidence, const std::string& content,
    const std::function<absl::Status(const Issue&)>& rule) {
  ASSIGN_OR_RETURN(const Answer* answer, Replay(m, evidence.issue_id));
  if (answer) return *answer->evidence;
  auto found = issues.find(evidence.issue_id);
  if (found == issues.end()) return IssueNotFound(evidence.issue_id);
  RETURN_IF_ERROR(rule(found->second));
  evidence.id = next_id_++;
  evidence_[evidence.id] = evidence;
  contents[evidence.id] = content;
  found->second.version += 1;
  found->second.update_time = m.now;
  nlohmann::json payload = {{"evidence", {{"id", evidence.id}, {"sha256", evidence.sha256}}}};
  AppendHistory(m, IssueResource(evidence.issue_id), "issue.evidence_added", payload.dump());
  Remember(m, Answer{"", MutationResult{found->second, std::nullopt, std::nullopt}, std::nullopt,
                     evidence});
  return evidence;
}

absl::StatusOr<std::vector<Evidence>> InMemoryIssueStore::ListEvidence(int64_t issue_id,
                                                                       absl::Time) {
  std::vector<Evidence> out;
  for (const auto& [id, e] : evidence_) {
    if (e.issue_id == issue_id) out.push_back(e);
  }
  return out;
}

absl::StatusOr<Evidence> InMemoryIssueStore::GetEvidence(int64_t issue_id, int64_t evidence_id,
                                                         absl::Time) {
  auto it = evidence_.find(evidence_id);
  if (it == evidence_.end() || it->second.issue_id != issue_id) {
    return NotFoundError(absl::StrCat("evidence ", evidence_id));
  }
  return it->second;
}

absl::StatusOr<std::optional<std::string>> InMemoryIssueStore::ReadEvidenceChunk(
    int64_t evidence_id, int seq, absl::Time) {
  auto it = contents.find(evidence_id);
  if (it == contents.end() || seq > 0) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status InMemoryIssueStore::ReadEvidence(int64_t evidence_id, absl::Time,
                                              const std::function<bool(const std::string&)>& sink) {
  auto it = contents.find(evidence_id);
  if (it != contents.end()) sink(it->second);
  return absl::OkStatus();
}

// ---- History -----------------------------------------------------------------------------------

absl::StatusOr<std::vector<HistoryRecord>> InMemoryIssueStore::LoadHistory(
    const std::string& resource, absl::Time) {
  return history[resource];
}

absl::StatusOr<std::vector<HistoryRecord>> InMemoryIssueStore::LoadHistoryPage(
    const std::string& resource, bool newest_first, int64_t from_seq, int limit, absl::Time) {
  std::vector<HistoryRecord> chain = history[resource];
  if (newest_first) std::reverse(chain.begin(), chain.end());
  std::vector<HistoryRecord> out;
  for (const auto& r : chain) {
    bool after = newest_first ? (from_seq == 0 || r.seq < from_seq) : r.seq > from_seq;
    if (after && static_cast<int>(out.size()) < limit) out.push_back(r);
  }
  return out;
}

}  // namespace rectify::issues::fakes
