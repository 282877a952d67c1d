#include "issue-service/domain/issue_ledger.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/lifecycle.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

// Who does what for an issue, as an assignment names it.
Assignment AssignmentOf(const Issue& issue) {
  Assignment a;
  a.lead_org_id = issue.lead_org_id;
  a.responsible_org_ids = issue.responsible_org_ids;
  a.acceptance_org_id = issue.acceptance_org_id;
  a.joint_reviewer_org_ids = issue.joint_reviewer_org_ids;
  a.deadline = issue.deadline;
  a.rectification_class = issue.rectification_class;
  a.responsible_official = issue.responsible_official;
  return a;
}

void ApplyAssignment(const Assignment& a, Issue& issue) {
  issue.lead_org_id = a.lead_org_id;
  issue.responsible_org_ids = a.responsible_org_ids;
  issue.acceptance_org_id = a.acceptance_org_id;
  issue.joint_reviewer_org_ids = a.joint_reviewer_org_ids;
  issue.deadline = a.deadline;
  issue.rectification_class = a.rectification_class;
  if (!a.responsible_official.empty()) issue.responsible_official = a.responsible_official;
}

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxText = 10000;
constexpr size_t kMaxShort = 200;
constexpr size_t kMaxOrgs = 20;
constexpr size_t kMaxMeasures = 100;
constexpr size_t kMaxTargets = 50;
constexpr int kPlanDueWorkingDays = 30;

void CheckText(Violations& v, const std::string& field, const std::string& value, size_t max,
               bool required) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    v.Add(field, "is required");
  } else if (CharacterCount(value) > max) {
    v.Add(field, absl::StrCat("must be at most ", max, " characters"));
  }
}

void CheckDate(Violations& v, const std::string& field, const std::string& value, bool required) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  if (!ParseDate(value)) v.Add(field, "must be a date YYYY-MM-DD");
}

template <typename E>
void CheckEnum(Violations& v, const std::string& field, E value, int max, bool required) {
  int n = static_cast<int>(value);
  if (n < 0 || n > max) {
    v.Add(field, "is not a known value");
  } else if (required && n == 0) {
    v.Add(field, "is required");
  }
}

