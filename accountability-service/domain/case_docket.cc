#include "accountability-service/domain/case_docket.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/filter_expr.h"
#include "common/region.h"
#include "common/status.h"
#include "common/text.h"

namespace rectify::accountability {
namespace {

bool SeesAll(Role r) {
  return r == Role::kDiscipline || r == Role::kOffice || r == Role::kSupervisor;
}

absl::Status Denied(absl::string_view reason, absl::string_view message) {
  return PermissionDeniedError(reason, message);
}

absl::Status DisciplineOnly(const Principal& p) {
  if (p.role == Role::kDiscipline) return absl::OkStatus();
  return Denied("ROLE_NOT_ALLOWED", "only discipline inspection investigates and decides cases");
}

absl::Status WrongState(const Case& c, absl::string_view what) {
  return FailedPreconditionError(
      "INVALID_STATE", absl::StrCat("cannot ", what, " a case in state ", CaseStateName(c.state)));
}

const char* kFailureNames[] = {"FAILURE_TYPE_UNSPECIFIED",
                               "INCOMPLETE",
                               "INADEQUATE",
                               "LOW_STANDARD",
                               "PERFUNCTORY",
                               "FALSE",
                               "SUPERFICIAL"};
const char* kSourceNames[] = {"SOURCE_UNSPECIFIED", "TRANSFER",  "LOOK_BACK",
                              "INSPECTION",         "COMPLAINT", "OTHER"};
const char* kSanctionNames[] = {"SANCTION_UNSPECIFIED",
                                "CRITICISM_AND_EDUCATION",
                                "ADMONISHMENT",
                                "CIRCULATED_CRITICISM",
                                "WARNING",
                                "SERIOUS_WARNING",
                                "DEMERIT",
                                "MAJOR_DEMERIT",
                                "DEMOTION",
                                "REMOVAL_FROM_POST",
                                "DISMISSAL",
                                "ORGANISATIONAL_ADJUSTMENT"};

template <size_t N>
int IndexOf(const char* (&names)[N], const std::string& name) {
  for (size_t i = 1; i < N; ++i) {
    if (name == names[i]) return static_cast<int>(i);
  }
  return 0;
}

void CheckFailureTypes(Violations& v, const std::string& field,
                       const std::vector<FailureType>& types, bool required) {
  if (required && types.empty()) v.Add(field, "name at least one failure type");
  std::set<FailureType> seen;
  for (size_t i = 0; i < types.size(); ++i) {
    int t = static_cast<int>(types[i]);
    if (t < 1 || t > kMaxFailureType) v.Add(absl::StrCat(field, "[", i, "]"), "unknown type");
    if (!seen.insert(types[i]).second) v.Add(absl::StrCat(field, "[", i, "]"), "listed twice");
  }
}

}  // namespace

absl::Status CaseDocket::CheckRead(const Principal& p, const Case& c) {
  if (SeesAll(p.role) || p.role == Role::kService) return absl::OkStatus();
  if (p.role == Role::kCity || p.role == Role::kCounty || p.role == Role::kDepartment) {
    for (const auto& s : c.subjects) {
      if (s.org_id == p.org) return absl::OkStatus();
    }
    return Denied("OUT_OF_SCOPE", absl::StrCat(CaseResource(c.id), " does not name your org"));
  }
  return Denied("ROLE_NOT_ALLOWED", "your role does not see accountability cases");
}

void CaseDocket::Redact(const Principal& p, Case& c) {
  if (p.role == Role::kDiscipline || p.role == Role::kOffice) return;
  for (auto& s : c.subjects) {
    s.name.clear();
    s.post.clear();
  }
}

absl::StatusOr<Case> CaseDocket::OpenCase(const CallContext& call, Case c) {
  const Principal& p = call.principal;
  if (p.role != Role::kOffice && p.role != Role::kSupervisor && p.role != Role::kService &&
      p.role != Role::kDiscipline) {
    return Denied("ROLE_NOT_ALLOWED", "the office, supervisors and services open cases");
  }
  Violations v;
  int source = static_cast<int>(c.source);
  if (source < 1 || source > kMaxCaseSource) v.Add("case.source", "is required");
  if (c.issue_ids.empty()) v.Add("case.issue_ids", "link at least one issue");
  if (c.issue_ids.size() > 100) v.Add("case.issue_ids", "at most 100 issues");
  std::set<int64_t> ids;
  for (size_t i = 0; i < c.issue_ids.size(); ++i) {
    if (c.issue_ids[i] <= 0) v.Add(absl::StrCat("case.issue_ids[", i, "]"), "a positive id");
    if (!ids.insert(c.issue_ids[i]).second) {
      v.Add(absl::StrCat("case.issue_ids[", i, "]"), "listed twice");
    }
  }
  CheckFailureTypes(v, "case.failure_types", c.failure_types, true);
  if (c.subjects.empty()) v.Add("case.subjects", "name who is held to account");
  for (size_t i = 0; i < c.subjects.size(); ++i) {
    const auto& s = c.subjects[i];
    std::string f = absl::StrCat("case.subjects[", i, "]");
    if (s.kind != SubjectKind::kOrg && s.kind != SubjectKind::kOfficial) {
      v.Add(f + ".kind", "ORG or OFFICIAL");
    }
    if (Blank(s.org_id) || s.org_id.size() > 64) v.Add(f + ".org_id", "is required");
    if (s.kind == SubjectKind::kOfficial && (Blank(s.name) || Blank(s.post))) {
      v.Add(f, "an official needs a name and a post");
    }
    if (CharacterCount(s.name) > 100 || CharacterCount(s.post) > 200)
      v.Add(f, "name or post too long");
  }
  if (Blank(c.summary) || CharacterCount(c.summary) > kMaxText)
    v.Add("case.summary", "is required");
  if (c.transfer_id.size() > 128) v.Add("case.transfer_id", "at most 128 characters");
  if (c.source == CaseSource::kTransfer && c.transfer_id.empty()) {
    v.Add("case.transfer_id", "a transfer names its escalation");
  }
  RETURN_IF_ERROR(v.ToStatus());
  // Every linked issue must exist in the registry.
  for (size_t i = 0; i < c.issue_ids.size(); ++i) {
    auto ref = issues_.Lookup(c.issue_ids[i], call.deadline);
    if (absl::IsNotFound(ref.status()) || absl::IsPermissionDenied(ref.status())) {
      return FailedPreconditionError(
          "ISSUE_NOT_FOUND", absl::StrCat("issues/", c.issue_ids[i], " is not in the registry"));
    }
    RETURN_IF_ERROR(ref.status());
    if (i == 0) c.region_code = ref->region_code;
  }
  for (auto& s : c.subjects) s.sanction = 0;
  c.id = 0;
  c.state = CaseState::kOpen;
  c.finding.reset();
  c.decided_by.clear();
  c.decision_date.clear();
  c.dismissal_reason.clear();
  c.reopens.clear();
  c.opened_by = p.subject;
  c.create_time = c.update_time = call.now;
  c.version = 1;
  Mutation m = MutationOf(call, "OpenCase");
  ASSIGN_OR_RETURN(Case saved, store_.OpenCase(m, std::move(c)));
  Redact(p, saved);
  return saved;
}

absl::StatusOr<Case> CaseDocket::GetCase(const CallContext& call, int64_t id) {
  if (!SeesAll(call.principal.role) && call.principal.role != Role::kService &&
      call.principal.role != Role::kCity && call.principal.role != Role::kCounty &&
      call.principal.role != Role::kDepartment) {
    return Denied("ROLE_NOT_ALLOWED", "your role does not see accountability cases");
  }
  if (id <= 0) return InvalidField("id", "must be a positive id");
  auto c = store_.GetCase(id, call.deadline);
  if (absl::IsNotFound(c.status()) && !SeesAll(call.principal.role)) {
    return Denied("OUT_OF_SCOPE", absl::StrCat(CaseResource(id), " does not name your org"));
  }
  RETURN_IF_ERROR(c.status());
  RETURN_IF_ERROR(CheckRead(call.principal, *c));
  Redact(call.principal, *c);
  return c;
}

absl::StatusOr<CaseQuery> ParseCaseFilter(absl::string_view text) {
  ASSIGN_OR_RETURN(auto terms, ParseConjunction(text));
  CaseQuery q;
  for (const auto& t : terms) {
    auto bad = [&](absl::string_view why) { return InvalidField("filter", why); };
    if (t.field == "opened") {
      if (!ParseDate(t.value) || t.op == ":" || t.op == "!=") {
        return bad("opened compares with a date \"YYYY-MM-DD\"");
      }
      q.opened.push_back({t.op, t.value});
      continue;
    }
    if (t.op != "=") return bad(absl::StrCat(t.field, " supports only '='"));
    if (t.field == "state") {
      static const char* kStates[] = {"",        "OPEN",   "INVESTIGATING",
                                      "DECIDED", "CLOSED", "DISMISSED"};
      int s = IndexOf(kStates, t.value);
      if (!s) return bad(absl::StrCat("unknown state \"", t.value, "\""));
      q.state = static_cast<CaseState>(s);
    } else if (t.field == "region") {
      if (!IsRegionCode(t.value)) return bad("region needs a six-digit code");
      q.region_prefix = RegionPrefix(t.value);
    } else if (t.field == "failure_type") {
      int f = IndexOf(kFailureNames, t.value);
      if (!f) return bad(absl::StrCat("unknown failure type \"", t.value, "\""));
      q.failure_type = static_cast<FailureType>(f);
    } else if (t.field == "subject_org") {
      q.subject_org = t.value;
    } else if (t.field == "issue") {
      int64_t issue = 0;
      if (!absl::SimpleAtoi(t.value, &issue) || issue <= 0) return bad("issue needs an id");
      q.issue_id = issue;
    } else if (t.field == "source") {
      int s = IndexOf(kSourceNames, t.value);
      if (!s) return bad(absl::StrCat("unknown source \"", t.value, "\""));
      q.source = static_cast<CaseSource>(s);
    } else {
      return bad(absl::StrCat("unknown field \"", t.field, "\""));
    }
  }
  return q;
}

absl::StatusOr<CasePage> CaseDocket::ListCases(const CallContext& call, int page_size,
                                               const std::string& page_token,
                                               const std::string& filter) {
  const Principal& p = call.principal;
  CaseScope scope;
  if (SeesAll(p.role)) {
    scope.everything = true;
  } else if (p.role == Role::kCity || p.role == Role::kCounty || p.role == Role::kDepartment) {
    scope.org = p.org;
  } else {
    return Denied("ROLE_NOT_ALLOWED", "your role does not see accountability cases");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, PageSizes{}));
  ASSIGN_OR_RETURN(CaseQuery q, ParseCaseFilter(filter));
  // A token is bound to the query and to the caller.
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<Case>(
          tokens_, absl::StrCat("cases|", filter, "|", PrincipalKey(p)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListCases(q, scope, after.id, limit, call.deadline);
          },
          [](const Case& c) {
            return PagePosition{"", c.id};
          }));
  for (auto& c : rows.rows) Redact(p, c);
  return CasePage{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<Case> CaseDocket::Act(const CallContext& call, const char* operation, int64_t id,
                                     const std::string& etag,
                                     const std::function<absl::StatusOr<CaseChange>(Case&)>& rule) {
  RETURN_IF_ERROR(DisciplineOnly(call.principal));
  if (id <= 0) return InvalidField("id", "must be a positive id");
  Mutation m = MutationOf(call, operation);
  auto c = store_.MutateCase(m, id, [&](Case& c) -> absl::StatusOr<CaseChange> {
    RETURN_IF_ERROR(CheckEtag(etag, c.version, CaseResource(c.id)));
    return rule(c);
  });
  RETURN_IF_ERROR(c.status());
  return c;
}

absl::StatusOr<Case> CaseDocket::StartInvestigation(const CallContext& call, int64_t id,
                                                    const std::string& etag) {
  return Act(call, "StartInvestigation", id, etag, [&](Case& c) -> absl::StatusOr<CaseChange> {
    if (c.state != CaseState::kOpen) return WrongState(c, "start investigating");
    c.state = CaseState::kInvestigating;
    return CaseChange{"case.investigation_started"};
  });
}

absl::StatusOr<Case> CaseDocket::RecordFinding(const CallContext& call, int64_t id, Finding finding,
                                               const std::string& etag) {
  RETURN_IF_ERROR(DisciplineOnly(call.principal));
  Violations v;
  if (Blank(finding.facts) || CharacterCount(finding.facts) > kMaxText) {
    v.Add("finding.facts", "state the facts found");
  }
  CheckFailureTypes(v, "finding.confirmed", finding.confirmed, false);
  if (finding.evidence_refs.size() > 50) v.Add("finding.evidence_refs", "at most 50");
  for (size_t i = 0; i < finding.evidence_refs.size(); ++i) {
    if (Blank(finding.evidence_refs[i]) || CharacterCount(finding.evidence_refs[i]) > 200) {
      v.Add(absl::StrCat("finding.evidence_refs[", i, "]"), "1 to 200 characters");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  finding.recorded_by = call.principal.subject;
  finding.time = call.now;
  return Act(call, "RecordFinding", id, etag, [&](Case& c) -> absl::StatusOr<CaseChange> {
    if (c.state != CaseState::kInvestigating) return WrongState(c, "record a finding for");
    c.finding = finding;
    return CaseChange{"case.finding_recorded"};
  });
}

absl::StatusOr<Case> CaseDocket::DecideCase(const CallContext& call, int64_t id,
                                            const Decision& decision, const std::string& etag) {
  RETURN_IF_ERROR(DisciplineOnly(call.principal));
  Violations v;
  if (Blank(decision.decided_by) || CharacterCount(decision.decided_by) > 200) {
    v.Add("decided_by", "name the body that decided");
  }
  if (!ParseDate(decision.decision_date)) v.Add("decision_date", "a date YYYY-MM-DD");
  for (size_t i = 0; i < decision.sanctions.size(); ++i) {
    if (decision.sanctions[i].second < 1 || decision.sanctions[i].second > kMaxSanction) {
      v.Add(absl::StrCat("sanctions[", i, "].sanction"), "is not a known sanction");
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  return Act(call, "DecideCase", id, etag, [&](Case& c) -> absl::StatusOr<CaseChange> {
    if (c.state != CaseState::kInvestigating) return WrongState(c, "decide");
    if (!c.finding) {
      return FailedPreconditionError("FINDING_MISSING", "record the finding before deciding");
    }
    std::vector<int> given(c.subjects.size(), 0);
    for (size_t i = 0; i < decision.sanctions.size(); ++i) {
      auto [index, sanction] = decision.sanctions[i];
      if (index < 0 || index >= static_cast<int>(c.subjects.size())) {
        return InvalidField(absl::StrCat("sanctions[", i, "].subject_index"), "no such subject");
      }
      if (given[index]) {
        return InvalidField(absl::StrCat("sanctions[", i, "].subject_index"), "sanctioned twice");
      }
      given[index] = sanction;
    }
    for (size_t s = 0; s < given.size(); ++s) {
      if (!given[s]) {
        return InvalidField("sanctions", absl::StrCat("subject ", s, " has no sanction"));
      }
      c.subjects[s].sanction = given[s];
    }
    c.decided_by = decision.decided_by;
    c.decision_date = decision.decision_date;
    c.state = CaseState::kDecided;
    bool reopen =
        std::any_of(c.finding->confirmed.begin(), c.finding->confirmed.end(), ReopensIssues);
    if (reopen) {
      // The intent is stored with the decision; the dispatcher delivers it until confirmed.
      for (int64_t issue : c.issue_ids) {
        c.reopens.push_back(
            ReopenDelivery{issue, DeliveryState::kPending, 0, "", absl::InfinitePast()});
      }
    }
    return CaseChange{"case.decided"};
  });
}

absl::StatusOr<Case> CaseDocket::CloseCase(const CallContext& call, int64_t id,
                                           const std::string& etag) {
  return Act(call, "CloseCase", id, etag, [&](Case& c) -> absl::StatusOr<CaseChange> {
    if (c.state != CaseState::kDecided) return WrongState(c, "close");
    c.state = CaseState::kClosed;
    return CaseChange{"case.closed"};
  });
}

absl::StatusOr<Case> CaseDocket::DismissCase(const CallContext& call, int64_t id,
                                             const std::string& reason, const std::string& etag) {
  RETURN_IF_ERROR(DisciplineOnly(call.principal));
  if (Blank(reason) || CharacterCount(reason) > kMaxText)
    return InvalidField("reason", "give the reasons");
  return Act(call, "DismissCase", id, etag, [&](Case& c) -> absl::StatusOr<CaseChange> {
    if (c.state != CaseState::kOpen && c.state != CaseState::kInvestigating) {
      return WrongState(c, "dismiss");
    }
    c.state = CaseState::kDismissed;
    c.dismissal_reason = reason;
    return CaseChange{"case.dismissed"};
  });
}

absl::StatusOr<AccountabilityStats> CaseDocket::GetStats(const CallContext& call,
                                                         const std::string& region_code,
                                                         const std::string& from_date,
                                                         const std::string& to_date) {
  const Principal& p = call.principal;
  if (!SeesAll(p.role)) {
    return Denied("ROLE_NOT_ALLOWED", "statistics are for discipline, the office and supervisors");
  }
  Violations v;
  if (!from_date.empty() && !ParseDate(from_date)) v.Add("from_date", "a date YYYY-MM-DD");
  if (!to_date.empty() && !ParseDate(to_date)) v.Add("to_date", "a date YYYY-MM-DD");
  if (!region_code.empty() && !IsRegionCode(region_code)) {
    v.Add("region_code", "a six-digit code");
  }
  RETURN_IF_ERROR(v.ToStatus());
  StatsFilter f;
  if (!region_code.empty()) f.region_prefix = RegionPrefix(region_code);
  f.from_date = from_date;
  f.to_date = to_date;
  ASSIGN_OR_RETURN(auto cases, store_.CasesForStats(f, call.deadline));
  AccountabilityStats st;
  static const char* kStates[] = {"STATE_UNSPECIFIED", "OPEN",   "INVESTIGATING",
                                  "DECIDED",           "CLOSED", "DISMISSED"};
  for (const auto& c : cases) {
    ++st.cases;
    st.by_region[c.region_code.substr(0, 4) + "00"]++;
    st.by_source[kSourceNames[static_cast<int>(c.source)]]++;
    st.by_state[kStates[static_cast<int>(c.state)]]++;
    if (c.source == CaseSource::kTransfer) {
      ++st.transferred_cases;
      st.transferred_problems += static_cast<int64_t>(c.issue_ids.size());
    }
    bool decided = c.state == CaseState::kDecided || c.state == CaseState::kClosed;
    const auto& types = decided && c.finding ? c.finding->confirmed : c.failure_types;
    for (auto t : types) st.by_failure_type[kFailureNames[static_cast<int>(t)]]++;
    if (!decided) continue;
    for (const auto& s : c.subjects) {
      if (s.sanction < 1 || s.sanction > kMaxSanction) continue;
      st.by_sanction[kSanctionNames[s.sanction]]++;
      if (s.kind == SubjectKind::kOfficial) {
        ++st.officials_held_accountable;
      } else {
        ++st.orgs_held_accountable;
      }
    }
  }
  return st;
}

}  // namespace rectify::accountability
