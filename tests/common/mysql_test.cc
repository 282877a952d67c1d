// The shared MySQL layer against a real MariaDB: transactions, error mapping, the pool's bounds,
// migrations, the outbox horizon and the history chain's storage.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/change_record.h"
#include "common/history_chain.h"
#include "common/mysql/delivery_intents.h"
#include "common/mysql/history_store.h"
#include "common/mysql/migrations.h"
#include "common/mysql/pool.h"
#include "common/mysql/row_batch.h"
#include "common/outbox.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/test_database.h"

namespace rectify {
namespace {

using testing::TestDatabase;

const std::vector<mysql::Migration> kMigrations = {
    {1, "V001__things.sql",
     "CREATE TABLE things (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL);\n"
     "CREATE TABLE outbox (seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, event_type "
     "VARCHAR(64) NOT NULL, resource VARCHAR(128) NOT NULL, actor VARCHAR(128) NOT NULL, "
     "actor_org VARCHAR(64) NOT NULL, payload LONGTEXT NOT NULL, create_time DATETIME(6) NOT "
     "NULL);\n"},
    {2, "V002__history.sql",
     "-- a comment; with a semicolon\n"
     "CREATE TABLE history (resource VARCHAR(128) NOT NULL, seq BIGINT NOT NULL, action "
     "VARCHAR(64) NOT NULL, actor VARCHAR(128) NOT NULL, actor_org VARCHAR(64) NOT NULL, "
     "occurred_at DATETIME(6) NOT NULL, payload LONGTEXT NOT NULL, prev_hash CHAR(64) NOT NULL, "
     "hash CHAR(64) NOT NULL, PRIMARY KEY (resource, seq));\n"
     "INSERT INTO things VALUES (100, 'semi;colon');"},
};

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

class MysqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::Create(kMigrations);
    if (!db_) GTEST_SKIP();
    pool_ = std::make_unique<mysql::Pool>(db_->service_account(), 4);
  }
  int64_t Count() {
    return *mysql::ReadFor<int64_t>(*pool_, Deadline(), [](mysql::Connection& c) {
      auto rs = c.Query("SELECT COUNT(*) AS n FROM things");
      rs->next();
      return absl::StatusOr<int64_t>(rs->getInt64("n"));
    });
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<mysql::Pool> pool_;
};

TEST(SplitStatementsTest, SplitsOutsideQuotesAndComments) {
  auto parts = mysql::SplitStatements(
      "-- lead; comment\nCREATE TABLE a (x INT);\nINSERT INTO a VALUES (';'), (\"a;b\");\n\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x INT)");
  EXPECT_EQ(parts[1], "INSERT INTO a VALUES (';'), (\"a;b\")");
}

TEST(SplitStatementsTest, ReadsDelimiterLinesForRoutineBodies) {
  auto parts = mysql::SplitStatements(
      "CREATE TABLE a (x INT);\nDELIMITER //\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW\n"
      "BEGIN\n  SET @n = 1;\n  SET @m = 2;\nEND //\nDELIMITER ;\nSELECT 1;\n");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(
      parts[1],
      "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW\nBEGIN\n  SET @n = 1;\n  SET @m = 2;\nEND");
  EXPECT_EQ(parts[2], "SELECT 1");
}

TEST_F(MysqlTest, MigrationsRanAndRerunningAppliesNothing) {
  EXPECT_EQ(Count(), 1);  // the row V002 inserted
  auto report = mysql::Migrate(db_->migration_account(), kMigrations, {});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->applied, 0);
  EXPECT_EQ(report->already_applied,
            static_cast<int>(kMigrations.size() + PlatformMigrations().size()));
}

TEST_F(MysqlTest, EverySchemaGetsThePlatformTablesAndServicesCannotTakeTheirVersions) {
  for (const char* table :
       {"idempotency", "history", "outbox", "consumer_cursors", "delivery_intents"}) {
    auto n = mysql::ReadFor<int64_t>(
        *pool_, Deadline(), [&](mysql::Connection& c) -> absl::StatusOr<int64_t> {
          auto rs = c.Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table));
          rs->next();
          return static_cast<int64_t>(rs->getInt64("n"));
        });
    EXPECT_TRUE(n.ok()) << table << ": " << n.status();
  }
  auto clashing = kMigrations;
  clashing.push_back({mysql::kFirstPlatformVersion, "V9001__mine.sql", "SELECT 1;"});
  EXPECT_EQ(mysql::Migrate(db_->migration_account(), clashing, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MysqlTest, AnAppliedMigrationThatChangedIsRefused) {
  auto changed = kMigrations;
  changed[0].sql += "-- edited\n";
  auto report = mysql::Migrate(db_->migration_account(), changed, {});
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(report.status()), "MIGRATION_CHANGED");
}

