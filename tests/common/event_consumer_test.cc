// A consumer follows a real issue-service's event stream into its own schema, exactly once.
#include "common/event_consumer.h"

#include <thread>

#include "gtest/gtest.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
namespace {

using testing::IssueServiceHarness;
using testing::TestDatabase;

const std::vector<mysql::Migration> kConsumerSchema = {
    {1, "V001__consumer.sql",
     "CREATE TABLE consumer_cursors (source VARCHAR(64) NOT NULL PRIMARY KEY, cursor_value "
     "BIGINT NOT NULL, update_time DATETIME(6) NOT NULL);\n"
     "CREATE TABLE effects (cursor_value BIGINT NOT NULL PRIMARY KEY, type VARCHAR(64) NOT NULL);"},
};

class EventConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    producer_ = IssueServiceHarness::Start();
    if (!producer_) GTEST_SKIP();
    db_ = TestDatabase::Create(kConsumerSchema);
    if (!db_) GTEST_SKIP();
    pool_ = std::make_unique<mysql::Pool>(db_->service_account(), 2);
    stub_ = v1::IssueRegistry::NewStub(
        grpc::CreateChannel(producer_->address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<EventConsumer> MakeConsumer() {
    return std::make_unique<EventConsumer>(
        *pool_, "issue-service", [](mysql::Tx& tx, const v1::Event& e) {
          // A primary key on the cursor: a second application would fail loudly.
          tx.conn().Exec("INSERT INTO effects (cursor_value, type) VALUES (?, ?)", e.cursor(),
                         e.type());
          return absl::OkStatus();
        });
  }

  EventConsumer::OpenStream Opener() {
    std::string token =
        "Bearer " + producer_->Token(Role::kService, "supervision-service", "230000");
    return [this, token](grpc::ClientContext* ctx, const v1::WatchEventsRequest& req) {
      ctx->AddMetadata("authorization", token);
      return stub_->WatchEvents(ctx, req);
    };
  }

  int64_t CreateIssue() {
    v1::CreateIssueRequest req;
    req.mutable_issue()->set_title("事件");
    req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
    req.mutable_issue()->set_category(v1::Issue::AIR);
    req.mutable_issue()->set_region_code("230102");
    v1::Issue out;
    EXPECT_TRUE(stub_->CreateIssue(producer_->Context(producer_->Office()).get(), req, &out).ok());
    return out.id();
  }

  int64_t Effects() {
    return *mysql::ReadFor<int64_t>(*pool_, absl::Now() + absl::Seconds(5),
                                    [](mysql::Connection& c) -> absl::StatusOr<int64_t> {
                                      auto rs = c.Query("SELECT COUNT(*) AS n FROM effects");
                                      rs->next();
                                      return static_cast<int64_t>(rs->getInt64("n"));
                                    });
  }

  std::unique_ptr<IssueServiceHarness> producer_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<mysql::Pool> pool_;
  std::unique_ptr<v1::IssueRegistry::Stub> stub_;
};

TEST_F(EventConsumerTest, AppliesEachEventOnceAcrossARestartOfTheConsumer) {
  for (int i = 0; i < 3; ++i) CreateIssue();
  auto consumer = MakeConsumer();
  std::thread runner([&] { consumer->Run(Opener()); });
  ASSERT_TRUE(consumer->WaitForCursor(3, absl::Now() + absl::Seconds(20)));
  EXPECT_EQ(Effects(), 3);

  // Delivered again (a producer replaying after a crash): skipped.
  v1::Event again;
  again.set_cursor(2);
  again.set_type("issue.created");
  auto handled = consumer->Handle(again, absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_FALSE(*handled);
  consumer->Stop();
  runner.join();

  CreateIssue();  // while the consumer is down
  auto restarted = MakeConsumer();
  EXPECT_EQ(*restarted->Cursor(absl::Now() + absl::Seconds(5)), 3);
  std::thread runner2([&] { restarted->Run(Opener()); });
  ASSERT_TRUE(restarted->WaitForCursor(4, absl::Now() + absl::Seconds(20)));
  EXPECT_EQ(Effects(), 4);
  restarted->Stop();
  runner2.join();
}

TEST_F(EventConsumerTest, ResumesWhenTheProducerComesBack) {
  CreateIssue();
  auto consumer = MakeConsumer();
  std::thread runner([&] { consumer->Run(Opener()); });
  ASSERT_TRUE(consumer->WaitForCursor(1, absl::Now() + absl::Seconds(20)));
  producer_->Restart();
  CreateIssue();
  ASSERT_TRUE(consumer->WaitForCursor(2, absl::Now() + absl::Seconds(30)));
  EXPECT_EQ(Effects(), 2);
  consumer->Stop();
  runner.join();
}

TEST_F(EventConsumerTest, AFailedEffectLeavesTheCursorWhereItWas) {
  CreateIssue();
  EventConsumer failing(*pool_, "issue-service", [](mysql::Tx& tx, const v1::Event&) {
    tx.conn().Exec("INSERT INTO effects (cursor_value, type) VALUES (99, 'half')");
    return absl::InternalError("effect failed");
  });
  v1::Event e;
  e.set_cursor(1);
  EXPECT_FALSE(failing.Handle(e, absl::Now() + absl::Seconds(5)).ok());
  EXPECT_EQ(*failing.Cursor(absl::Now() + absl::Seconds(5)), 0);
  EXPECT_EQ(Effects(), 0) << "the effect rolled back with the cursor";
}

TEST_F(EventConsumerTest, ABatchAppliesInOrderOnceAndNothingOfItWhenOneFails) {
  auto consumer = MakeConsumer();
  auto event = [](int64_t cursor) {
    v1::Event e;
    e.set_cursor(cursor);
    e.set_type("issue.created");
    return e;
  };
  auto deadline = [] { return absl::Now() + absl::Seconds(5); };
  EXPECT_EQ(*consumer->HandleBatch({event(1), event(2), event(3)}, deadline()), 3);
  // Already applied ones are skipped; the new ones after them apply.
  EXPECT_EQ(*consumer->HandleBatch({event(2), event(3), event(4)}, deadline()), 1);
  EXPECT_EQ(*consumer->Cursor(deadline()), 4);
  EXPECT_EQ(Effects(), 4);

  EventConsumer picky(*pool_, "issue-service", [](mysql::Tx& tx, const v1::Event& e) {
    tx.conn().Exec("INSERT INTO effects (cursor_value, type) VALUES (?, ?)", e.cursor(), e.type());
    return e.cursor() == 7 ? absl::InternalError("effect failed") : absl::OkStatus();
  });
  EXPECT_FALSE(picky.HandleBatch({event(5), event(6), event(7)}, deadline()).ok());
  EXPECT_EQ(*picky.Cursor(deadline()), 4) << "5 and 6 went back with 7";
  EXPECT_EQ(Effects(), 4);
}

TEST_F(EventConsumerTest, ABacklogIsAppliedWhole) {
  for (int i = 0; i < 250; ++i) CreateIssue();  // more than two batches
  auto consumer = MakeConsumer();
  std::thread runner([&] { consumer->Run(Opener()); });
  ASSERT_TRUE(consumer->WaitForCursor(250, absl::Now() + absl::Seconds(30)));
  EXPECT_EQ(Effects(), 250);
  consumer->Stop();
  runner.join();
}

}  // namespace
}  // namespace rectify
