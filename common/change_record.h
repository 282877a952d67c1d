// A change as every service records it: a record in the resource's history chain and an event
// in the outbox, both written in the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/history_chain.h"
#include "common/outbox.h"

namespace rectify {

// Returns the new head of the resource's chain.
HistoryHead RecordChange(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                         const std::string& resource, const std::string& type,
                         const std::string& payload, std::optional<HistoryHead> head);

// Many changes by one actor in one transaction, written with a few multi-row statements (a
// sweep's batch). Each change follows its resource's head as given, or the change before it in
// the batch to the same resource; `head` is set to the resource's new head.
struct PendingChange {
  std::string resource;
  std::string type;
  std::string payload;
  HistoryHead head;
};
void RecordChanges(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                   std::vector<PendingChange>& changes);

}  // namespace rectify
