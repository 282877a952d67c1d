#include "supervision-service/domain/desks.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/region.h"
#include "common/status.h"
#include "common/text.h"
#include "supervision-service/domain/access.h"
#include "supervision-service/domain/filters.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/domain/obligations.h"

namespace rectify::supervision {
namespace {

bool Rectifies(const IssueFacts& issue, const std::string& org) { return Involves(issue, org); }

constexpr size_t kMaxDirectives = 100;
constexpr size_t kMaxAttendees = 100;

}  // namespace

// ---- Records ----------------------------------------------------------------------------------

absl::StatusOr<SupervisionRecord> SupervisionBoard::GetRecord(const CallContext& call,
                                                              int64_t issue_id) {
  if (issue_id <= 0) return InvalidField("issue_id", "must be a positive id");
  const Principal& p = call.principal;
  auto r = store_.GetRecord(issue_id, call.deadline);
  if (absl::IsNotFound(r.status())) return SupervisionAccess::Hidden(p, RecordResource(issue_id));
  RETURN_IF_ERROR(r.status());
  if (!SupervisionAccess::CanSee(p, *r)) {
    return SupervisionAccess::Invisible(p, RecordResource(issue_id));
  }
  return r;
}

absl::StatusOr<Page<SupervisionRecord>> SupervisionBoard::ListRecords(const CallContext& call,
                                                                      int page_size,
                                                                      const std::string& page_token,
                                                                      const std::string& filter) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic || p.role == Role::kDiscipline) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "your role does not see supervision records");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(RecordQuery q, ParseRecordFilter(filter));
  q.today = FormatDate(ProvinceDay(call.now));
  Scope scope = SupervisionAccess::ScopeOf(p);
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<SupervisionRecord>(
          tokens_, absl::StrCat("records|", filter, "|", PrincipalKey(p)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListRecords(q, scope, after.id, limit, call.deadline);
          },
          [](const SupervisionRecord& r) {
            return PagePosition{"", r.issue.id};
          }));
  return Page<SupervisionRecord>{std::move(rows.rows), std::move(rows.next_page_token)};
}

// ---- Obligations ------------------------------------------------------------------------------

absl::StatusOr<Page<Obligation>> ObligationRegister::ListObligations(const CallContext& call,
                                                                     int page_size,
                                                                     const std::string& page_token,
                                                                     const std::string& filter) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic || p.role == Role::kDiscipline) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "your role owes no report obligations");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(ObligationQuery q, ParseObligationFilter(filter));
  Scope scope = SupervisionAccess::ScopeOf(p);
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<Obligation>(
          tokens_, absl::StrCat("obligations|", filter, "|", PrincipalKey(p)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListObligations(q, scope, after.id, limit, call.deadline);
          },
          [](const Obligation& o) {
            return PagePosition{"", o.id};
          }));
  return Page<Obligation>{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<Obligation> ObligationRegister::Sign(const CallContext& call, int64_t id) {
  const Principal& p = call.principal;
  if (id <= 0) return InvalidField("id", "must be a positive id");
  if (p.role == Role::kPublic || p.role == Role::kDiscipline || p.role == Role::kService) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "each level signs for itself");
  }
  ASSIGN_OR_RETURN(EscalationPolicy policy, policies_.Current(call.deadline));
  auto result = store_.MutateObligation(
      MutationOf(call, "SignObligation"), id,
      [&](Obligation& o, std::vector<Obligation>& of_issue,
          const SupervisionRecord* record) -> absl::StatusOr<Change> {
        if (!SupervisionAccess::CanSee(p, o, record)) {
          return SupervisionAccess::Invisible(p, ObligationResource(id));
        }
        if (o.owner_org_id != p.org) {
          return PermissionDeniedError("NOT_YOURS", absl::StrCat(ObligationResource(id), " is ",
                                                                 o.owner_org_id, "'s to sign"));
        }
        if (!IsSignOff(o.kind)) {
          return FailedPreconditionError(
              "MET_BY_EVENTS", "a report obligation is met by the issue's own report, not signed");
        }
        if (o.met_time) return FailedPreconditionError("ALREADY_SIGNED", "already signed");
        Meet(o, call.now, p.subject);
        // The issue is dispatched to the level below now: its three hours start.
        ObligationKind next = o.kind == ObligationKind::kProvinceSignOff
                                  ? ObligationKind::kCitySignOff
                                  : ObligationKind::kCountySignOff;
        if (o.kind != ObligationKind::kCountySignOff) {
          for (auto& other : of_issue) {
            if (other.kind == next && !other.met_time && other.state == ObligationState::kPending) {
              other.due_time = call.now + absl::Hours(policy.sign_off_hours);
            }
          }
        }
        return Change{"supervision.obligation_signed"};
      });
  if (absl::IsNotFound(result.status()))
    return SupervisionAccess::Hidden(p, ObligationResource(id));
  return result;
}