void CheckTargets(Violations& v, const std::vector<Target>& targets) {
  if (targets.size() > kMaxTargets) v.Add("issue.targets", "at most 50 targets");
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

// Gives new measures stable ids ("m1", "m2" ...) and checks the list.
void NormalizeMeasures(Violations& v, const std::string& field, std::vector<Measure>& measures) {
  if (measures.size() > kMaxMeasures) {
    v.Add(field, "at most 100 measures");
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

// Departments and governments rectify; the other roles never act on an issue's plan.
bool IsRectifyingRole(Role role) {
  return role == Role::kDepartment || role == Role::kCity || role == Role::kCounty;
}

bool IsPlanField(const std::string& path) {
  return path == "measures" || path == "targets" || path == "target_text" ||
         path == "responsible_official";
}

}  // namespace

IssueLedger::IssueLedger(IssueStore& store, std::string secret, WorkingDayCalendar calendar)
    : IssueLedger(store, std::move(secret), std::move(calendar), Limits{}) {}

IssueLedger::IssueLedger(IssueStore& store, std::string secret, WorkingDayCalendar calendar,
                         Limits limits)
    : store_(store), tokens_(secret), calendar_(std::move(calendar)), limits_(limits) {}

absl::Status IssueLedger::Init(absl::Time deadline) {
  ASSIGN_OR_RETURN(auto regions, store_.LoadRegions(deadline));
  ASSIGN_OR_RETURN(auto orgs, store_.LoadOrgs(deadline));
  absl::MutexLock lock(&mu_);
  for (auto& r : regions) regions_[r.code] = std::move(r);
  for (auto& o : orgs) orgs_[o.id] = std::move(o);
  return absl::OkStatus();
}

std::vector<std::pair<std::string, RegionLevel>> IssueLedger::RegionCodes() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<std::string, RegionLevel>> codes;
  for (const auto& [code, region] : regions_) codes.emplace_back(code, region.level);
  return codes;
}

Mutation IssueLedger::MakeMutation(const CallContext& call, const char* operation) const {
  Mutation m{call.principal, call.now,        call.deadline,
             operation,      call.request_id, call.request_fingerprint};
  // A repeat is answered only to a caller who may still see the issue.
  m.may_replay = [p = call.principal](const Issue& issue) {
    return AccessPolicy::CheckRead(p, issue);
  };
  return m;
}

void IssueLedger::CheckRegion(Violations& v, const std::string& field,
                              const std::string& code) const {
  if (code.empty()) {
    v.Add(field, "is required");
    return;
  }
  absl::MutexLock lock(&mu_);
  if (!regions_.count(code)) v.Add(field, absl::StrCat("unknown region \"", code, "\""));
}

void IssueLedger::CheckOrg(Violations& v, const std::string& field, const std::string& id,
                           std::initializer_list<OrgKind> kinds) const {
  if (id.empty()) {
    v.Add(field, "is required");
    return;
  }
  absl::MutexLock lock(&mu_);
  auto it = orgs_.find(id);
  if (it == orgs_.end()) {
    v.Add(field, absl::StrCat("unknown org \"", id, "\""));
    return;
  }
  if (std::find(kinds.begin(), kinds.end(), it->second.kind) == kinds.end()) {
    std::vector<std::string> names;
    for (OrgKind k : kinds) names.push_back(EnumToName(kOrgKindNames, k));
    v.Add(field, absl::StrCat("org \"", id, "\" is a ", EnumToName(kOrgKindNames, it->second.kind),
                              "; expected ", absl::StrJoin(names, " or ")));
  }
}

// --- Reference data ----------------------------------------------------------------------------

absl::StatusOr<std::vector<Region>> IssueLedger::ListRegions(const CallContext& call,
                                                             const std::string& under) {
  std::vector<Region> out;
  absl::MutexLock lock(&mu_);
  if (!under.empty() && !regions_.count(under)) {
    return InvalidField("under_code", absl::StrCat("unknown region \"", under, "\""));
  }
  for (const auto& [code, r] : regions_) {
    if (under.empty() || InRegionSubtree(code, under)) out.push_back(r);
  }
  return out;
}

absl::StatusOr<std::vector<Org>> IssueLedger::ListOrgs(const CallContext& call, OrgKind kind,
                                                       const std::string& region) {
  if (static_cast<int>(kind) < 0 || static_cast<int>(kind) > 5) {
    return InvalidField("kind", "is not a known value");
  }
  std::vector<Org> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [id, o] : orgs_) {
    if (kind != OrgKind::kUnspecified && o.kind != kind) continue;
    if (!region.empty() && o.region_code != region) continue;
    out.push_back(o);
  }
  return out;
}

absl::StatusOr<Org> IssueLedger::UpsertOrg(const CallContext& call, Org org) {
  RETURN_IF_ERROR(AccessPolicy::CheckManageOrgs(call.principal));
  Violations v;
  if (org.id.empty() || org.id.size() > 64 ||
      !std::all_of(org.id.begin(), org.id.end(), [](char c) {
        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
      })) {
    v.Add("org.id", "1 to 64 characters of a-z, 0-9 and -");
  }
  CheckText(v, "org.name", org.name, 100, true);
  CheckEnum(v, "org.kind", org.kind, 5, true);
  CheckRegion(v, "org.region_code", org.region_code);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(Org saved,
                   store_.UpsertOrg(MakeMutation(call, "UpsertOrg"), org,
                                    [](const std::optional<Org>&) { return absl::OkStatus(); }));
  absl::MutexLock lock(&mu_);
  orgs_[saved.id] = saved;
  return saved;
}

// --- Inspections -------------------------------------------------------------------------------

absl::StatusOr<Inspection> IssueLedger::CreateInspection(const CallContext& call,
                                                         Inspection inspection) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckEnum(v, "inspection.kind", inspection.kind, 4, true);
  CheckText(v, "inspection.title", inspection.title, kMaxTitle, true);
  CheckText(v, "inspection.team", inspection.team, kMaxShort, false);
  CheckRegion(v, "inspection.region_code", inspection.region_code);
  CheckDate(v, "inspection.stationed_from", inspection.stationed_from, false);
  CheckDate(v, "inspection.stationed_to", inspection.stationed_to, false);
  CheckDate(v, "inspection.feedback_date", inspection.feedback_date, true);
  auto from = ParseDate(inspection.stationed_from);
  auto to = ParseDate(inspection.stationed_to);
  if (from && to && *to < *from) v.Add("inspection.stationed_to", "is before stationed_from");
  RETURN_IF_ERROR(v.ToStatus());
  inspection.plan_due_date = FormatDate(
      calendar_.AddWorkingDays(*ParseDate(inspection.feedback_date), kPlanDueWorkingDays));
  inspection.create_time = call.now;
  return store_.CreateInspection(MakeMutation(call, "CreateInspection"), inspection);
}

