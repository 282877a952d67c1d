#include "supervision-service/domain/transfers.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "supervision-service/domain/escalation_ladder.h"

namespace rectify::supervision {

CaseRequest CaseRequestFor(const Escalation& e) {
  CaseRequest r;
  r.transfer_id = EscalationResource(e.id);
  r.issue_id = e.issue_id;
  r.region_code = e.region_code;
  r.subject_org_id = e.org_id;
  r.summary =
      absl::StrCat("挂牌督办后仍逾期，移交问责（", EscalationResource(e.id), "）：", e.detail);
  return r;
}

void TransferBook::NoteCase(int64_t escalation_id, int64_t case_id) {
  absl::MutexLock lock(&mu_);
  cases_[escalation_id] = case_id;
}

absl::StatusOr<bool> TransferBook::Record(const DeliveryIntent& intent,
                                          const DeliveryResult& result, absl::Time now) {
  int64_t case_id = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = cases_.find(intent.owner_id);
    if (it != cases_.end()) {
      case_id = it->second;
      cases_.erase(it);
    }
  }
  // The escalation and the intent together: a failure leaves the intent due, and the attempt is
  // made again (accountability answers a repeated transfer_id with the same case).
  Mutation m{service_, now, absl::Now() + absl::Seconds(10), "", "", ""};
  return store_.RecordTransfer(m, intent, result, [&](Escalation& e) -> absl::StatusOr<Change> {
    if (e.transfer != TransferState::kPending) return Change{};
    e.transfer_attempts += 1;
    e.transfer_error = result.error;
    switch (result.outcome) {
      case DeliveryOutcome::kDelivered:
        e.transfer = TransferState::kDelivered;
        e.case_id = case_id;
        return Change{"supervision.transfer_delivered"};
      case DeliveryOutcome::kSkipped:
        e.transfer = TransferState::kRefused;
        return Change{"supervision.transfer_refused"};
      case DeliveryOutcome::kRetry:
        return Change{"supervision.transfer_retry"};
    }
    return Change{};
  });
}

TransferDispatcher::TransferDispatcher(DeliveryBook& intents, EscalationStore& store,
                                       CaseOpener& opener, const Principal& service)
    : store_(store),
      opener_(opener),
      book_(intents, store, service),
      dispatcher_("transfer", book_,
                  [this](const DeliveryIntent& intent) { return Deliver(intent); }) {}

absl::Status TransferDispatcher::Deliver(const DeliveryIntent& intent) {
  ASSIGN_OR_RETURN(Escalation e,
                   store_.GetEscalation(intent.owner_id, absl::Now() + absl::Seconds(10)));
  ASSIGN_OR_RETURN(int64_t case_id,
                   opener_.OpenCase(CaseRequestFor(e), absl::Now() + absl::Seconds(5)));
  book_.NoteCase(e.id, case_id);
  return absl::OkStatus();
}

}  // namespace rectify::supervision
