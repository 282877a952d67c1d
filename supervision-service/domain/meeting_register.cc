#include "supervision-service/domain/meeting_register.h"

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

constexpr size_t kMaxDirectives = 100;
constexpr size_t kMaxAttendees = 100;

}  // namespace

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

}  // namespace rectify::supervision
