#include "supervision-service/domain/policy_book.h"

#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "common/status.h"
#include "supervision-service/domain/access.h"

namespace rectify::supervision {

absl::Status PolicyBook::CheckRead(const Principal& p) const {
  if (p.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the policy is for those supervised");
  }
  return absl::OkStatus();
}

absl::StatusOr<EscalationPolicy> PolicyBook::Current(absl::Time deadline) {
  return store_.CurrentPolicy(DefaultPolicy(), deadline);
}

absl::StatusOr<EscalationPolicy> PolicyBook::GetPolicy(const CallContext& call, int64_t version) {
  RETURN_IF_ERROR(CheckRead(call.principal));
  if (version < 0) return InvalidField("version", "must not be negative");
  if (version == 0) return Current(call.deadline);
  return store_.GetPolicy(version, call.deadline);
}

absl::StatusOr<EscalationPolicy> PolicyBook::UpdatePolicy(const CallContext& call,
                                                          EscalationPolicy policy,
                                                          const std::string& etag) {
  RETURN_IF_ERROR(SupervisionAccess::CheckOffice(call.principal, "sets the escalation policy"));
  RETURN_IF_ERROR(ValidatePolicy(policy));
  if (etag.empty()) return InvalidField("etag", "name the version you replace (its etag)");
  ASSIGN_OR_RETURN(EscalationPolicy current, Current(call.deadline));
  RETURN_IF_ERROR(CheckEtag(etag, current.version, PolicyResource(current.version)));
  policy.created_by = call.principal.subject;
  policy.create_time = call.now;
  return store_.AddPolicy(MutationOf(call, "UpdateEscalationPolicy"), policy, current.version);
}

absl::StatusOr<PolicyPage> PolicyBook::ListPolicies(const CallContext& call, int page_size,
                                                    const std::string& page_token) {
  RETURN_IF_ERROR(CheckRead(call.principal));
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(auto rows, ReadKeysetPage<EscalationPolicy>(
                                  tokens_, "policies", page_token, size,
                                  [&](const PagePosition& after, int limit) {
                                    return store_.ListPolicies(after.id, limit, call.deadline);
                                  },
                                  [](const EscalationPolicy& p) {
                                    return PagePosition{"", p.version};
                                  }));
  return PolicyPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

}  // namespace rectify::supervision
