#include "supervision-service/domain/obligation_register.h"

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

}  // namespace rectify::supervision
