#include "common/history_chain.h"

#include <functional>

#include "gtest/gtest.h"

namespace rectify {
namespace {

std::vector<HistoryRecord> MakeChain(int n) {
  std::vector<HistoryRecord> chain;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    HistoryRecord r;
    r.resource = "issues/7";
    r.seq = i;
    r.action = i == 1 ? "issue.created" : "issue.updated";
    r.actor = "alice";
    r.actor_org = "hlj-office";
    r.time = absl::FromUnixMicros(1700000000000000 + i);
    r.payload_json = R"({"a":1,"b":2})";
    r.prev_hash = prev;
    r.hash = ComputeHash(r);
    prev = r.hash;
    chain.push_back(r);
  }
  return chain;
}

TEST(HistoryChainTest, AnIntactChainVerifies) {
  EXPECT_TRUE(VerifyChain(MakeChain(5)).ok);
  EXPECT_TRUE(VerifyChain({}).ok);
}

TEST(HistoryChainTest, ThePayloadIsHashedByteForByte) {
  auto chain = MakeChain(1);
  auto reformatted = chain[0];
  reformatted.payload_json = R"({"b":2,"a":1})";
  EXPECT_NE(ComputeHash(reformatted), chain[0].hash);
}

TEST(HistoryChainTest, EveryFieldIsCovered) {
  auto base = MakeChain(1)[0];
  std::vector<std::function<void(HistoryRecord&)>> edits = {
      [](auto& r) { r.resource = "issues/8"; },   [](auto& r) { r.seq = 2; },
      [](auto& r) { r.action = "issue.closed"; }, [](auto& r) { r.actor = "bob"; },
      [](auto& r) { r.actor_org = "hlj-deee"; },  [](auto& r) { r.time += absl::Microseconds(1); },
      [](auto& r) { r.prev_hash[0] = '1'; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    auto r = base;
    edits[i](r);
    EXPECT_NE(ComputeHash(r), base.hash) << i;
  }
}

TEST(HistoryChainTest, AnEditedRecordIsNamed) {
  auto chain = MakeChain(5);
  chain[2].payload_json = R"({"a":1,"b":3})";
  auto check = VerifyChain(chain);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad_seq, 3);
  EXPECT_EQ(check.problem, "content does not match its hash");
}

TEST(HistoryChainTest, ARecomputedHashStillBreaksTheNextLink) {
  auto chain = MakeChain(5);
  chain[1].actor = "mallory";
  chain[1].hash = ComputeHash(chain[1]);
  auto check = VerifyChain(chain);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad_seq, 3);
  EXPECT_EQ(check.problem, "prev_hash does not match the previous record");
}

TEST(HistoryChainTest, ADeletedRecordIsNamed) {
  auto chain = MakeChain(5);
  chain.erase(chain.begin() + 3);
  auto check = VerifyChain(chain);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad_seq, 4);
}

}  // namespace
}  // namespace rectify