absl::StatusOr<Inspection> IssueLedger::GetInspection(const CallContext& call, int64_t id) {
  if (id <= 0) return InvalidField("id", "must be a positive id");
  return store_.GetInspection(id, call.deadline);
}

absl::StatusOr<InspectionPage> IssueLedger::ListInspections(const CallContext& call, int page_size,
                                                            const std::string& page_token,
                                                            InspectionKind kind) {
  ASSIGN_OR_RETURN(int size,
                   EffectivePageSize(page_size, limits_.default_page_size, limits_.max_page_size));
  if (static_cast<int>(kind) < 0 || static_cast<int>(kind) > 4) {
    return InvalidField("kind", "is not a known value");
  }
  std::optional<InspectionKind> filter;
  if (kind != InspectionKind::kUnspecified) filter = kind;
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<Inspection>(
          tokens_, absl::StrCat("inspections|", static_cast<int>(kind)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListInspections(filter, after.id, limit, call.deadline);
          },
          [](const Inspection& i) {
            return PagePosition{"", i.id};
          }));
  return InspectionPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

// --- Issues ------------------------------------------------------------------------------------

void IssueLedger::CheckRegistration(Violations& v, Issue& issue, bool historical) const {
  CheckEnum(v, "issue.source", issue.source, kMaxIssueSource, true);
  CheckText(v, "issue.title", issue.title, kMaxTitle, true);
  CheckText(v, "issue.description", issue.description, kMaxText, false);
  CheckEnum(v, "issue.category", issue.category, kMaxCategory, true);
  CheckRegion(v, "issue.region_code", issue.region_code);
  CheckText(v, "issue.site", issue.site, kMaxShort, false);
  CheckEnum(v, "issue.rectification_class", issue.rectification_class, kMaxRectificationClass,
            false);
  CheckEnum(v, "issue.priority", issue.priority, kMaxPriority, false);
  CheckText(v, "issue.responsible_official", issue.responsible_official, 100, false);
  CheckText(v, "issue.target_text", issue.target_text, kMaxText, false);
  CheckTargets(v, issue.targets);
  NormalizeMeasures(v, "issue.measures", issue.measures);
  if (issue.inspection_id < 0) v.Add("issue.inspection_id", "must be a positive id");
  if (issue.source == IssueSource::kComplaint) {
    if (!issue.complaint) {
      v.Add("issue.complaint", "is required for a complaint");
    } else {
      CheckText(v, "issue.complaint.batch", issue.complaint->batch, 100, true);
      CheckText(v, "issue.complaint.complainant_contact", issue.complaint->complainant_contact, 200,
                false);
      // A historical entry keeps the finding it had; a new complaint is verified later.
      if (!historical && issue.complaint->finding != ComplaintFinding::kUnspecified) {
        v.Add("issue.complaint.finding", "is recorded after verification, not at registration");
      }
    }
  } else if (issue.complaint) {
    v.Add("issue.complaint", "only for source COMPLAINT");
  }
}

void IssueLedger::CheckAssignment(Violations& v, const std::string& prefix,
                                  const Assignment& a) const {
  CheckOrg(v, prefix + "lead_org_id", a.lead_org_id, {OrgKind::kDepartment, OrgKind::kGovernment});
  if (a.responsible_org_ids.empty()) v.Add(prefix + "responsible_org_ids", "name at least one org");
  if (a.responsible_org_ids.size() > kMaxOrgs)
    v.Add(prefix + "responsible_org_ids", "at most 20 orgs");
  std::set<std::string> rectifiers = {a.lead_org_id};
  std::set<std::string> seen;
  for (size_t i = 0; i < a.responsible_org_ids.size() && i < kMaxOrgs; ++i) {
    const auto& id = a.responsible_org_ids[i];
    std::string f = prefix + absl::StrCat("responsible_org_ids[", i, "]");
    CheckOrg(v, f, id, {OrgKind::kDepartment, OrgKind::kGovernment});
    if (!seen.insert(id).second) v.Add(f, "is listed twice");
    rectifiers.insert(id);
  }
  CheckOrg(v, prefix + "acceptance_org_id", a.acceptance_org_id, {OrgKind::kDepartment});
  if (rectifiers.count(a.acceptance_org_id)) {
    v.Add(prefix + "acceptance_org_id", "an org that rectifies the issue cannot accept it");
  }
  if (a.joint_reviewer_org_ids.size() > kMaxOrgs)
    v.Add(prefix + "joint_reviewer_org_ids", "at most 20");
  seen.clear();
  for (size_t i = 0; i < a.joint_reviewer_org_ids.size() && i < kMaxOrgs; ++i) {
    const auto& id = a.joint_reviewer_org_ids[i];
    std::string f = prefix + absl::StrCat("joint_reviewer_org_ids[", i, "]");
    CheckOrg(v, f, id, {OrgKind::kDepartment});
    if (!seen.insert(id).second) v.Add(f, "is listed twice");
    if (rectifiers.count(id)) v.Add(f, "an org that rectifies the issue cannot review it");
  }
  CheckDate(v, prefix + "deadline", a.deadline, true);
  CheckEnum(v, prefix + "rectification_class", a.rectification_class, kMaxRectificationClass, true);
  CheckText(v, prefix + "responsible_official", a.responsible_official, 100, false);
}

