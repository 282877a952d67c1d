#include "supervision-service/domain/supervision_board.h"

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

}  // namespace rectify::supervision
