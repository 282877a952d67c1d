// The accountability service in process, over its own MariaDB schema, linked to a real
// issue-service in process: the case lifecycle, who may do what, idempotent transfers, and the
// reopening of falsely closed issues delivered exactly once across outages of either side.
#include <thread>

#include "accountability-service/api/accountability_service.h"
#include "accountability-service/clients/issue_registry_client.h"
#include "accountability-service/storage/mysql_case_store.h"
#include "common/grpc_status.h"
#include "common/history_chain.h"
#include "common/mysql/history_store.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/accountability_process.h"
#include "tests/support/issue_service_harness.h"

namespace rectify::accountability {
namespace {

using testing::AccountabilityProcess;
using testing::IssueServiceHarness;
using testing::kTestJwtSecret;
using testing::TestDatabase;

class CaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = IssueServiceHarness::Start();
    if (!h_) GTEST_SKIP();
    db_ = TestDatabase::Create(AccountabilityMigrations());
    if (!db_) GTEST_SKIP();
    a_ =
        std::make_unique<AccountabilityProcess>(db_->service_account(), h_->address(), h_->clock());
    office_ = h_->Office();
    discipline_ = h_->Token(Role::kDiscipline, "hlj-discipline", "230000");
    issue_ = CreateIssue();
  }

  int64_t CreateIssue(const std::string& region = "230102") {
    v1::CreateIssueRequest req;
    req.mutable_issue()->set_title("问责测试");
    req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
    req.mutable_issue()->set_category(v1::Issue::WATER);
    req.mutable_issue()->set_region_code(region);
    v1::Issue out;
    EXPECT_TRUE(h_->stub().CreateIssue(h_->Context(office_).get(), req, &out).ok());
    return out.id();
  }

  // Takes an issue all the way to CLOSED through the real workflow.
  int64_t ClosedIssue() {
    auto& s = h_->stub();
    int64_t id = CreateIssue();
    v1::Issue out;
    v1::AssignIssueRequest assign;
    assign.set_id(id);
    assign.set_lead_org_id("hlj-water");
    assign.add_responsible_org_ids("gov-230102");
    assign.set_acceptance_org_id("hlj-deee");
    assign.set_deadline("2023-06-30");
    assign.set_rectification_class(v1::Issue::TIME_LIMITED);
    EXPECT_TRUE(s.AssignIssue(h_->Context(office_).get(), assign, &out).ok());
    v1::AcknowledgeAssignmentRequest ack;
    ack.set_id(id);
    EXPECT_TRUE(s.AcknowledgeAssignment(
                     h_->Context(h_->Token(Role::kDepartment, "hlj-water")).get(), ack, &out)
                    .ok());
    std::string county = h_->Token(Role::kCounty, "gov-230102", "230102");
    v1::Evidence e;
    {
      auto ctx = h_->Context(county);
      auto w = s.UploadEvidence(ctx.get(), &e);
      v1::UploadEvidenceRequest md;
      md.mutable_metadata()->set_issue_id(id);
      md.mutable_metadata()->set_kind(v1::Evidence::DOCUMENT);
      md.mutable_metadata()->set_file_name("a.pdf");
      w->Write(md);
      v1::UploadEvidenceRequest part;
      part.set_chunk("%PDF-1.4 dossier");
      w->Write(part);
      w->WritesDone();
      EXPECT_TRUE(w->Finish().ok());
    }
    v1::RequestAcceptanceRequest apply;
    apply.set_id(id);
    apply.set_self_check("自查完成");
    apply.add_evidence_ids(e.id());
    EXPECT_TRUE(s.RequestAcceptance(h_->Context(county).get(), apply, &out).ok());
    auto review = [&](const std::string& token, v1::AcceptanceStep step) {
      v1::ReviewAcceptanceRequest r;
      r.set_id(id);
      r.set_step(step);
      r.set_decision(v1::APPROVE);
      EXPECT_TRUE(s.ReviewAcceptance(h_->Context(token).get(), r, &out).ok());
    };
    review(h_->Token(Role::kCity, "gov-230100", "230100"), v1::ON_SITE);
    review(h_->Token(Role::kDepartment, "hlj-deee"), v1::PRE_EXAMINATION);
    review(office_, v1::JOINT_REVIEW);
    v1::OpenPublicNoticeRequest notice;
    notice.set_id(id);
    EXPECT_TRUE(s.OpenPublicNotice(h_->Context(office_).get(), notice, &out).ok());
    h_->clock().Advance(absl::Hours(24 * 10));
    v1::CloseIssueRequest close;
    close.set_id(id);
    EXPECT_TRUE(s.CloseIssue(h_->Context(office_).get(), close, &out).ok());
    EXPECT_EQ(out.state(), v1::Issue::CLOSED);
    return id;
  }

