// MysqlIssueStore against a real MariaDB: what a mutation writes, and that a refused or failed
// one writes nothing.
#include "issue-service/storage/mysql_issue_store.h"

#include "bench/synthetic_ledger.h"
#include "common/history_chain.h"
#include "gtest/gtest.h"
#include "issue-service/domain/codec.h"
#include "tests/support/test_database.h"

namespace rectify {
std::vector<mysql::Migration> IssueRegistryMigrations();
}

namespace rectify::issues {
namespace {

using testing::TestDatabase;

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

class MysqlIssueStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::Create(IssueRegistryMigrations(), issues::kIssueRegistryReadOnlyTables,
                               issues::IssueRegistryMigrationVariables());
    if (!db_) GTEST_SKIP();
    pool_ = std::make_unique<mysql::Pool>(db_->service_account(), 4);
    store_ = std::make_unique<MysqlIssueStore>(*pool_);
    ASSERT_TRUE(store_->Init(Deadline()).ok());
  }

  IssueMutation M(const std::string& op, const std::string& request_id = "") {
    return IssueMutation{{Principal{"alice", "hlj-office", Role::kOffice, "230000"},
                          absl::FromUnixSeconds(1680000000), Deadline(), op, request_id, "fp"}};
  }

  Issue NewIssue() {
    Issue i;
    i.source = IssueSource::kComplaint;
    i.title = "某养殖场粪污直排";
    i.category = Category::kAgriculture;
    i.region_code = "230102";
    i.measures = {{"m1", "建设粪污处理设施", "2023-05-01", false, ""}};
    i.targets = {{"综合利用率", "%", 70, 90, std::nullopt}};
    i.complaint = Complaint{"第2批", "139****0000", ComplaintFinding::kUnspecified, "", ""};
    i.create_time = i.update_time = absl::FromUnixSeconds(1680000000);
    i.version = 1;
    return i;
  }

  int64_t Rows(const std::string& table) {
    return *mysql::ReadFor<int64_t>(*pool_, Deadline(),
                                    [&](mysql::Connection& c) -> absl::StatusOr<int64_t> {
                                      auto rs = c.Query("SELECT COUNT(*) AS n FROM " + table);
                                      rs->next();
                                      return static_cast<int64_t>(rs->getInt64("n"));
                                    });
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<mysql::Pool> pool_;
  std::unique_ptr<MysqlIssueStore> store_;
};

TEST_F(MysqlIssueStoreTest, AnIssueReadsBackAsItWasWritten) {
  auto created = store_->CreateIssue(M("CreateIssue"), NewIssue());
  ASSERT_TRUE(created.ok()) << created.status();
  auto read = store_->GetIssue(created->id, Deadline());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Dump(ToJson(*read)), Dump(ToJson(*created)));
  EXPECT_EQ(read->complaint->complainant_contact, "139****0000");
  EXPECT_EQ(store_->GetIssue(created->id + 1, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MysqlIssueStoreTest, AMutationWritesTheIssueItsHistoryAndItsEventTogether) {
  auto created = *store_->CreateIssue(M("CreateIssue"), NewIssue());
  auto assigned = store_->MutateIssue(M("AssignIssue"), created.id, [](Issue& i) {
    i.lead_org_id = "hlj-agri";
    i.responsible_org_ids = {"gov-230102"};
    i.acceptance_org_id = "hlj-deee";
    i.state = IssueState::kAssigned;
    return absl::StatusOr<Change>(Change{"issue.assigned"});
  });
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->version, 2);
  EXPECT_EQ(Rows("issue_orgs"), 3);
  EXPECT_EQ(Rows("outbox"), 2);
  auto history = *store_->LoadHistory(IssueResource(created.id), Deadline());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action, "issue.assigned");
  EXPECT_EQ(history[1].actor, "alice");
  EXPECT_TRUE(VerifyChain(history).ok);
  EXPECT_EQ(history[1].payload_json.find("139****0000"), std::string::npos)
      << "history and events carry no personal data";
}