// ---- Linkage ----------------------------------------------------------------------------------

absl::StatusOr<LinkageRequest> LinkageDesk::Create(const CallContext& call, LinkageRequest l) {
  const Principal& p = call.principal;
  if (p.role != Role::kOffice && p.role != Role::kDepartment && p.role != Role::kCity &&
      p.role != Role::kCounty) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the lead org asks for linkage");
  }
  Violations v;
  if (l.issue_id <= 0) v.Add("linkage.issue_id", "must be a positive id");
  if (l.target_org_id.empty()) {
    v.Add("linkage.target_org_id", "is required");
  } else if (!reference_.IsDepartment(l.target_org_id)) {
    v.Add("linkage.target_org_id", absl::StrCat("\"", l.target_org_id, "\" is not a department"));
  } else if (l.target_org_id == p.org) {
    v.Add("linkage.target_org_id", "asks another department");
  }
  CheckText(v, "linkage.action", l.action, 2000, true);
  CheckDate(v, "linkage.due_date", l.due_date, true);
  std::string today = FormatDate(ProvinceDay(call.now));
  if (ParseDate(l.due_date) && l.due_date < today) v.Add("linkage.due_date", "is in the past");
  RETURN_IF_ERROR(v.ToStatus());
  l.id = 0;
  l.requesting_org_id = p.org;
  l.state = LinkageState::kPending;
  l.response.clear();
  l.respond_time.reset();
  l.create_time = call.now;
  return store_.CreateLinkage(
      MutationOf(call, "CreateLinkageRequest"), l,
      [&](const std::optional<SupervisionRecord>& record) -> absl::Status {
        // Permission before existence: only who sees everything learns that an issue is not
        // under supervision.
        if (!record && !SupervisionAccess::SeesEverything(p)) {
          return SupervisionAccess::Invisible(p, RecordResource(l.issue_id));
        }
        if (record && !SupervisionAccess::CanSee(p, *record)) {
          return SupervisionAccess::Invisible(p, RecordResource(l.issue_id));
        }
        if (!record || !record->active) {
          return FailedPreconditionError(
              "NOT_SUPERVISED", absl::StrCat("issues/", l.issue_id, " is not under supervision"));
        }
        if (p.role != Role::kOffice && record->issue.lead_org_id != p.org) {
          return PermissionDeniedError("NOT_LEAD", "only the issue's lead org asks for linkage");
        }
        if (Rectifies(record->issue, l.target_org_id)) {
          return InvalidField("linkage.target_org_id", "already rectifies the issue");
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<LinkageRequest> LinkageDesk::Respond(const CallContext& call, int64_t id,
                                                    LinkageAnswer answer, const std::string& text,
                                                    const std::string& etag) {
  const Principal& p = call.principal;
  Violations v;
  if (id <= 0) v.Add("id", "must be a positive id");
  if (answer == LinkageAnswer::kUnspecified ||
      static_cast<int>(answer) > static_cast<int>(LinkageAnswer::kDecline)) {
    v.Add("answer", "ACCEPT, REPORT_DONE or DECLINE");
  }
  CheckText(v, "text", text, kMaxText, answer != LinkageAnswer::kAccept);
  RETURN_IF_ERROR(v.ToStatus());
  auto result = store_.MutateLinkage(
      MutationOf(call, "RespondToLinkage"), id, [&](LinkageRequest& l) -> absl::StatusOr<Change> {
        if (!SupervisionAccess::CanSee(p, l)) {
          return SupervisionAccess::Invisible(p, LinkageResource(id));
        }
        if (l.target_org_id != p.org) {
          return PermissionDeniedError("NOT_YOURS", "the department asked answers");
        }
        RETURN_IF_ERROR(CheckEtag(etag, l.version, LinkageResource(id)));
        auto refuse = [&] {
          return FailedPreconditionError(
              "INVALID_STATE",
              absl::StrCat("the request is ", NameOf(LinkageStateNames(), l.state)));
        };
        switch (answer) {
          case LinkageAnswer::kAccept:
            if (l.state != LinkageState::kPending) return refuse();
            l.state = LinkageState::kAccepted;
            break;
          case LinkageAnswer::kReportDone:
            if (l.state != LinkageState::kPending && l.state != LinkageState::kAccepted) {
              return refuse();
            }
            l.state = LinkageState::kDone;
            break;
          case LinkageAnswer::kDecline:
            if (l.state != LinkageState::kPending) return refuse();
            l.state = LinkageState::kDeclined;
            break;
          case LinkageAnswer::kUnspecified:
            return refuse();
        }
        l.response = text;
        l.respond_time = call.now;
        return Change{"supervision.linkage_answered"};
      });
  if (absl::IsNotFound(result.status())) return SupervisionAccess::Hidden(p, LinkageResource(id));
  return result;
}

absl::StatusOr<Page<LinkageRequest>> LinkageDesk::List(const CallContext& call, int page_size,
                                                       const std::string& page_token,
                                                       const std::string& filter) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic || p.role == Role::kDiscipline) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "linkage is between departments");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(LinkageQuery q, ParseLinkageFilter(filter));
  Scope scope = SupervisionAccess::ScopeOf(p);
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<LinkageRequest>(
          tokens_, absl::StrCat("linkage|", filter, "|", PrincipalKey(p)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListLinkage(q, scope, after.id, limit, call.deadline);
          },
          [](const LinkageRequest& l) {
            return PagePosition{"", l.id};
          }));
  return Page<LinkageRequest>{std::move(rows.rows), std::move(rows.next_page_token)};
}