  v1::Case NewCase(std::vector<int64_t> issues, const std::string& transfer = "") {
    v1::Case c;
    c.set_source(transfer.empty() ? v1::Case::LOOK_BACK : v1::Case::TRANSFER);
    for (auto i : issues) c.add_issue_ids(i);
    c.add_failure_types(v1::Case::FALSE);
    auto* org = c.add_subjects();
    org->set_kind(v1::Subject::ORG);
    org->set_org_id("gov-230102");
    auto* official = c.add_subjects();
    official->set_kind(v1::Subject::OFFICIAL);
    official->set_org_id("gov-230102");
    official->set_name("张某");
    official->set_post("道里区副区长");
    c.set_summary("回头看发现整改验收材料造假");
    c.set_transfer_id(transfer);
    return c;
  }

  grpc::Status Open(const v1::Case& c, const std::string& token, v1::Case* out,
                    const std::string& request_id = "") {
    v1::OpenCaseRequest req;
    *req.mutable_case_() = c;
    req.set_request_id(request_id);
    return a_->stub->OpenCase(h_->Context(token).get(), req, out);
  }

  // Opens, investigates, finds and decides; returns the decided case.
  v1::Case Decided(std::vector<int64_t> issues, v1::Case::FailureType confirmed) {
    return Decide(Investigated(issues, confirmed));
  }

  // Opens a case and records a finding; returns the case under investigation.
  v1::Case Investigated(std::vector<int64_t> issues, v1::Case::FailureType confirmed) {
    v1::Case c;
    EXPECT_TRUE(Open(NewCase(issues), office_, &c).ok());
    v1::StartInvestigationRequest start;
    start.set_id(c.id());
    EXPECT_TRUE(a_->stub->StartInvestigation(h_->Context(discipline_).get(), start, &c).ok());
    v1::RecordFindingRequest finding;
    finding.set_id(c.id());
    finding.mutable_finding()->set_facts("验收材料系事后补做，污水仍直排");
    finding.mutable_finding()->add_confirmed(confirmed);
    finding.mutable_finding()->add_evidence_refs("谈话笔录 3 份");
    EXPECT_TRUE(a_->stub->RecordFinding(h_->Context(discipline_).get(), finding, &c).ok());
    return c;
  }

