#include "accountability-service/domain/reopen_dispatcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify::accountability {

std::string ReopenExplanation(const Case& c) {
  return absl::StrCat("纪检监察机关认定整改不实（", CaseResource(c.id), "）：",
                      c.finding ? c.finding->facts : c.summary);
}

absl::StatusOr<std::vector<DeliveryIntent>> CaseReopenings::Due(absl::Time now, int limit) {
  ASSIGN_OR_RETURN(auto due, store_.DueReopens(now, limit, absl::Now() + absl::Seconds(10)));
  std::vector<DeliveryIntent> out;
  for (const auto& d : due) out.push_back({d.case_id, d.issue_id});
  return out;
}

int CaseReopenings::Attempts(const DeliveryIntent& intent) {
  auto c = store_.GetCase(intent.owner_id, absl::Now() + absl::Seconds(10));
  if (!c.ok()) return 0;
  for (const auto& r : c->reopens) {
    if (r.issue_id == intent.target_id) return r.attempts;
  }
  return 0;
}

absl::StatusOr<bool> CaseReopenings::Record(const DeliveryIntent& intent,
                                            const DeliveryResult& result, absl::Time now) {
  Mutation m{service_, now, absl::Now() + absl::Seconds(10), "", "", ""};
  auto find = [&](std::vector<ReopenDelivery>& reopens) {
    return std::find_if(reopens.begin(), reopens.end(),
                        [&](const ReopenDelivery& r) { return r.issue_id == intent.target_id; });
  };
  ASSIGN_OR_RETURN(
      Case saved,
      store_.MutateCase(m, intent.owner_id, [&](Case& cs) -> absl::StatusOr<CaseChange> {
        auto it = find(cs.reopens);
        if (it == cs.reopens.end() || it->state != DeliveryState::kPending) {
          return CaseChange{};  // settled meanwhile: nothing to record
        }
        it->attempts += 1;
        it->last_error = result.error;
        switch (result.outcome) {
          case DeliveryOutcome::kDelivered:
            it->state = DeliveryState::kDelivered;
            return CaseChange{"case.reopen_delivered"};
          case DeliveryOutcome::kSkipped:
            // Not closed (nothing to reopen), gone, or refused as such: settled,
            // and visible on the case.
            it->state = DeliveryState::kSkipped;
            return CaseChange{"case.reopen_skipped"};
          case DeliveryOutcome::kRetry:
            it->next_attempt = result.next_attempt;
            return CaseChange{"case.reopen_retry"};
        }
        return CaseChange{};
      }));
  auto it = find(saved.reopens);
  return it != saved.reopens.end() && it->state != DeliveryState::kPending;
}

ReopenDispatcher::ReopenDispatcher(CaseStore& store, IssueReopener& reopener,
                                   const Principal& service)
    : book_(store, service),
      dispatcher_("reopening", book_, [&store, &reopener](const DeliveryIntent& intent) {
        ASSIGN_OR_RETURN(Case c, store.GetCase(intent.owner_id, absl::Now() + absl::Seconds(10)));
        return reopener.Reopen(intent.target_id, intent.owner_id, ReopenExplanation(c),
                               absl::Now() + absl::Seconds(2));
      }) {}

}  // namespace rectify::accountability
