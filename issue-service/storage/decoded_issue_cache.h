// Issues as decoded from their stored JSON body, kept by id. Decoding the body is most of the
// CPU a read costs (a page of 50 issues is 50 JSON documents); the bytes of a stored body
// decide the issue completely, so an entry is used only when the row's body is byte-for-byte
// the one it was decoded from. No invalidation is needed, whoever wrote the row.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

class DecodedIssueCache {
 public:
  // About `capacity` issues are kept; a full shard starts over.
  explicit DecodedIssueCache(size_t capacity = 10000) : per_shard_(capacity / kShards + 1) {}

  // The issue stored as `body` with this id and version, decoded once.
  absl::StatusOr<Issue> Decode(int64_t id, int64_t version, std::string body);

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    std::string body;
    std::shared_ptr<const Issue> issue;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<int64_t, Entry> entries ABSL_GUARDED_BY(mu);
  };
  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace rectify::issues
