// Issues decoded once from their stored bodies (issue-service/storage).
#include "issue-service/storage/decoded_issue_cache.h"

#include "gtest/gtest.h"
#include "issue-service/domain/codec.h"

namespace rectify::issues {
namespace {

TEST(DecodedIssueCacheTest, AnEntryIsUsedOnlyForTheBytesItWasDecodedFrom) {
  DecodedIssueCache cache(4);
  Issue issue;
  issue.title = "第一稿";
  std::string first = Dump(ToJson(issue));
  issue.title = "改写";
  std::string second = Dump(ToJson(issue));

  auto a = cache.Decode(7, 1, first);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->title, "第一稿");
  EXPECT_EQ(a->id, 7);
  // The same id and version with other bytes (a row rewritten behind the service's back) is
  // decoded again, not answered from the cache.
  auto b = cache.Decode(7, 1, second);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->title, "改写");
  auto c = cache.Decode(7, 2, second);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->version, 2);
  EXPECT_EQ(cache.Decode(8, 1, "not json").status().code(), absl::StatusCode::kInternal);
  // Beyond its capacity the cache starts over and still answers right.
  for (int id = 100; id < 200; ++id) ASSERT_TRUE(cache.Decode(id, 1, first).ok());
  EXPECT_EQ(cache.Decode(7, 3, first)->title, "第一稿");
}

}  // namespace
}  // namespace rectify::issues
