// A change as every service records it: a record in the resource's history chain and an event
// in the outbox, both written in the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/history_chain.h"
#include "common/outbox.h"

namespace rectify {

// Returns the new head of the resource's chain.
HistoryHead RecordChange(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                         const std::string& resource, const std::string& type,
                         const std::string& payload, std::optional<HistoryHead> head);

}  // namespace rectify
