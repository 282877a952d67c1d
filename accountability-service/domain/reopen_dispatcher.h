// Delivers the reopenings that decisions asked for (DESIGN.md §4.5): a decision stores its
// intents on its case in its own transaction; the common reliable-delivery dispatcher
// (common/reliable_delivery.h) calls IssueRegistry.ReopenIssue for each pending one, with a
// request_id derived from the case and the issue, until the registry confirms. Each attempt's
// outcome is recorded on the case with its history and event.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "accountability-service/storage/case_store.h"
#include "common/reliable_delivery.h"

namespace rectify::accountability {

// Asks the issue registry to reopen an issue for an accountability finding.
class IssueReopener {
 public:
  virtual ~IssueReopener() = default;
  virtual absl::Status Reopen(int64_t issue_id, int64_t case_id, const std::string& explanation,
                              absl::Time deadline) = 0;
};

// What the registry is told, the same on every attempt (so that a retry is the same request).
std::string ReopenExplanation(const Case& c);

// The reopenings pending on cases: intents are (case, issue).
class CaseReopenings final : public DeliveryBook {
 public:
  CaseReopenings(CaseStore& store, const Principal& service) : store_(store), service_(service) {}

  absl::StatusOr<std::vector<DeliveryIntent>> Due(absl::Time now, int limit) override;
  absl::StatusOr<bool> Record(const DeliveryIntent& intent, const DeliveryResult& result,
                              absl::Time now) override;
  int Attempts(const DeliveryIntent& intent) override;

 private:
  CaseStore& store_;
  Principal service_;
};

class ReopenDispatcher {
 public:
  ReopenDispatcher(CaseStore& store, IssueReopener& reopener, const Principal& service);

  // Delivers what is due now; returns how many deliveries were settled (delivered or skipped).
  absl::StatusOr<int> RunOnce(absl::Time now) { return dispatcher_.RunOnce(now); }
  // Loops until Stop(): wakes on Notify() (a decision committed) or every `poll`.
  void Run(absl::Duration poll) { dispatcher_.Run(poll); }
  void Notify() { dispatcher_.Notify(); }
  void Stop() { dispatcher_.Stop(); }

 private:
  CaseReopenings book_;
  ReliableDispatcher dispatcher_;
};

}  // namespace rectify::accountability