TEST_F(MysqlIssueStoreTest, ARefusedMutationWritesNothing) {
  auto created = *store_->CreateIssue(M("CreateIssue"), NewIssue());
  auto refused = store_->MutateIssue(M("UpdateIssue"), created.id, [](Issue& i) {
    i.title = "changed";
    return absl::StatusOr<Change>(absl::FailedPreconditionError("no"));
  });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetIssue(created.id, Deadline())->title, "某养殖场粪污直排");
  EXPECT_EQ(Rows("history"), 1);
  EXPECT_EQ(Rows("outbox"), 1);
  EXPECT_EQ(store_
                ->MutateIssue(M("UpdateIssue"), 424242,
                              [](Issue&) { return absl::StatusOr<Change>(Change{"x"}); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MysqlIssueStoreTest, TheCountersFollowTheLedgerAndTheServiceCannotWriteThem) {
  auto created = *store_->CreateIssue(M("CreateIssue"), NewIssue());
  auto counted = [&](const std::string& where) {
    return *mysql::ReadFor<int64_t>(*pool_, Deadline(),
                                    [&](mysql::Connection& c) -> absl::StatusOr<int64_t> {
                                      auto rs = c.Query(
                                          "SELECT COALESCE(SUM(n), 0) AS n FROM ledger_states "
                                          "WHERE " +
                                          where);
                                      rs->next();
                                      return static_cast<int64_t>(rs->getInt64("n"));
                                    });
  };
  EXPECT_EQ(counted("state = 1"), 1);
  ASSERT_TRUE(store_
                  ->MutateIssue(M("AssignIssue"), created.id,
                                [](Issue& i) {
                                  i.state = IssueState::kAssigned;
                                  i.deadline = "2023-06-30";
                                  return absl::StatusOr<Change>(Change{"issue.assigned"});
                                })
                  .ok());
  EXPECT_EQ(counted("state = 1"), 0);
  EXPECT_EQ(counted("state = 2"), 1);
  auto write = pool_->Read(Deadline(), [](mysql::Connection& c) {
    c.Execute("UPDATE ledger_states SET n = n + 100");
    return absl::OkStatus();
  });
  EXPECT_FALSE(write.ok()) << "only the schema's triggers keep the counters";
}

TEST_F(MysqlIssueStoreTest, ABulkLoadIsRecountedUnderTheMigrationAccount) {
  (void)*store_->CreateIssue(M("CreateIssue"), NewIssue());
  mysql::Pool admin_pool(db_->migration_account(), 2);
  bench::SyntheticLedger loader(admin_pool);
  std::vector<Issue> synthetic(300, NewIssue());
  for (size_t k = 0; k < synthetic.size(); ++k) {
    synthetic[k].state = k % 3 ? IssueState::kRectifying : IssueState::kClosed;
    synthetic[k].deadline = "2023-06-30";
  }
  ASSERT_TRUE(loader.Load(synthetic, Deadline()).ok());
  ASSERT_TRUE(loader.RebuildCounters(Deadline()).ok());
  StatsQuery q;
  q.scope.everything = true;
  q.today = "2023-07-01";
  auto data = store_->LedgerStatsData(q, Deadline());
  ASSERT_TRUE(data.ok()) << data.status();
  int64_t total = 0;
  for (const auto& row : data->rows) {
    if (row.dimension == StatsRow::kState) total += row.count;
  }
  EXPECT_EQ(total, 301);
  EXPECT_EQ(data->overdue, 200) << "the rectifying ones are past their deadline";
  bench::SyntheticLedger as_service(*pool_);
  EXPECT_FALSE(as_service.RebuildCounters(Deadline()).ok())
      << "the service's own account cannot rewrite the counters";
}

TEST_F(MysqlIssueStoreTest, TheFirstAnswerToARequestIdIsKept) {
  auto first = *store_->CreateIssue(M("CreateIssue", "r1"), NewIssue());
  Issue other = NewIssue();
  other.title = "another";
  auto replay = store_->CreateIssue(M("CreateIssue", "r1"), other);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->id, first.id);
  EXPECT_EQ(replay->title, first.title);
  EXPECT_EQ(Rows("issues"), 1);
  IssueMutation different = M("CreateIssue", "r1");
  different.fingerprint = "another request";
  EXPECT_EQ(store_->CreateIssue(different, other).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The same key under another operation is another request.
  EXPECT_TRUE(store_->CreateInspection(M("CreateInspection", "r1"), Inspection{}).ok());
}

TEST_F(MysqlIssueStoreTest, ProgressReportsAreStoredWithTheIssueChange) {
  auto created = *store_->CreateIssue(M("CreateIssue"), NewIssue());
  ProgressReport report;
  report.percent_done = 30;
  report.narrative = "已开工";
  auto saved = store_->AddProgressReport(
      M("ReportProgress"), created.id, report, [](Issue& i, ProgressReport& r) {
        i.progress_percent = r.percent_done;
        return absl::StatusOr<Change>(Change{"issue.progress_reported"});
      });
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_GT(saved->id, 0);
  EXPECT_EQ(store_->GetIssue(created.id, Deadline())->progress_percent, 30);
  auto listed = *store_->ListProgressReports(created.id, 0, 10, Deadline());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].narrative, "已开工");
}

}  // namespace
}  // namespace rectify::issues
