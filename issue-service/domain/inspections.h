// The inspection rounds (督察) whose feedback the ledger's issues come from: registered by the
// office, with the plan's due date (30 working days after feedback) worked out here.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "common/working_days.h"
#include "issue-service/domain/model.h"
#include "issue-service/domain/reference_data.h"
#include "issue-service/domain/request_checks.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

// A rectification plan is due this many working days after the inspection's feedback.
inline constexpr int kPlanDueWorkingDays = 30;

struct InspectionPage {
  std::vector<Inspection> inspections;
  std::string next_page_token;
};

class Inspections {
 public:
  Inspections(InspectionStore& store, const ReferenceData& reference, const PageTokenCodec& tokens,
              const WorkingDayCalendar& calendar, PageSizes pages)
      : store_(store), reference_(reference), tokens_(tokens), calendar_(calendar), pages_(pages) {}

  absl::StatusOr<Inspection> CreateInspection(const CallContext& call, Inspection inspection);
  absl::StatusOr<Inspection> GetInspection(const CallContext& call, int64_t id);
  absl::StatusOr<InspectionPage> ListInspections(const CallContext& call, int page_size,
                                                 const std::string& page_token,
                                                 InspectionKind kind);

 private:
  InspectionStore& store_;
  const ReferenceData& reference_;
  const PageTokenCodec& tokens_;
  const WorkingDayCalendar& calendar_;
  PageSizes pages_;
};

}  // namespace rectify::issues
