// Transfers for accountability (移交问责): a TRANSFER escalation owes an accountability case.
// The intent is stored in the escalation's own transaction (storage); the common reliable-delivery
// dispatcher (common/reliable_delivery.h) asks accountability to open the case, with the
// escalation as the case's transfer_id, until it confirms; each outcome is recorded on the
// escalation with its history and event.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth.h"
#include "common/reliable_delivery.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

// What accountability is asked to open.
struct CaseRequest {
  std::string transfer_id;  // "supervision/escalations/7": the same on every attempt
  int64_t issue_id = 0;
  std::string region_code;
  std::string subject_org_id;
  std::string summary;
};

// Asks accountability to open a case; returns its id.
class CaseOpener {
 public:
  virtual ~CaseOpener() = default;
  virtual absl::StatusOr<int64_t> OpenCase(const CaseRequest& request, absl::Time deadline) = 0;
};

// The case a transfer asks for, the same on every attempt.
CaseRequest CaseRequestFor(const Escalation& transfer);

// The transfers pending in the stored intents, whose outcomes are also recorded on the
// escalations.
class TransferBook final : public DeliveryBook {
 public:
  TransferBook(DeliveryBook& intents, EscalationStore& store, const Principal& service)
      : intents_(intents), store_(store), service_(service) {}

  absl::StatusOr<std::vector<DeliveryIntent>> Due(absl::Time now, int limit) override {
    return intents_.Due(now, limit);
  }
  absl::StatusOr<bool> Record(const DeliveryIntent& intent, const DeliveryResult& result,
                              absl::Time now) override;
  int Attempts(const DeliveryIntent& intent) override { return intents_.Attempts(intent); }

  // The case id accountability answered for an intent being delivered (set by the deliverer).
  void NoteCase(int64_t escalation_id, int64_t case_id);

 private:
  DeliveryBook& intents_;
  EscalationStore& store_;
  Principal service_;
  absl::Mutex mu_;
  std::map<int64_t, int64_t> cases_ ABSL_GUARDED_BY(mu_);
};

class TransferDispatcher {
 public:
  TransferDispatcher(DeliveryBook& intents, EscalationStore& store, CaseOpener& opener,
                     const Principal& service);

  absl::StatusOr<int> RunOnce(absl::Time now) { return dispatcher_.RunOnce(now); }
  void Run(absl::Duration poll) { dispatcher_.Run(poll); }
  void Notify() { dispatcher_.Notify(); }
  void Stop() { dispatcher_.Stop(); }

 private:
  absl::Status Deliver(const DeliveryIntent& intent);

  EscalationStore& store_;
  CaseOpener& opener_;
  TransferBook book_;
  ReliableDispatcher dispatcher_;
};

}  // namespace rectify::supervision
