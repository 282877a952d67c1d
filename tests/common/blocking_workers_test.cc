// The workers that run blocking work for the callback server, and the stream caps.
#include "common/blocking_workers.h"

#include <string>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "common/rpc.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

// Occupies the only worker until released.
class BusyWorker {
 public:
  explicit BusyWorker(BlockingWorkers& workers) {
    EXPECT_TRUE(workers
                    .Submit("busy", absl::InfiniteFuture(),
                            [this](absl::Status) {
                              started_.Notify();
                              release_.WaitForNotification();
                            })
                    .ok());
    started_.WaitForNotification();
  }
  void Release() { release_.Notify(); }

 private:
  absl::Notification started_;
  absl::Notification release_;
};

TEST(BlockingWorkersTest, OwnersAreServedInTurnSoOneCallerCannotStarveAnother) {
  BlockingWorkers workers(1, 100, 100);
  BusyWorker busy(workers);
  absl::Mutex mu;
  std::vector<std::string> order;
  absl::BlockingCounter done(5);
  auto record = [&](std::string name) {
    return [&, name](absl::Status turn) {
      EXPECT_TRUE(turn.ok());
      absl::MutexLock lock(&mu);
      order.push_back(name);
      done.DecrementCount();
    };
  };
  for (const char* name : {"a1", "a2", "a3", "a4"}) {
    ASSERT_TRUE(workers.Submit("flooder", absl::InfiniteFuture(), record(name)).ok());
  }
  ASSERT_TRUE(workers.Submit("other", absl::InfiniteFuture(), record("b1")).ok());
  busy.Release();
  done.Wait();
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "b1", "a2", "a3", "a4"}));
}

TEST(BlockingWorkersTest, WorkWhoseDeadlinePassedInTheQueueIsToldSoInsteadOfRun) {
  BlockingWorkers workers(1, 100, 100);
  BusyWorker busy(workers);
  absl::Notification ran;
  absl::Status seen;
  ASSERT_TRUE(workers
                  .Submit("late", absl::InfinitePast(),
                          [&](absl::Status turn) {
                            seen = turn;
                            ran.Notify();
                          })
                  .ok());
  busy.Release();
  ran.WaitForNotification();
  EXPECT_EQ(seen.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(workers.Stats().expired, 1);
}

TEST(BlockingWorkersTest, AFullQueueRefusesAndIsSaturatedUntilHalfDrained) {
  BlockingWorkers workers(1, 4, 4);
  absl::Mutex mu;
  std::vector<bool> changes;
  workers.OnSaturationChange([&](bool saturated) {
    absl::MutexLock lock(&mu);
    changes.push_back(saturated);
  });
  BusyWorker busy(workers);
  absl::BlockingCounter done(4);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(
        workers.Submit("c", absl::InfiniteFuture(), [&](absl::Status) { done.DecrementCount(); })
            .ok());
  }
  absl::Status refused = workers.Submit("c", absl::InfiniteFuture(), [](absl::Status) {});
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(workers.Stats().saturated);
  busy.Release();
  done.Wait();
  // Destruction joins the worker, after which every change has been reported.
  absl::MutexLock lock(&mu);
  ASSERT_FALSE(changes.empty());
  EXPECT_TRUE(changes.front());
}

TEST(BlockingWorkersTest, ACallerThatFloodsTheQueueIsRefusedAloneAndOthersStillGetIn) {
  BlockingWorkers workers(1, 100, 3);
  BusyWorker busy(workers);
  absl::BlockingCounter done(4);
  auto work = [&](absl::Status) { done.DecrementCount(); };
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(workers.Submit("flooder", absl::InfiniteFuture(), work).ok());
  absl::Status refused = workers.Submit("flooder", absl::InfiniteFuture(), work);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("you have 3 calls waiting"), std::string::npos);
  EXPECT_FALSE(workers.Stats().saturated) << "the service is not full: one caller is";
  EXPECT_TRUE(workers.Submit("someone-else", absl::InfiniteFuture(), work).ok());
  busy.Release();
  done.Wait();
}

TEST(StreamLimiterTest, StreamsAreCappedPerCallerAndInTotal) {
  StreamLimiter limiter(2, 3);
  std::vector<bool> changes;
  limiter.OnSaturationChange([&](bool saturated) { changes.push_back(saturated); });
  auto a1 = limiter.Acquire("a");
  auto a2 = limiter.Acquire("a");
  ASSERT_TRUE(a1.ok() && a2.ok());
  auto a3 = limiter.Acquire("a");
  EXPECT_EQ(a3.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(a3.status().message().find("at most 2"), std::string::npos);
  auto b1 = limiter.Acquire("b");
  ASSERT_TRUE(b1.ok());
  auto c1 = limiter.Acquire("c");
  EXPECT_EQ(c1.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(changes, std::vector<bool>{true});
  EXPECT_EQ(limiter.open(), 3);
  b1->Release();
  EXPECT_EQ(changes, (std::vector<bool>{true, false}));
  EXPECT_TRUE(limiter.Acquire("c").ok());  // released again at the end of the statement
  a1 = absl::UnavailableError("dropped");  // releases a1's slot
  EXPECT_EQ(limiter.open(), 1);
}

}  // namespace
}  // namespace rectify
