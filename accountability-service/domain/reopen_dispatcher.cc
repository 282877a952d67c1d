#include "accountability-service/domain/reopen_dispatcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status.h"

namespace rectify::accountability {

namespace {

// Answers that will not change by asking again: settled, with the reason kept on the case.
bool Permanent(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) || absl::IsNotFound(s) || absl::IsInvalidArgument(s);
}

}  // namespace

std::string ReopenExplanation(const Case& c) {
  return absl::StrCat("纪检监察机关认定整改不实（", CaseResource(c.id), "）：",
                      c.finding ? c.finding->facts : c.summary);
}

absl::StatusOr<int> ReopenDispatcher::RunOnce(absl::Time now) {
  ASSIGN_OR_RETURN(auto due, store_.DueReopens(now, 50, absl::Now() + absl::Seconds(10)));
  int settled = 0;
  for (const auto& d : due) {
    auto c = store_.GetCase(d.case_id, absl::Now() + absl::Seconds(10));
    if (!c.ok()) continue;
    std::string explanation = ReopenExplanation(*c);
    absl::Status sent =
        reopener_.Reopen(d.issue_id, d.case_id, explanation, absl::Now() + absl::Seconds(2));
    // Record the outcome on the case (with its history and event).
    CaseMutation m{service_, now, absl::Now() + absl::Seconds(10), "", "", ""};
    auto saved = store_.MutateCase(m, d.case_id, [&](Case& cs) -> absl::StatusOr<CaseChange> {
      auto it = std::find_if(cs.reopens.begin(), cs.reopens.end(),
                             [&](const ReopenDelivery& r) { return r.issue_id == d.issue_id; });
      if (it == cs.reopens.end() || it->state != DeliveryState::kPending) return CaseChange{};
      it->attempts += 1;
      if (sent.ok()) {
        it->state = DeliveryState::kDelivered;
        it->last_error.clear();
        return CaseChange{"case.reopen_delivered"};
      }
      it->last_error = std::string(sent.message());
      if (Permanent(sent)) {
        // Not closed (nothing to reopen), gone, or refused as such: settled, and visible.
        it->state = DeliveryState::kSkipped;
        return CaseChange{"case.reopen_skipped"};
      }
      // Unavailable, deadline, anything transient: try again later, backing off.
      it->next_attempt =
          now + std::min(absl::Seconds(1) * (1 << std::min(it->attempts, 8)), absl::Minutes(5));
      return CaseChange{"case.reopen_retry"};
    });
    if (saved.ok()) {
      auto it = std::find_if(saved->reopens.begin(), saved->reopens.end(),
                             [&](const ReopenDelivery& r) { return r.issue_id == d.issue_id; });
      if (it != saved->reopens.end() && it->state != DeliveryState::kPending) ++settled;
    }
    if (!sent.ok() && !Permanent(sent)) {
      log::Warn(
          "reopen not delivered yet",
          {{"case", d.case_id}, {"issue", d.issue_id}, {"error", std::string(sent.message())}});
    }
  }
  return settled;
}

void ReopenDispatcher::Run(absl::Duration poll) {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopped_ || notified_; };
      mu_.AwaitWithTimeout(absl::Condition(&wake), poll);
      if (stopped_) return;
      notified_ = false;
    }
    auto done = RunOnce(absl::Now());
    if (!done.ok()) {
      log::Warn("reopen dispatcher", {{"error", std::string(done.status().message())}});
    }
  }
}

void ReopenDispatcher::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void ReopenDispatcher::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
}

}  // namespace rectify::accountability