absl::StatusOr<Issue> IssueLedger::CreateIssue(const CallContext& call, Issue issue) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckRegistration(v, issue);
  if (!issue.lead_org_id.empty() || !issue.responsible_org_ids.empty() ||
      !issue.acceptance_org_id.empty() || !issue.joint_reviewer_org_ids.empty() ||
      !issue.deadline.empty()) {
    v.Add("issue", "orgs and deadline are set by AssignIssue, not at registration");
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (issue.inspection_id > 0) {
    auto inspection = store_.GetInspection(issue.inspection_id, call.deadline);
    if (absl::IsNotFound(inspection.status())) {
      return InvalidField("issue.inspection_id", "no such inspection");
    }
    RETURN_IF_ERROR(inspection.status());
  }
  if (issue.priority == Priority::kUnspecified) issue.priority = Priority::kNormal;
  issue.id = 0;
  issue.state = IssueState::kRegistered;
  issue.progress_percent = 0;
  issue.rejection_count = 0;
  issue.create_time = issue.update_time = call.now;
  issue.assign_time.reset();
  issue.acknowledge_time.reset();
  issue.version = 1;
  ASSIGN_OR_RETURN(Issue created, store_.CreateIssue(MakeMutation(call, "CreateIssue"), issue));
  AccessPolicy::Redact(call.principal, created);
  return created;
}

absl::StatusOr<Issue> IssueLedger::ImportIssue(const CallContext& call, Issue issue,
                                               const std::string& source_document,
                                               const std::string& closed_date) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckRegistration(v, issue, /*historical=*/true);
  // An imported entry's deadlines belong to its earlier round: they may lie in the past.
  Assignment a = AssignmentOf(issue);
  CheckAssignment(v, "issue.", a);
  CheckText(v, "source_document", source_document, kMaxShort, true);
  CheckSignersRemain(v, "issue.", issue.region_code, a);
  bool closed = issue.state == IssueState::kClosed || issue.state == IssueState::kStageCompleted;
  if (!closed && issue.state != IssueState::kRectifying) {
    v.Add("issue.state", "an imported entry is RECTIFYING, CLOSED or STAGE_COMPLETED");
  }
  CheckDate(v, "closed_date", closed_date, closed);
  if (!closed && !closed_date.empty()) v.Add("closed_date", "only for a closed entry");
  if (issue.inspection_id <= 0) v.Add("issue.inspection_id", "name the round it belongs to");
  RETURN_IF_ERROR(v.ToStatus());
  std::string today = FormatDate(ProvinceDay(call.now));
  if (closed && closed_date > today) return InvalidField("closed_date", "is in the future");
  auto inspection = store_.GetInspection(issue.inspection_id, call.deadline);
  if (absl::IsNotFound(inspection.status())) {
    return InvalidField("issue.inspection_id", "no such inspection");
  }
  RETURN_IF_ERROR(inspection.status());
  ASSIGN_OR_RETURN(std::string start, store_.LedgerStartDate(call.deadline));
  // Only the rounds before this ledger existed come in by import; later ones go through the
  // workflow, so no closure of theirs can be declared by import.
  if (inspection->feedback_date >= start) {
    return FailedPreconditionError(
        "NOT_HISTORICAL", absl::StrCat("inspection ", inspection->id, " was fed back on ",
                                       inspection->feedback_date, ", after the ledger started on ",
                                       start, "; its problems go through the workflow"));
  }
  if (closed && closed_date < inspection->feedback_date) {
    return InvalidField("closed_date", "is before the inspection's feedback");
  }
  if (issue.priority == Priority::kUnspecified) issue.priority = Priority::kNormal;
  issue.id = 0;
  issue.progress_percent = closed ? 100 : issue.progress_percent;
  issue.rejection_count = 0;
  issue.imported_from = source_document;
  issue.create_time = issue.update_time = call.now;
  if (closed) {
    issue.close_time = absl::FromCivil(*ParseDate(closed_date), ProvinceTimeZone());
  }
  issue.version = 1;
  ASSIGN_OR_RETURN(Issue created,
                   store_.CreateIssue(MakeMutation(call, "ImportIssue"), issue, "issue.imported"));
  AccessPolicy::Redact(call.principal, created);
  return created;
}

