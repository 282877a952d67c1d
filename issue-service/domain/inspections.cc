#include "issue-service/domain/inspections.h"

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "issue-service/domain/access.h"

namespace rectify::issues {

absl::StatusOr<Inspection> Inspections::CreateInspection(const CallContext& call,
                                                         Inspection inspection) {
  RETURN_IF_ERROR(AccessPolicy::CheckRegister(call.principal));
  Violations v;
  CheckEnum(v, "inspection.kind", inspection.kind, kMaxInspectionKind, true);
  CheckText(v, "inspection.title", inspection.title, kMaxTitle, true);
  CheckText(v, "inspection.team", inspection.team, kMaxShort, false);
  reference_.CheckRegion(v, "inspection.region_code", inspection.region_code);
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
  return store_.CreateInspection(MutationFor(call, "CreateInspection"), inspection);
}

absl::StatusOr<Inspection> Inspections::GetInspection(const CallContext& call, int64_t id) {
  RETURN_IF_ERROR(PositiveId("id", id));
  return store_.GetInspection(id, call.deadline);
}

absl::StatusOr<InspectionPage> Inspections::ListInspections(const CallContext& call, int page_size,
                                                            const std::string& page_token,
                                                            InspectionKind kind) {
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_.default_size, pages_.max_size));
  if (static_cast<int>(kind) < 0 || static_cast<int>(kind) > kMaxInspectionKind) {
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

}  // namespace rectify::issues