  v1::Case Decide(v1::Case c) {
    v1::DecideCaseRequest decide;
    decide.set_id(c.id());
    auto* s0 = decide.add_sanctions();
    s0->set_subject_index(0);
    s0->set_sanction(v1::CIRCULATED_CRITICISM);
    auto* s1 = decide.add_sanctions();
    s1->set_subject_index(1);
    s1->set_sanction(v1::SERIOUS_WARNING);
    decide.set_decided_by("省纪委监委");
    decide.set_decision_date("2023-03-20");
    auto s = a_->stub->DecideCase(h_->Context(discipline_).get(), decide, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  v1::Issue Issue(int64_t id) {
    v1::GetIssueRequest req;
    req.set_id(id);
    v1::Issue out;
    EXPECT_TRUE(h_->stub().GetIssue(h_->Context(office_).get(), req, &out).ok());
    return out;
  }

  v1::Case Get(int64_t id, const std::string& token = "") {
    v1::GetCaseRequest req;
    req.set_id(id);
    v1::Case out;
    EXPECT_TRUE(
        a_->stub->GetCase(h_->Context(token.empty() ? discipline_ : token).get(), req, &out).ok());
    return out;
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<AccountabilityProcess> a_;
  std::string office_, discipline_;
  int64_t issue_ = 0;
};

TEST_F(CaseTest, ACaseGoesFromOpenThroughInvestigationAndDecisionToClosed) {
  v1::Case c = Decided({issue_}, v1::Case::INADEQUATE);
  EXPECT_EQ(c.state(), v1::Case::DECIDED);
  EXPECT_EQ(c.region_code(), "230102");
  EXPECT_EQ(c.subjects(1).sanction(), v1::SERIOUS_WARNING);
  EXPECT_EQ(c.reopens_size(), 0) << "an inadequate rectification reopens nothing";
  v1::CloseCaseRequest close;
  close.set_id(c.id());
  ASSERT_TRUE(a_->stub->CloseCase(h_->Context(discipline_).get(), close, &c).ok());
  EXPECT_EQ(c.state(), v1::Case::CLOSED);
  v1::DismissCaseRequest dismiss;
  dismiss.set_id(c.id());
  dismiss.set_reason("x");
  auto s = a_->stub->DismissCase(h_->Context(discipline_).get(), dismiss, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("CLOSED"), std::string::npos);
}

TEST_F(CaseTest, AnIssuesCasesAreListedByIssue) {
  int64_t other = CreateIssue();
  v1::Case both, one;
  ASSERT_TRUE(Open(NewCase({issue_, other}), office_, &both).ok());
  ASSERT_TRUE(Open(NewCase({other}), office_, &one).ok());
  auto ids = [&](const std::string& filter) {
    v1::ListCasesRequest list;
    list.set_filter(filter);
    v1::ListCasesResponse listed;
    auto s = a_->stub->ListCases(h_->Context(discipline_).get(), list, &listed);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<int64_t> out;
    for (const auto& c : listed.cases()) out.push_back(c.id());
    return out;
  };
  EXPECT_EQ(ids("issue = " + std::to_string(issue_)), std::vector<int64_t>{both.id()});
  EXPECT_EQ(ids("issue = " + std::to_string(other)), (std::vector<int64_t>{both.id(), one.id()}));
  EXPECT_TRUE(ids("issue = 999999").empty());
  v1::ListCasesRequest bad;
  bad.set_filter("issue = x");
  v1::ListCasesResponse listed;
  EXPECT_EQ(a_->stub->ListCases(h_->Context(discipline_).get(), bad, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseTest, WrongTransitionsAreRefusedNamingTheState) {
  v1::Case c;
  ASSERT_TRUE(Open(NewCase({issue_}), office_, &c).ok());
  v1::DecideCaseRequest decide;
  decide.set_id(c.id());
  decide.set_decided_by("省纪委监委");
  decide.set_decision_date("2023-03-20");
  auto s = a_->stub->DecideCase(h_->Context(discipline_).get(), decide, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("OPEN"), std::string::npos);
  v1::StartInvestigationRequest start;
  start.set_id(c.id());
  ASSERT_TRUE(a_->stub->StartInvestigation(h_->Context(discipline_).get(), start, &c).ok());
  EXPECT_EQ(
      ErrorReason(FromGrpcStatus(a_->stub->DecideCase(h_->Context(discipline_).get(), decide, &c))),
      "FINDING_MISSING");
  v1::DismissCaseRequest dismiss;
  dismiss.set_id(c.id());
  dismiss.set_reason("经核查，问题不属于虚假整改");
  ASSERT_TRUE(a_->stub->DismissCase(h_->Context(discipline_).get(), dismiss, &c).ok());
  EXPECT_EQ(c.state(), v1::Case::DISMISSED);
}

TEST_F(CaseTest, OnlyDisciplineDecidesAndEachRoleSeesItsOwnCases) {
  v1::Case c;
  ASSERT_TRUE(Open(NewCase({issue_}), office_, &c).ok());
  struct Who {
    std::string name, token;
    bool reads, personal;
  };
  std::vector<Who> all = {
      {"discipline", discipline_, true, true},
      {"office", office_, true, true},
      {"supervisor", h_->Token(Role::kSupervisor, "hlj-office"), true, false},
      {"subject county", h_->Token(Role::kCounty, "gov-230102", "230102"), true, false},
      {"other county", h_->Token(Role::kCounty, "gov-230103", "230103"), false, false},
      {"department", h_->Token(Role::kDepartment, "hlj-water"), false, false},
      {"public", h_->Token(Role::kPublic, ""), false, false},
  };
  for (const auto& w : all) {
    SCOPED_TRACE(w.name);
    v1::GetCaseRequest get;
    get.set_id(c.id());
    v1::Case seen;
    auto s = a_->stub->GetCase(h_->Context(w.token).get(), get, &seen);
    EXPECT_EQ(s.ok(), w.reads) << s.error_message();
    if (!s.ok()) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    } else {
      EXPECT_EQ(seen.subjects(1).name().empty(), !w.personal);
    }
    v1::ListCasesRequest list;
    v1::ListCasesResponse listed;
    s = a_->stub->ListCases(h_->Context(w.token).get(), list, &listed);
    if (s.ok()) {
      EXPECT_EQ(listed.cases_size(), w.reads ? 1 : 0);
    }
    if (w.name != "discipline") {
      v1::StartInvestigationRequest start;
      start.set_id(c.id());
      EXPECT_EQ(a_->stub->StartInvestigation(h_->Context(w.token).get(), start, &seen).error_code(),
                grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  v1::Case other;
  EXPECT_EQ(Open(NewCase({issue_}), h_->Token(Role::kCounty, "gov-230102", "230102"), &other)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CaseTest, BadCasesAreRefusedWithTheirFields) {
  v1::Case c;
  auto field = [&](const v1::Case& bad) {
    auto s = Open(bad, office_, &c);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    auto v = FieldViolations(FromGrpcStatus(s));
    return v.empty() ? std::string() : v[0].field;
  };
  auto bad = NewCase({issue_});
  bad.clear_issue_ids();
  EXPECT_EQ(field(bad), "case.issue_ids");
  bad = NewCase({issue_});
  bad.clear_failure_types();
  EXPECT_EQ(field(bad), "case.failure_types");
  bad = NewCase({issue_});
  bad.mutable_subjects(1)->clear_name();
  EXPECT_EQ(field(bad), "case.subjects[1]");
  bad = NewCase({issue_});
  bad.set_source(v1::Case::TRANSFER);
  EXPECT_EQ(field(bad), "case.transfer_id");
  auto missing = Open(NewCase({issue_ + 1000}), office_, &c);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(missing)), "ISSUE_NOT_FOUND");
  v1::ListCasesRequest list;
  list.set_filter("state = SLEEPING");
  v1::ListCasesResponse listed;
  EXPECT_EQ(a_->stub->ListCases(h_->Context(office_).get(), list, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseTest, ConcurrentDuplicateTransfersOpenOneCase) {
  std::string service = h_->Token(Role::kService, "supervision-service");
  std::vector<std::thread> threads;
  std::vector<int64_t> ids(6);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      v1::Case out;
      auto s =
          Open(NewCase({issue_}, "escalations/77"), service, &out, "retry-" + std::to_string(t));
      ids[t] = s.ok() ? out.id() : -1;
    });
  }
  for (auto& t : threads) t.join();
  for (auto id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_GT(ids[0], 0);
  // Across a restart of the service too.
  a_ = std::make_unique<AccountabilityProcess>(db_->service_account(), h_->address(), h_->clock());
  v1::Case again;
  ASSERT_TRUE(Open(NewCase({issue_}, "escalations/77"), service, &again).ok());
  EXPECT_EQ(again.id(), ids[0]);
  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  ASSERT_TRUE(a_->stub->ListCases(h_->Context(office_).get(), list, &listed).ok());
  EXPECT_EQ(listed.cases_size(), 1);
}

TEST_F(CaseTest, AFalseRectificationReopensTheIssueOnceWhenTheRegistryComesBack) {
  int64_t closed = ClosedIssue();
  v1::Case c = Investigated({closed}, v1::Case::FALSE);
  h_->Stop();  // the issue registry is down when the decision is taken
  c = Decide(c);
  ASSERT_EQ(c.reopens_size(), 1);
  EXPECT_EQ(c.reopens(0).state(), v1::ReopenDelivery::PENDING);
  auto settled = a_->dispatcher.RunOnce(absl::Now());
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(*settled, 0);
  c = Get(c.id());
  EXPECT_EQ(c.reopens(0).state(), v1::ReopenDelivery::PENDING);
  EXPECT_EQ(c.reopens(0).attempts(), 1);
  EXPECT_FALSE(c.reopens(0).last_error().empty());

  h_->Restart();  // the registry comes back
  settled = a_->dispatcher.RunOnce(absl::Now() + absl::Minutes(10));
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(*settled, 1);
  EXPECT_EQ(Get(c.id()).reopens(0).state(), v1::ReopenDelivery::DELIVERED);
  v1::Issue reopened = Issue(closed);
  EXPECT_EQ(reopened.state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(reopened.reopen_count(), 1);
  EXPECT_EQ(reopened.last_reopening().cause(), "cases/" + std::to_string(c.id()));
  // Nothing more is due; the issue is reopened exactly once.
  EXPECT_EQ(*a_->dispatcher.RunOnce(absl::Now() + absl::Hours(1)), 0);
  EXPECT_EQ(Issue(closed).reopen_count(), 1);
}

TEST_F(CaseTest, AReopenPendingWhenTheServiceDiesIsDeliveredAfterItsRestartOnlyOnce) {
  int64_t closed = ClosedIssue();
  int64_t open = CreateIssue();  // not closed: nothing to reopen
  v1::Case c = Decided({closed, open}, v1::Case::SUPERFICIAL);
  ASSERT_EQ(c.reopens_size(), 2);
  // The process dies after the decision committed and before any delivery; worse, the registry
  // had already applied one delivery whose answer was lost.
  auto stored = a_->store.GetCase(c.id(), absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(
      a_->issues.Reopen(closed, c.id(), ReopenExplanation(*stored), absl::Now() + absl::Seconds(5))
          .ok());
  a_ = std::make_unique<AccountabilityProcess>(db_->service_account(), h_->address(), h_->clock());
  auto settled = a_->dispatcher.RunOnce(absl::Now());
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(*settled, 2);
  c = Get(c.id());
  EXPECT_EQ(c.reopens(0).state(), v1::ReopenDelivery::DELIVERED);
  EXPECT_EQ(c.reopens(1).state(), v1::ReopenDelivery::SKIPPED);
  EXPECT_EQ(Issue(closed).reopen_count(), 1) << "delivered once, however often it was sent";
  EXPECT_EQ(Issue(open).state(), v1::Issue::REGISTERED);
}

TEST_F(CaseTest, EveryChangeIsAnEventAndAHistoryRecord) {
  v1::Case c = Decided({issue_}, v1::Case::INCOMPLETE);
  auto ctx = h_->Context(discipline_);
  auto reader = a_->stub->WatchEvents(ctx.get(), v1::WatchEventsRequest());
  std::vector<std::string> types;
  v1::Event e;
  while (types.size() < 4 && reader->Read(&e)) types.push_back(e.type());
  ctx->TryCancel();
  reader->Finish();
  EXPECT_EQ(types, (std::vector<std::string>{"case.opened", "case.investigation_started",
                                             "case.finding_recorded", "case.decided"}));
  EXPECT_EQ(e.payload_json().find("张某"), std::string::npos) << "events carry no personal data";
  auto history = mysql::ReadFor<std::vector<HistoryRecord>>(
      a_->pool, absl::Now() + absl::Seconds(5),
      [&](mysql::Connection& conn) -> absl::StatusOr<std::vector<HistoryRecord>> {
        return HistoryStore::Load(conn, CaseResource(c.id()));
      });
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 4u);
  EXPECT_TRUE(VerifyChain(*history).ok);
  auto county = h_->Context(h_->Token(Role::kCounty, "gov-230102", "230102"));
  auto refused = a_->stub->WatchEvents(county.get(), v1::WatchEventsRequest());
  EXPECT_FALSE(refused->Read(&e));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CaseTest, StatisticsCountCasesPersonsAndSanctions) {
  Decided({issue_}, v1::Case::PERFUNCTORY);
  v1::Case transfer;
  ASSERT_TRUE(Open(NewCase({issue_, CreateIssue("230202")}, "escalations/9"),
                   h_->Token(Role::kService, "supervision-service"), &transfer)
                  .ok());
  v1::GetAccountabilityStatsRequest req;
  v1::AccountabilityStats st;
  ASSERT_TRUE(a_->stub->GetAccountabilityStats(h_->Context(office_).get(), req, &st).ok());
  EXPECT_EQ(st.cases(), 2);
  EXPECT_EQ(st.transferred_cases(), 1);
  EXPECT_EQ(st.transferred_problems(), 2);
  EXPECT_EQ(st.officials_held_accountable(), 1);
  EXPECT_EQ(st.orgs_held_accountable(), 1);
  EXPECT_EQ(st.by_sanction_size(), 2);
  req.set_region_code("230200");
  ASSERT_TRUE(a_->stub->GetAccountabilityStats(h_->Context(office_).get(), req, &st).ok());
  EXPECT_EQ(st.cases(), 0) << "both cases are Harbin's (their first issue)";
  EXPECT_EQ(a_->stub
                ->GetAccountabilityStats(
                    h_->Context(h_->Token(Role::kCounty, "gov-230102", "230102")).get(), req, &st)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace rectify::accountability
