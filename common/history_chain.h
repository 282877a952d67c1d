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

// The head of a resource's chain: its last record's sequence and hash.
struct HistoryHead {
  int64_t seq = 0;  // 0: no record yet
  std::string hash = kGenesisHash;
};

}  // namespace rectify
