// Storage of the history chain (common/history_chain.h) in a service's `history` table. Call
// Append inside the transaction that makes the change, after the resource row is locked, so
// appends to one resource never race.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/history_chain.h"
#include "common/mysql/pool.h"

namespace rectify {

class HistoryStore {
 public:
  // Fills seq, prev_hash and hash, writes the record and returns it. Reads the chain's head
  // unless the caller already knows it (a resource row may carry its head to save a query).
  static HistoryRecord Append(mysql::Tx& tx, HistoryRecord record,
                              std::optional<HistoryHead> head = std::nullopt);
  // Fills seq, prev_hash and hash of a record that follows `head`, without writing it.
  static HistoryRecord Link(HistoryRecord record, const HistoryHead& head);
  // Writes linked records with a few multi-row statements.
  static void WriteAll(mysql::Tx& tx, const std::vector<HistoryRecord>& records);
  static std::vector<HistoryRecord> Load(mysql::Connection& conn, const std::string& resource);
  // A page: records after `from_seq` oldest first, or before it newest first (0: from the end).
  static std::vector<HistoryRecord> LoadPage(mysql::Connection& conn, const std::string& resource,
                                             bool newest_first, int64_t from_seq, int limit);
};

}  // namespace rectify