TEST_F(MysqlTest, TheServiceAccountCannotChangeTheSchema) {
  auto status = pool_->Read(Deadline(), [](mysql::Connection& c) {
    c.Execute("DROP TABLE things");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "internal storage error") << "no SQL text leaks to callers";
}

TEST_F(MysqlTest, TheServiceAccountMayOnlyAppendToHistory) {
  auto write = [&](const std::string& sql) {
    return pool_->Read(Deadline(), [&](mysql::Connection& c) {
      c.Execute(sql);
      return absl::OkStatus();
    });
  };
  EXPECT_TRUE(write("INSERT INTO history VALUES ('things/1', 1, 'a', 'b', 'c', NOW(), '{}', "
                    "'p', 'h')")
                  .ok());
  EXPECT_FALSE(write("UPDATE history SET payload = 'forged'").ok());
  EXPECT_FALSE(write("DELETE FROM history").ok());
  EXPECT_TRUE(write("UPDATE things SET name = 'ok'").ok());
}

TEST_F(MysqlTest, ATransactionCommitsOnOkAndRollsBackOnError) {
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [](mysql::Tx& tx) {
                               tx.conn().Exec("INSERT INTO things VALUES (1, 'a')");
                               return absl::OkStatus();
                             })
                  .ok());
  auto status = pool_->Transact(Deadline(), [](mysql::Tx& tx) {
    tx.conn().Exec("INSERT INTO things VALUES (2, 'b')");
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(), 2);
}

TEST_F(MysqlTest, DuplicateKeyIsAlreadyExistsAndLeavesNothingHalfWritten) {
  auto status = pool_->Transact(Deadline(), [](mysql::Tx& tx) {
    tx.conn().Exec("INSERT INTO things VALUES (?, ?)", int64_t{5}, std::string("x"));
    tx.conn().Exec("INSERT INTO things VALUES (?, ?)", int64_t{5}, std::string("y"));
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(), 1);
}

TEST_F(MysqlTest, OnFinishReportsWhetherTheTransactionCommitted) {
  std::vector<bool> seen;
  (void)pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
    tx.OnFinish([&](bool committed) { seen.push_back(committed); });
    return absl::OkStatus();
  });
  (void)pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
    tx.OnFinish([&](bool committed) { seen.push_back(committed); });
    return absl::AbortedError("no");
  });
  EXPECT_EQ(seen, (std::vector<bool>{true, false}));
}

TEST_F(MysqlTest, WaitingForAConnectionIsBoundedByTheDeadline) {
  mysql::Pool small(db_->service_account(), 1);
  absl::Notification holding, release;
  std::thread holder([&] {
    (void)small.Read(Deadline(), [&](mysql::Connection&) {
      holding.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    });
  });
  holding.WaitForNotification();
  auto status = small.Read(absl::Now() + absl::Milliseconds(50),
                           [](mysql::Connection&) { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  release.Notify();
  holder.join();
  EXPECT_TRUE(small.Read(Deadline(), [](mysql::Connection&) { return absl::OkStatus(); }).ok());
}

TEST_F(MysqlTest, AWrongPasswordIsUnavailableNotInternal) {
  auto options = db_->service_account();
  options.password = "wrong";
  EXPECT_EQ(mysql::Connect(options).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(MysqlTest, DeadlocksAreRetriedUntilTheyCommit) {
  ASSERT_TRUE(db_->AdminExecute("INSERT INTO things VALUES (1, 'a'), (2, 'b')").ok());
  absl::Notification a_locked, b_locked;
  std::atomic<int> attempts{0};
  auto worker = [&](int64_t first, int64_t second, absl::Notification& mine,
                    absl::Notification& theirs) {
    return pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
      int attempt = attempts++;
      tx.conn().Exec("UPDATE things SET name = 'x' WHERE id = ?", first);
      if (attempt < 2) {
        mine.Notify();
        theirs.WaitForNotification();
      }
      tx.conn().Exec("UPDATE things SET name = 'y' WHERE id = ?", second);
      return absl::OkStatus();
    });
  };
  absl::Status sa, sb;
  std::thread ta([&] { sa = worker(1, 2, a_locked, b_locked); });
  std::thread tb([&] { sb = worker(2, 1, b_locked, a_locked); });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa;
  EXPECT_TRUE(sb.ok()) << sb;
  EXPECT_GE(attempts.load(), 3) << "one side was chosen as the deadlock victim and retried";
}

OutboxEvent Event(const std::string& type) {
  return OutboxEvent{0, type, "things/1", "alice", "hlj-office", "{}", absl::Now()};
}

TEST_F(MysqlTest, TheOutboxServesNothingPastAnUnsettledEarlierCursor) {
  EventLog log(*pool_);
  ASSERT_TRUE(log.Init(Deadline()).ok());
  absl::Notification first_inserted, second_committed;
  std::thread slow([&] {
    (void)pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
      (void)log.Append(tx, Event("first"));
      first_inserted.Notify();
      second_committed.WaitForNotification();
      return absl::OkStatus();
    });
  });
  first_inserted.WaitForNotification();
  ASSERT_TRUE(
      pool_
          ->Transact(Deadline(),
                     [&](mysql::Tx& tx) { return log.Append(tx, Event("second")).status(); })
          .ok());
  // "second" (cursor 2) is committed, but "first" (cursor 1) is not settled yet.
  auto early = log.ReadAfter(0, 10, Deadline());
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  second_committed.Notify();
  slow.join();
  auto all = log.ReadAfter(0, 10, Deadline());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].type, "first");
  EXPECT_EQ((*all)[1].type, "second");
}

