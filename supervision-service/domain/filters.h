// The filters of supervision's List RPCs (common/filter_expr.h's conjunctions) as typed queries;
// an unknown field, operator or value is INVALID_ARGUMENT on "filter" naming it.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

// light, level, region, org, active, overdue, state
absl::StatusOr<RecordQuery> ParseRecordFilter(absl::string_view text);
// level, state, region, org, issue, cause
absl::StatusOr<EscalationQuery> ParseEscalationFilter(absl::string_view text);
// issue, state, org, kind, region
absl::StatusOr<ObligationQuery> ParseObligationFilter(absl::string_view text);
// issue, state, org
absl::StatusOr<LinkageQuery> ParseLinkageFilter(absl::string_view text);
// state, org, meeting, overdue
absl::StatusOr<DirectiveQuery> ParseDirectiveFilter(absl::string_view text);

}  // namespace rectify::supervision
