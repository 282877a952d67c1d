#include "supervision-service/domain/linkage_desk.h"

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

}  // namespace

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

}  // namespace rectify::supervision