TEST_F(MysqlTest, ARolledBackEventLeavesAGapThatDoesNotBlockTheStream) {
  EventLog log(*pool_);
  ASSERT_TRUE(log.Init(Deadline()).ok());
  (void)pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
    (void)log.Append(tx, Event("rolled back"));
    return absl::AbortedError("no");
  });
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) { return log.Append(tx, Event("kept")).status(); })
                  .ok());
  auto events = log.ReadAfter(0, 10, Deadline());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "kept");
  EXPECT_EQ((*events)[0].cursor, 2);
}

TEST_F(MysqlTest, WaitBeyondWakesOnCommit) {
  EventLog log(*pool_);
  ASSERT_TRUE(log.Init(Deadline()).ok());
  std::thread writer([&] {
    (void)pool_->Transact(Deadline(),
                          [&](mysql::Tx& tx) { return log.Append(tx, Event("live")).status(); });
  });
  // Woken by the commit, long before the (generous) limit.
  EXPECT_TRUE(log.WaitBeyond(0, absl::Now() + absl::Seconds(30)));
  writer.join();
}

TEST_F(MysqlTest, HistoryStoredAndLoadedVerifies) {
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) {
                               for (int i = 0; i < 3; ++i) {
                                 HistoryRecord r;
                                 r.resource = "things/1";
                                 r.action = "thing.changed";
                                 r.actor = "alice";
                                 r.actor_org = "hlj-office";
                                 r.time = absl::Now();
                                 r.payload_json = R"({"n":1})";
                                 HistoryStore::Append(tx, r);
                               }
                               return absl::OkStatus();
                             })
                  .ok());
  auto records =
      *mysql::ReadFor<std::vector<HistoryRecord>>(*pool_, Deadline(), [](mysql::Connection& c) {
        return absl::StatusOr<std::vector<HistoryRecord>>(HistoryStore::Load(c, "things/1"));
      });
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(VerifyChain(records).ok);
}

TEST_F(MysqlTest, ARowBatchWritesAnyNumberOfRowsAndReturnsThemInOrder) {
  // 300 = 256 + 32 + 8 + 4: four statements of shapes a connection keeps.
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) {
                               mysql::RowBatch rows("INSERT INTO things (id, name) VALUES ",
                                                    "(?, ?)", " RETURNING id");
                               for (int id = 1001; id <= 1300; ++id) {
                                 rows.Add(int64_t{id}, absl::StrCat("thing ", id));
                               }
                               std::vector<int64_t> ids;
                               rows.Exec(tx.conn(), [&](sql::ResultSet& rs) {
                                 ids.push_back(rs.getInt64("id"));
                               });
                               EXPECT_EQ(ids.size(), 300u);
                               for (size_t k = 0; k < ids.size(); ++k) {
                                 EXPECT_EQ(ids[k], static_cast<int64_t>(k + 1001));
                               }
                               return absl::OkStatus();
                             })
                  .ok());
  EXPECT_EQ(Count(), 301);
  // An IN list of 137 (128 + 8 + 1), and a count of rows affected without results.
  auto names = *mysql::ReadFor<std::vector<std::string>>(
      *pool_, Deadline(), [](mysql::Connection& c) -> absl::StatusOr<std::vector<std::string>> {
        mysql::RowBatch in("SELECT name FROM things WHERE id IN (", "?", ") ORDER BY id");
        for (int id = 1100; id < 1237; ++id) in.Add(int64_t{id});
        std::vector<std::string> out;
        in.Exec(c, [&](sql::ResultSet& rs) { out.push_back(rs.getString("name").asStdString()); });
        return out;
      });
  ASSERT_EQ(names.size(), 137u);
  EXPECT_EQ(names.front(), "thing 1100");
  EXPECT_EQ(names.back(), "thing 1236");
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) {
                               mysql::RowBatch gone("DELETE FROM things WHERE id IN (", "?", ")");
                               for (int id = 1001; id <= 1010; ++id) gone.Add(int64_t{id});
                               EXPECT_EQ(gone.Exec(tx.conn()), 10);
                               // Values in the head bind first, in every statement.
                               mysql::RowBatch renamed("UPDATE things SET name = ? WHERE id IN (",
                                                       "?", ")");
                               renamed.Lead(std::string("renamed"));
                               for (int id = 1011; id <= 1013; ++id) renamed.Add(int64_t{id});
                               EXPECT_EQ(renamed.Exec(tx.conn()), 3);
                               return absl::OkStatus();
                             })
                  .ok());
  EXPECT_EQ(Count(), 291);
}