absl::StatusOr<Issue> IssueLedger::ReadVisible(const CallContext& call, int64_t id) {
  if (id <= 0) return InvalidField("id", "must be a positive id");
  auto issue = store_.GetIssue(id, call.deadline);
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, issue.status()));
  RETURN_IF_ERROR(issue.status());
  RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, *issue));
  return issue;
}

absl::StatusOr<Issue> IssueLedger::GetIssue(const CallContext& call, int64_t id) {
  ASSIGN_OR_RETURN(Issue issue, ReadVisible(call, id));
  AccessPolicy::Redact(call.principal, issue);
  return issue;
}

absl::StatusOr<IssuePage> IssueLedger::ListIssues(const CallContext& call, int page_size,
                                                  const std::string& page_token,
                                                  const std::string& filter,
                                                  const std::string& order_by) {
  ASSIGN_OR_RETURN(int size,
                   EffectivePageSize(page_size, limits_.default_page_size, limits_.max_page_size));
  IssueListSpec spec;
  ASSIGN_OR_RETURN(spec.query, ParseIssueFilter(filter));
  ASSIGN_OR_RETURN(spec.order, ParseIssueOrder(order_by));
  spec.scope = AccessPolicy::ScopeOf(call.principal);
  spec.today = FormatDate(ProvinceDay(call.now));
  // A token is bound to the query and to the caller.
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<ListedIssue>(
                                  tokens_,
                                  absl::StrCat("issues|", filter, "|", order_by, "|",
                                               PrincipalKey(call.principal)),
                                  page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    spec.after_key = after.key;
                                    spec.after_id = after.id;
                                    spec.limit = limit;
                                    return store_.ListIssues(spec, call.deadline);
                                  },
                                  [](const ListedIssue& row) {
                                    return PagePosition{row.sort_key, row.issue.id};
                                  }));
  IssuePage page;
  page.next_page_token = std::move(rows.next_page_token);
  for (auto& row : rows.rows) {
    AccessPolicy::Redact(call.principal, row.issue);
    page.issues.push_back(std::move(row.issue));
  }
  return page;
}