// ---- Meetings and directives ------------------------------------------------------------------

absl::StatusOr<Meeting> MeetingRegister::CreateMeeting(const CallContext& call, Meeting m) {
  RETURN_IF_ERROR(SupervisionAccess::CheckOffice(call.principal, "keeps the register of meetings"));
  Violations v;
  int kind = static_cast<int>(m.kind);
  if (kind < 1 || kind > kMaxMeetingKind) {
    v.Add("meeting.kind", "LEADING_GROUP, SPECIAL_DEPLOYMENT or ON_SITE_PROMOTION");
  }
  CheckText(v, "meeting.title", m.title, kMaxShort, true);
  CheckDate(v, "meeting.date", m.date, true);
  CheckText(v, "meeting.chair", m.chair, 100, false);
  if (m.attendee_org_ids.size() > kMaxAttendees) {
    v.Add("meeting.attendee_org_ids", absl::StrCat("at most ", kMaxAttendees));
  }
  for (size_t i = 0; i < m.attendee_org_ids.size() && i < kMaxAttendees; ++i) {
    if (!reference_.IsKnownOrg(m.attendee_org_ids[i])) {
      v.Add(absl::StrCat("meeting.attendee_org_ids[", i, "]"), "unknown org");
    }
  }
  if (m.directives.size() > kMaxDirectives) {
    v.Add("meeting.directives", absl::StrCat("at most ", kMaxDirectives));
  }
  for (size_t i = 0; i < m.directives.size() && i < kMaxDirectives; ++i) {
    const Directive& d = m.directives[i];
    std::string f = absl::StrCat("meeting.directives[", i, "]");
    CheckText(v, f + ".text", d.text, 2000, true);
    if (!reference_.IsKnownOrg(d.owner_org_id)) v.Add(f + ".owner_org_id", "unknown org");
    CheckDate(v, f + ".due_date", d.due_date, true);
    if (ParseDate(d.due_date) && ParseDate(m.date) && d.due_date < m.date) {
      v.Add(f + ".due_date", "is before the meeting");
    }
    if (d.issue_id < 0) v.Add(f + ".issue_id", "must not be negative");
  }
  RETURN_IF_ERROR(v.ToStatus());
  m.id = 0;
  m.create_time = call.now;
  for (auto& d : m.directives) {
    d.id = 0;
    d.state = DirectiveState::kOpen;
    d.completion_note.clear();
    d.complete_time.reset();
  }
  return store_.CreateMeeting(MutationOf(call, "CreateMeeting"), m,
                              [&](const std::vector<int64_t>& unsupervised) -> absl::Status {
                                Violations bad;
                                for (size_t i = 0; i < m.directives.size(); ++i) {
                                  if (std::find(unsupervised.begin(), unsupervised.end(),
                                                m.directives[i].issue_id) != unsupervised.end()) {
                                    bad.Add(absl::StrCat("meeting.directives[", i, "].issue_id"),
                                            "is not under supervision");
                                  }
                                }
                                return bad.ToStatus();
                              });
}