TEST_F(MysqlTest, BatchedChangesChainEachResourceAndHoldTheStreamUntilCommit) {
  EventLog log(*pool_);
  ASSERT_TRUE(log.Init(Deadline()).ok());
  Principal actor;
  actor.subject = "sweeper";
  actor.org = "hlj-office";
  absl::Notification written, release;
  std::thread batch([&] {
    (void)pool_->Transact(Deadline(), [&](mysql::Tx& tx) {
      std::vector<PendingChange> changes;
      for (int k = 0; k < 5; ++k) {
        // things/1 three times (one chain), things/2 and things/3 once each.
        std::string resource = absl::StrCat("things/", k < 3 ? 1 : k - 1);
        changes.push_back({resource, "thing.changed", absl::StrCat(R"({"k":)", k, "}"), {}});
      }
      RecordChanges(tx, log, actor, absl::Now(), changes);
      EXPECT_EQ(changes[2].head.seq, 3);
      EXPECT_EQ(changes[3].head.seq, 1);
      written.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    });
  });
  written.WaitForNotification();
  // The batch's events are written but not committed: a later single commit is not served.
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) { return log.Append(tx, Event("after")).status(); })
                  .ok());
  EXPECT_TRUE(log.ReadAfter(0, 10, Deadline())->empty());
  release.Notify();
  batch.join();
  auto events = log.ReadAfter(0, 10, Deadline());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 6u);
  EXPECT_EQ((*events)[4].resource, "things/3");
  EXPECT_EQ((*events)[5].type, "after");
  auto chain =
      *mysql::ReadFor<std::vector<HistoryRecord>>(*pool_, Deadline(), [](mysql::Connection& c) {
        return absl::StatusOr<std::vector<HistoryRecord>>(HistoryStore::Load(c, "things/1"));
      });
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_TRUE(VerifyChain(chain).ok);
  EXPECT_EQ(chain[2].payload_json, R"({"k":2})");
}

TEST_F(MysqlTest, StoredDeliveriesAreDueUntilSettledAndRetriedAfterTheirBackoff) {
  absl::Time t0 = absl::FromUnixSeconds(1700000000);
  ASSERT_TRUE(pool_
                  ->Transact(Deadline(),
                             [&](mysql::Tx& tx) {
                               mysql::StoredDeliveries::Add(tx, "test.open_case", {7, 70}, t0);
                               mysql::StoredDeliveries::Add(tx, "test.open_case", {7, 70}, t0);
                               mysql::StoredDeliveries::Add(tx, "test.other", {8, 80}, t0);
                               return absl::OkStatus();
                             })
                  .ok());
  mysql::StoredDeliveries book(*pool_, "test.open_case");
  bool up = false;
  ReliableDispatcher dispatcher("test", book, [&](const DeliveryIntent&) {
    return up ? absl::OkStatus() : absl::UnavailableError("down");
  });
  ASSERT_EQ(*dispatcher.RunOnce(t0), 0);
  EXPECT_EQ(book.Attempts({7, 70}), 1);
  EXPECT_TRUE(book.Due(t0 + absl::Milliseconds(10), 10)->empty()) << "backing off";
  up = true;
  ASSERT_EQ(*dispatcher.RunOnce(t0 + absl::Minutes(1)), 1);
  EXPECT_TRUE(book.Due(t0 + absl::Hours(1), 10)->empty()) << "delivered once, then settled";
  EXPECT_EQ(mysql::StoredDeliveries(*pool_, "test.other").Due(t0, 10)->size(), 1u);
}

}  // namespace
}  // namespace rectify
