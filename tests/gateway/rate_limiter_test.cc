// The public callers' token buckets, and the scoping of their request ids, as pure functions of
// the times given (no sleeping).
#include "gateway/rate_limiter.h"

#include "absl/strings/match.h"
#include "gateway/transcode/request_transcoder.h"
#include "gtest/gtest.h"
#include "rectify/v1/issue_registry.pb.h"

namespace rectify::gateway {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1700000000);

TEST(RateLimiterTest, ABurstThenTheRateAndTheWaitIsSaid) {
  RateLimiter limiter({/*per_second=*/2, /*burst=*/3, /*max_clients=*/100});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("10.0.0.1", kNoon), absl::ZeroDuration());
  EXPECT_EQ(limiter.Take("10.0.0.1", kNoon), absl::Milliseconds(500)) << "one token at 2/s";
  EXPECT_EQ(limiter.Take("10.0.0.2", kNoon), absl::ZeroDuration()) << "another client's bucket";
  EXPECT_NEAR(absl::ToDoubleMilliseconds(limiter.Take("10.0.0.1", kNoon + absl::Milliseconds(499))),
              1, 1e-6)
      << "0.998 of a token there";
  EXPECT_EQ(limiter.Take("10.0.0.1", kNoon + absl::Milliseconds(500)), absl::ZeroDuration());
  // Refilled up to the burst, never beyond.
  absl::Time later = kNoon + absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("10.0.0.1", later), absl::ZeroDuration());
  EXPECT_GT(limiter.Take("10.0.0.1", later), absl::ZeroDuration());
}

TEST(RateLimiterTest, TheTableStaysBoundedUnderAFloodOfClients) {
  RateLimiter limiter({1, 1, 64});
  for (int i = 0; i < 10000; ++i) {
    EXPECT_EQ(limiter.Take("c" + std::to_string(i), kNoon), absl::ZeroDuration());
    ASSERT_LE(limiter.clients(), 64u);
  }
  // A client that was just limited is among the most recent, so it is still remembered.
  EXPECT_GT(limiter.Take("c9999", kNoon), absl::ZeroDuration());
  // Refilled buckets are forgotten first: after a while everyone starts afresh.
  for (int i = 0; i < 64; ++i) limiter.Take("d" + std::to_string(i), kNoon + absl::Minutes(1));
  EXPECT_LE(limiter.clients(), 64u);
}

TEST(ScopeRequestIdsTest, AnonymousRequestIdsBecomeTheirAddresssOwn) {
  v1::CreateIssueRequest create;
  create.set_request_id("retry-1");
  ScopeRequestIds(create, "203.0.113.7");
  EXPECT_TRUE(absl::StartsWith(create.request_id(), "anon-")) << create.request_id();
  v1::CreateIssueRequest same, other;
  same.set_request_id("retry-1");
  other.set_request_id("retry-1");
  ScopeRequestIds(same, "203.0.113.7");
  ScopeRequestIds(other, "198.51.100.9");
  EXPECT_EQ(same.request_id(), create.request_id()) << "a retry from the same address is one";
  EXPECT_NE(other.request_id(), create.request_id()) << "another address is another request";
  // Within a message field (an upload's metadata), and none made up where none was given.
  v1::UploadEvidenceRequest upload;
  upload.mutable_metadata()->set_request_id("u-1");
  ScopeRequestIds(upload, "203.0.113.7");
  EXPECT_TRUE(absl::StartsWith(upload.metadata().request_id(), "anon-"));
  v1::CreateIssueRequest none;
  ScopeRequestIds(none, "203.0.113.7");
  EXPECT_EQ(none.request_id(), "");
}

}  // namespace
}  // namespace rectify::gateway
