// The platform's `delivery_intents` table (common/schema) as a DeliveryBook: one kind of
// delivery per book, e.g. "accountability.open_case" for supervision's transfers. An intent is
// added inside the transaction of the change that makes the promise, so the two commit together.
#pragma once

#include <string>
#include <vector>

#include "common/mysql/pool.h"
#include "common/reliable_delivery.h"

namespace rectify::mysql {

class StoredDeliveries final : public DeliveryBook {
 public:
  StoredDeliveries(Pool& pool, std::string kind) : pool_(pool), kind_(std::move(kind)) {}

  // Inside the caller's transaction; a repeated intent is the same intent.
  static void Add(Tx& tx, const std::string& kind, const DeliveryIntent& intent, absl::Time now);

  // Records an attempt's result inside the caller's transaction (with what the owner records of
  // it, so the two commit together). Returns whether the intent is settled now.
  static bool RecordIn(Tx& tx, const std::string& kind, const DeliveryIntent& intent,
                       const DeliveryResult& result, absl::Time now);

  absl::StatusOr<std::vector<DeliveryIntent>> Due(absl::Time now, int limit) override;
  absl::StatusOr<bool> Record(const DeliveryIntent& intent, const DeliveryResult& result,
                              absl::Time now) override;
  int Attempts(const DeliveryIntent& intent) override;

 private:
  Pool& pool_;
  const std::string kind_;
};

}  // namespace rectify::mysql