absl::StatusOr<Issue> IssueLedger::UpdateIssue(const CallContext& call, int64_t id,
                                               const Issue& patch,
                                               const std::vector<std::string>& mask,
                                               const std::string& etag) {
  if (!IsRectifyingRole(call.principal.role) && call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the office or a lead org updates issues");
  }
  if (id <= 0) return InvalidField("issue.id", "must be a positive id");
  if (mask.empty()) return InvalidField("update_mask", "name the fields to change");
  bool plan_only = true;
  for (const auto& path : mask) {
    if (std::find(std::begin(kUpdatableFields), std::end(kUpdatableFields), path) ==
        std::end(kUpdatableFields)) {
      return InvalidField("update_mask", absl::StrCat("\"", path, "\" cannot be updated"));
    }
    plan_only = plan_only && IsPlanField(path);
  }
  auto has = [&](const char* f) { return std::find(mask.begin(), mask.end(), f) != mask.end(); };
  Issue probe = patch;
  // Run inside the transaction, after the caller's right to change these fields is established.
  auto validate = [&]() -> absl::Status {
    Violations v;
    if (has("title")) CheckText(v, "issue.title", patch.title, kMaxTitle, true);
    if (has("description")) CheckText(v, "issue.description", patch.description, kMaxText, false);
    if (has("category")) CheckEnum(v, "issue.category", patch.category, kMaxCategory, true);
    if (has("site")) CheckText(v, "issue.site", patch.site, kMaxShort, false);
    if (has("priority")) CheckEnum(v, "issue.priority", patch.priority, kMaxPriority, true);
    if (has("responsible_official")) {
      CheckText(v, "issue.responsible_official", patch.responsible_official, 100, false);
    }
    if (has("target_text")) CheckText(v, "issue.target_text", patch.target_text, kMaxText, false);
    if (has("targets")) CheckTargets(v, patch.targets);
    if (has("measures")) NormalizeMeasures(v, "issue.measures", probe.measures);
    return v.ToStatus();
  };
  auto result = store_.MutateIssue(
      MakeMutation(call, "UpdateIssue"), id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckUpdate(call.principal, issue, plan_only));
        RETURN_IF_ERROR(validate());
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kUpdate));
        if ((has("complaint.batch") || has("complaint.complainant_contact")) && !issue.complaint) {
          return InvalidField("update_mask", "the issue is not a complaint");
        }
        if (has("title")) issue.title = patch.title;
        if (has("description")) issue.description = patch.description;
        if (has("category")) issue.category = patch.category;
        if (has("site")) issue.site = patch.site;
        if (has("priority")) issue.priority = patch.priority;
        if (has("responsible_official")) issue.responsible_official = patch.responsible_official;
        if (has("target_text")) issue.target_text = patch.target_text;
        if (has("targets")) issue.targets = patch.targets;
        if (has("measures")) issue.measures = probe.measures;
        if (has("complaint.batch") && patch.complaint) {
          issue.complaint->batch = patch.complaint->batch;
        }
        if (has("complaint.complainant_contact") && patch.complaint) {
          issue.complaint->complainant_contact = patch.complaint->complainant_contact;
        }
        return Change{"issue.updated"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

void IssueLedger::CheckSignersRemain(Violations& v, const std::string& prefix,
                                     const std::string& region_code, const Assignment& a) const {
  std::vector<std::pair<std::string, Org>> rectifiers;
  {
    absl::MutexLock lock(&mu_);
    auto add = [&](std::string field, const std::string& id) {
      auto it = orgs_.find(id);
      if (it != orgs_.end()) rectifiers.emplace_back(std::move(field), it->second);
    };
    add("lead_org_id", a.lead_org_id);
    for (size_t i = 0; i < a.responsible_org_ids.size(); ++i) {
      add(absl::StrCat("responsible_org_ids[", i, "]"), a.responsible_org_ids[i]);
    }
  }
  ClosureWorkflow::CheckEveryStepKeepsASigner(region_code, rectifiers, a.acceptance_org_id,
                                              a.joint_reviewer_org_ids, prefix, v);
}

absl::StatusOr<Issue> IssueLedger::AssignIssue(const CallContext& call, const Assignment& a) {
  RETURN_IF_ERROR(AccessPolicy::CheckAssign(call.principal));
  Violations v;
  if (a.issue_id <= 0) v.Add("id", "must be a positive id");
  CheckAssignment(v, "", a);
  std::string today = absl::FormatTime("%Y-%m-%d", call.now, ProvinceTimeZone());
  bool past = !a.deadline.empty() && a.deadline < today;
  if (past && !a.deadline_already_passed) {
    v.Add("deadline", absl::StrCat("is before the assignment date ", today,
                                   "; confirm with deadline_already_passed and give the reason"));
  } else if (past && CharacterCount(absl::StripAsciiWhitespace(a.deadline_reason)) == 0) {
    v.Add("deadline_reason", "say why a deadline already past is assigned");
  } else if (!past && (a.deadline_already_passed || !a.deadline_reason.empty())) {
    v.Add("deadline_already_passed", "only for a deadline before the assignment date");
  }
  CheckText(v, "deadline_reason", a.deadline_reason, kMaxText, false);
  RETURN_IF_ERROR(v.ToStatus());
  auto result = store_.MutateIssue(
      MakeMutation(call, "AssignIssue"), a.issue_id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(CheckEtag(a.etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kAssign));
        Violations signers;
        CheckSignersRemain(signers, "", issue.region_code, a);
        RETURN_IF_ERROR(signers.ToStatus());
        ApplyAssignment(a, issue);
        issue.state = NextState(issue.state, IssueAction::kAssign);
        issue.assign_time = call.now;
        Change change{"issue.assigned"};
        if (past) {
          change.note = absl::StrCat("deadline ", a.deadline, " is before the assignment date ",
                                     today, ": ", a.deadline_reason);
        }
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, a.issue_id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

absl::StatusOr<Issue> IssueLedger::AcknowledgeAssignment(const CallContext& call, int64_t id,
                                                         const std::string& etag) {
  if (!IsRectifyingRole(call.principal.role)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the lead department or government signs for assignments");
  }
  if (id <= 0) return InvalidField("id", "must be a positive id");
  auto result = store_.MutateIssue(
      MakeMutation(call, "AcknowledgeAssignment"), id, [&](Issue& issue) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckAcknowledge(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kAcknowledge));
        issue.state = NextState(issue.state, IssueAction::kAcknowledge);
        issue.acknowledge_time = call.now;
        return Change{"issue.acknowledged"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, result.status()));
  RETURN_IF_ERROR(result.status());
  AccessPolicy::Redact(call.principal, *result);
  return result;
}

absl::StatusOr<ProgressReport> IssueLedger::ReportProgress(const CallContext& call,
                                                           int64_t issue_id,
                                                           ProgressReport report) {
  if (!IsRectifyingRole(call.principal.role)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "only the lead or a rectifying org reports progress");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (report.percent_done < 0 || report.percent_done > 100) {
    v.Add("report.percent_done", "must be between 0 and 100");
  }
  CheckText(v, "report.narrative", report.narrative, kMaxText, true);
  if (report.measure_updates.size() > kMaxMeasures) {
    v.Add("report.measure_updates", "at most 100 updates");
  }
  for (size_t i = 0; i < report.measure_updates.size() && i < kMaxMeasures; ++i) {
    std::string f = absl::StrCat("report.measure_updates[", i, "]");
    CheckText(v, f + ".measure_id", report.measure_updates[i].measure_id, 32, true);
    CheckText(v, f + ".note", report.measure_updates[i].note, 1000, false);
  }
  RETURN_IF_ERROR(v.ToStatus());
  report.id = 0;
  report.issue_id = issue_id;
  report.reporter_org_id = call.principal.org;
  report.reporter = call.principal.subject;
  report.create_time = call.now;
  std::string today = FormatDate(ProvinceDay(call.now));
  auto result = store_.AddProgressReport(
      MakeMutation(call, "ReportProgress"), issue_id, report,
      [&](Issue& issue, ProgressReport& r) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckReportProgress(call.principal, issue));
        RETURN_IF_ERROR(CheckTransition(issue.state, IssueAction::kReportProgress));
        Violations unknown;
        for (size_t i = 0; i < r.measure_updates.size(); ++i) {
          const auto& u = r.measure_updates[i];
          auto it = std::find_if(issue.measures.begin(), issue.measures.end(),
                                 [&](const Measure& m) { return m.id == u.measure_id; });
          if (it == issue.measures.end()) {
            unknown.Add(absl::StrCat("report.measure_updates[", i, "].measure_id"),
                        absl::StrCat("the issue has no measure \"", u.measure_id, "\""));
            continue;
          }
          it->done = u.done;
          it->done_date = u.done ? today : "";
        }
        RETURN_IF_ERROR(unknown.ToStatus());
        issue.progress_percent = r.percent_done;
        return Change{"issue.progress_reported"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, result.status()));
  return result;
}

absl::StatusOr<ProgressReportPage> IssueLedger::ListProgressReports(const CallContext& call,
                                                                    int64_t issue_id, int page_size,
                                                                    const std::string& page_token) {
  ASSIGN_OR_RETURN(int size,
                   EffectivePageSize(page_size, limits_.default_page_size, limits_.max_page_size));
  RETURN_IF_ERROR(ReadVisible(call, issue_id).status());
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<ProgressReport>(
                                  tokens_, absl::StrCat("progress|", issue_id), page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    return store_.ListProgressReports(issue_id, after.id, limit,
                                                                      call.deadline);
                                  },
                                  [](const ProgressReport& r) {
                                    return PagePosition{"", r.id};
                                  }));
  return ProgressReportPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

bool IssueLedger::IsOverdue(const Issue& issue, absl::Time now) const {
  if (issue.deadline.empty() || IsSettled(issue.state)) return false;
  auto deadline = ParseDate(issue.deadline);
  return deadline && *deadline < ProvinceDay(now);
}

}  // namespace rectify::issues