absl::StatusOr<Meeting> MeetingRegister::GetMeeting(const CallContext& call, int64_t id) {
  const Principal& p = call.principal;
  if (id <= 0) return InvalidField("id", "must be a positive id");
  auto m = store_.GetMeeting(id, call.deadline);
  if (absl::IsNotFound(m.status())) return SupervisionAccess::Hidden(p, MeetingResource(id));
  RETURN_IF_ERROR(m.status());
  if (SupervisionAccess::SeesEverything(p)) return m;
  bool attends = std::find(m->attendee_org_ids.begin(), m->attendee_org_ids.end(), p.org) !=
                 m->attendee_org_ids.end();
  bool owes = std::any_of(m->directives.begin(), m->directives.end(),
                          [&](const Directive& d) { return d.owner_org_id == p.org; });
  if (p.org.empty() || !(attends || owes))
    return SupervisionAccess::Invisible(p, MeetingResource(id));
  return m;
}

absl::StatusOr<Page<Meeting>> MeetingRegister::ListMeetings(const CallContext& call, int page_size,
                                                            const std::string& page_token) {
  if (!SupervisionAccess::SeesEverything(call.principal)) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "the register is the office's; orgs list their directives");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<Meeting>(
                                  tokens_, "meetings", page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    return store_.ListMeetings(after.id, limit, call.deadline);
                                  },
                                  [](const Meeting& m) {
                                    return PagePosition{"", m.id};
                                  }));
  return Page<Meeting>{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<Page<Directive>> MeetingRegister::ListDirectives(const CallContext& call,
                                                                int page_size,
                                                                const std::string& page_token,
                                                                const std::string& filter) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic || p.role == Role::kDiscipline) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "directives are for the orgs that owe them");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(DirectiveQuery q, ParseDirectiveFilter(filter));
  q.today = FormatDate(ProvinceDay(call.now));
  Scope scope = SupervisionAccess::ScopeOf(p);
  // A directive is seen by the org that owes it, whatever its region.
  scope.region_prefix.clear();
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<Directive>(
          tokens_, absl::StrCat("directives|", filter, "|", PrincipalKey(p)), page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListDirectives(q, scope, after.id, limit, call.deadline);
          },
          [](const Directive& d) {
            return PagePosition{"", d.id};
          }));
  return Page<Directive>{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<Directive> MeetingRegister::CompleteDirective(const CallContext& call, int64_t id,
                                                             const std::string& note,
                                                             const std::string& etag) {
  const Principal& p = call.principal;
  Violations v;
  if (id <= 0) v.Add("id", "must be a positive id");
  CheckText(v, "note", note, kMaxText, true);
  RETURN_IF_ERROR(v.ToStatus());
  auto result = store_.MutateDirective(
      MutationOf(call, "CompleteDirective"), id, [&](Directive& d) -> absl::StatusOr<Change> {
        if (!SupervisionAccess::CanSee(p, d)) {
          return SupervisionAccess::Invisible(p, DirectiveResource(id));
        }
        if (p.role != Role::kOffice && d.owner_org_id != p.org) {
          return PermissionDeniedError("NOT_YOURS", "the org that owes a directive completes it");
        }
        RETURN_IF_ERROR(CheckEtag(etag, d.version, DirectiveResource(id)));
        if (d.state != DirectiveState::kOpen) {
          return FailedPreconditionError("INVALID_STATE", "the directive is already done");
        }
        d.state = DirectiveState::kDone;
        d.completion_note = note;
        d.complete_time = call.now;
        return Change{"supervision.directive_completed"};
      });
  if (absl::IsNotFound(result.status())) return SupervisionAccess::Hidden(p, DirectiveResource(id));
  return result;
}

// ---- The battle map ---------------------------------------------------------------------------

absl::StatusOr<BattleMapView> BattleMap::Get(const CallContext& call,
                                             const std::string& region_code,
                                             std::optional<absl::Time> as_of) {
  const Principal& p = call.principal;
  bool regional = p.role == Role::kCity || p.role == Role::kCounty;
  if (!SupervisionAccess::SeesEverything(p) && !regional) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "the battle map is for supervisors and regions");
  }
  std::string region = region_code;
  if (region.empty()) region = regional ? p.region : reference_.Root();
  if (!reference_.IsKnownDivision(region)) {
    return InvalidField("region_code", absl::StrCat("unknown region \"", region, "\""));
  }
  if (regional && !InRegionSubtree(region, p.region)) {
    return PermissionDeniedError("OUT_OF_SCOPE", "your map is your own region's");
  }
  absl::Time when = as_of.value_or(call.now);
  if (when < absl::FromCivil(absl::CivilDay(2000, 1, 1), ProvinceTimeZone())) {
    return InvalidField("as_of", "must not be before 2000");
  }
  std::string today = FormatDate(ProvinceDay(when));
  ASSIGN_OR_RETURN(BoardCounts counts, store_.Board(RegionPrefix(region), today, call.deadline));

  BattleMapView view;
  view.region_code = region;
  view.as_of_date = today;
  view.total.region_code = region;
  view.total.name = reference_.NameOf(region);
  std::vector<Division> children = reference_.ChildrenOf(region);
  std::sort(children.begin(), children.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  for (const auto& c : children) {
    MapTile t;
    t.region_code = c.code;
    t.name = c.name;
    view.tiles.push_back(std::move(t));
  }
  // The tile a county-level code falls in: its city under the province, itself under a city.
  auto tile_of = [&](const std::string& code) -> MapTile* {
    for (auto& t : view.tiles) {
      if (InRegionSubtree(code, t.region_code)) return &t;
    }
    return nullptr;
  };
  auto each = [&](const std::string& code, const std::function<void(MapTile&)>& add) {
    add(view.total);
    if (MapTile* t = tile_of(code)) add(*t);
  };
  for (const auto& c : counts.records) {
    each(c.region_code, [&](MapTile& t) {
      t.supervised += c.count;
      if (c.light == Light::kGreen) t.green += c.count;
      if (c.light == Light::kYellow) t.yellow += c.count;
      if (c.light == Light::kRed) t.red += c.count;
      t.by_state[NameOf(IssueStateNames(), c.state)] += c.count;
      if (c.state >= IssueState::kAcceptanceRequested) t.rectified += c.count;
    });
  }
  for (const auto& e : counts.open_escalations) {
    each(e.region_code, [&](MapTile& t) { t.escalations[LevelName(e.level)] += e.count; });
  }
  for (const auto& [code, n] : counts.overdue) {
    each(code, [&](MapTile& t) { t.overdue += n; });
  }
  auto rate = [](MapTile& t) {
    t.completion_rate = t.supervised > 0 ? static_cast<double>(t.rectified) / t.supervised : 0;
  };
  rate(view.total);
  for (auto& t : view.tiles) rate(t);
  return view;
}

}  // namespace rectify::supervision
