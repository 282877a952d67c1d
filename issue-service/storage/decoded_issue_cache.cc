#include "issue-service/storage/decoded_issue_cache.h"

#include "issue-service/domain/codec.h"

namespace rectify::issues {

absl::StatusOr<Issue> DecodedIssueCache::Decode(int64_t id, int64_t version, std::string body) {
  Shard& shard = shards_[static_cast<uint64_t>(id) % kShards];
  std::shared_ptr<const Issue> known;
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.entries.find(id);
    if (it != shard.entries.end() && it->second.body == body) known = it->second.issue;
  }
  if (known) {
    Issue issue = *known;
    issue.version = version;
    return issue;
  }
  auto decoded = IssueFromJson(body);
  if (!decoded.ok()) return decoded.status();
  decoded->id = id;
  decoded->version = version;
  auto shared = std::make_shared<const Issue>(*decoded);
  absl::MutexLock lock(&shard.mu);
  if (shard.entries.size() >= per_shard_) shard.entries.clear();
  shard.entries.insert_or_assign(id, Entry{std::move(body), std::move(shared)});
  return decoded;
}

}  // namespace rectify::issues
