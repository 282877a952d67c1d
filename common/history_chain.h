// Tamper-evident history: an append-only, per-resource chain whose records each hold the
// SHA-256 of the previous record, computed over a canonical encoding of the change (resource,
// sequence, action, actor, time, payload). Editing, deleting or reordering a stored record
// breaks every hash after it, and VerifyChain names the first record that does not match.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/mysql/pool.h"

namespace rectify {

struct HistoryRecord {
  std::string resource;  // "issues/42"
  int64_t seq = 0;       // 1, 2, 3 ... per resource
  std::string action;    // "issue.assigned"
  std::string actor;
  std::string actor_org;
  absl::Time time;
  std::string payload_json;
  std::string prev_hash;  // hex; 64 zeros for the first record
  std::string hash;       // hex
};

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The exact bytes hashed; stable across versions of this code (change it only with a new tag).
std::string CanonicalEncoding(const HistoryRecord& record);
std::string ComputeHash(const HistoryRecord& record);

struct ChainCheck {
  bool ok = true;
  int64_t first_bad_seq = 0;
  std::string problem;  // what differs at first_bad_seq
};

// Checks records given in sequence order.
ChainCheck VerifyChain(const std::vector<HistoryRecord>& records);

// Storage of the chain in a service's `history` table. Call Append inside the transaction that
// makes the change, after the resource row is locked, so appends to one resource never race.
struct HistoryHead {
  int64_t seq = 0;  // 0: no record yet
  std::string hash = kGenesisHash;
};

class HistoryStore {
 public:
  // Fills seq, prev_hash and hash, writes the record and returns it. Reads the chain's head
  // unless the caller already knows it (a resource row may carry its head to save a query).
  static HistoryRecord Append(mysql::Tx& tx, HistoryRecord record,
                              std::optional<HistoryHead> head = std::nullopt);
  static std::vector<HistoryRecord> Load(mysql::Connection& conn, const std::string& resource);
  // A page: records after `from_seq` oldest first, or before it newest first (0: from the end).
  static std::vector<HistoryRecord> LoadPage(mysql::Connection& conn, const std::string& resource,
                                             bool newest_first, int64_t from_seq, int limit);
};

}  // namespace rectify
