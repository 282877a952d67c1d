// The reliable-delivery policy with an in-memory book: no server, no database.
#include "common/reliable_delivery.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"

namespace rectify {
namespace {

class MemoryBook final : public DeliveryBook {
 public:
  struct Entry {
    DeliveryOutcome state = DeliveryOutcome::kRetry;  // kRetry: pending
    int attempts = 0;
    absl::Time next = absl::InfinitePast();
    std::string error;
  };
  void Add(int64_t owner, int64_t target) { entries[{owner, target}] = Entry{}; }
  Entry& At(int64_t owner, int64_t target) { return entries[{owner, target}]; }

  absl::StatusOr<std::vector<DeliveryIntent>> Due(absl::Time now, int limit) override {
    std::vector<DeliveryIntent> out;
    for (const auto& [key, e] : entries) {
      if (e.state == DeliveryOutcome::kRetry && e.next <= now &&
          static_cast<int>(out.size()) < limit) {
        out.push_back({key.first, key.second});
      }
    }
    return out;
  }
  absl::StatusOr<bool> Record(const DeliveryIntent& i, const DeliveryResult& r,
                              absl::Time) override {
    Entry& e = entries[{i.owner_id, i.target_id}];
    e.attempts += 1;
    e.state = r.outcome;
    e.error = r.error;
    if (r.outcome == DeliveryOutcome::kRetry) e.next = r.next_attempt;
    return r.outcome != DeliveryOutcome::kRetry;
  }
  int Attempts(const DeliveryIntent& i) override {
    return entries[{i.owner_id, i.target_id}].attempts;
  }

  std::map<std::pair<int64_t, int64_t>, Entry> entries;
};

TEST(ReliableDispatcherTest,
     DeliversUntilConfirmedBackingOffAndSettlesWhatAskingAgainCannotChange) {
  MemoryBook book;
  book.Add(1, 10);  // the receiver is down at first
  book.Add(2, 20);  // the receiver says there is nothing to do
  bool receiver_up = false;
  std::vector<std::pair<int64_t, int64_t>> sent;
  ReliableDispatcher dispatcher("test", book, [&](const DeliveryIntent& i) -> absl::Status {
    sent.push_back({i.owner_id, i.target_id});
    if (i.target_id == 20) return absl::FailedPreconditionError("issue 20 is not closed");
    if (!receiver_up) return absl::UnavailableError("connection refused");
    return absl::OkStatus();
  });
  absl::Time t0 = absl::FromUnixSeconds(1700000000);

  ASSERT_EQ(*dispatcher.RunOnce(t0), 1);  // 20 is settled as skipped, 10 waits
  EXPECT_EQ(book.At(2, 20).state, DeliveryOutcome::kSkipped);
  EXPECT_EQ(book.At(2, 20).error, "issue 20 is not closed");
  EXPECT_EQ(book.At(1, 10).state, DeliveryOutcome::kRetry);
  EXPECT_EQ(book.At(1, 10).next, t0 + ReliableDispatcher::Backoff(1));

  // Not due again before its backoff: nothing is sent.
  sent.clear();
  ASSERT_EQ(*dispatcher.RunOnce(t0 + absl::Milliseconds(500)), 0);
  EXPECT_TRUE(sent.empty());

  receiver_up = true;
  ASSERT_EQ(*dispatcher.RunOnce(t0 + absl::Seconds(10)), 1);
  EXPECT_EQ(book.At(1, 10).state, DeliveryOutcome::kDelivered);
  EXPECT_EQ(book.At(1, 10).attempts, 2);
  EXPECT_EQ(sent, (std::vector<std::pair<int64_t, int64_t>>{{1, 10}}));
}

TEST(ReliableDispatcherTest, BackoffDoublesAndIsCapped) {
  EXPECT_EQ(ReliableDispatcher::Backoff(1), absl::Seconds(2));
  EXPECT_EQ(ReliableDispatcher::Backoff(2), absl::Seconds(4));
  EXPECT_EQ(ReliableDispatcher::Backoff(30), absl::Minutes(5));
  EXPECT_TRUE(ReliableDispatcher::IsPermanent(absl::NotFoundError("gone")));
  EXPECT_FALSE(ReliableDispatcher::IsPermanent(absl::DeadlineExceededError("slow")));
}

}  // namespace
}  // namespace rectify
