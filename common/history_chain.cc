#include "common/history_chain.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace rectify {
namespace {

void Field(std::string* out, absl::string_view name, absl::string_view value) {
  absl::StrAppend(out, name, ":", value.size(), ":", value, "\n");
}

}  // namespace

std::string CanonicalEncoding(const HistoryRecord& r) {
  std::string out = "rectify-history/1\n";
  Field(&out, "resource", r.resource);
  Field(&out, "seq", absl::StrCat(r.seq));
  Field(&out, "action", r.action);
  Field(&out, "actor", r.actor);
  Field(&out, "actor_org", r.actor_org);
  Field(&out, "time", absl::StrCat(absl::ToUnixMicros(r.time)));
  // The payload is hashed as stored. Writers produce it as canonical JSON (sorted keys, no
  // insignificant white space), so equal changes give equal hashes.
  Field(&out, "payload", r.payload_json);
  Field(&out, "prev", r.prev_hash);
  return out;
}

std::string ComputeHash(const HistoryRecord& r) { return crypto::Sha256Hex(CanonicalEncoding(r)); }

ChainCheck VerifyChain(const std::vector<HistoryRecord>& records) {
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  for (const auto& r : records) {
    if (r.seq != expected_seq) {
      return {false, expected_seq, absl::StrCat("record ", expected_seq, " is missing")};
    }
    if (r.prev_hash != prev) {
      return {false, r.seq, "prev_hash does not match the previous record"};
    }
    if (ComputeHash(r) != r.hash) {
      return {false, r.seq, "content does not match its hash"};
    }
    prev = r.hash;
    ++expected_seq;
  }
  return {};
}

}  // namespace rectify
