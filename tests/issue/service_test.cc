// rectify.v1.IssueRegistry through a real in-process gRPC server over a real MariaDB.
#include <set>
#include <thread>

#include "common/grpc_status.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
namespace {

using testing::IssueServiceHarness;

class IssueServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = IssueServiceHarness::Start();
    if (!h_) GTEST_SKIP();
    office_ = h_->Office();
  }

  v1::Issue Create(const std::string& title, const std::string& region = "230102",
                   const std::string& request_id = "") {
    v1::CreateIssueRequest req;
    auto* i = req.mutable_issue();
    i->set_title(title);
    i->set_source(v1::Issue::FEEDBACK);
    i->set_category(v1::Issue::WATER);
    i->set_region_code(region);
    i->add_measures()->set_description("截污纳管");
    i->add_measures()->set_description("建设污水处理设施");
    req.set_request_id(request_id);
    v1::Issue out;
    auto s = h_->stub().CreateIssue(h_->Context(office_).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::AssignIssueRequest Assignment(int64_t id, const std::string& lead,
                                    const std::string& rectifier) {
    v1::AssignIssueRequest req;
    req.set_id(id);
    req.set_lead_org_id(lead);
    req.add_responsible_org_ids(rectifier);
    req.set_acceptance_org_id("hlj-deee");
    req.add_joint_reviewer_org_ids("hlj-housing");
    req.set_deadline("2023-06-30");
    req.set_rectification_class(v1::Issue::TIME_LIMITED);
    return req;
  }

  v1::Issue Assign(int64_t id, const std::string& lead, const std::string& rectifier) {
    v1::Issue out;
    auto s =
        h_->stub().AssignIssue(h_->Context(office_).get(), Assignment(id, lead, rectifier), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Issue Acknowledge(int64_t id, const std::string& token) {
    v1::AcknowledgeAssignmentRequest req;
    req.set_id(id);
    v1::Issue out;
    auto s = h_->stub().AcknowledgeAssignment(h_->Context(token).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::StatusCode Get(int64_t id, const std::string& token, v1::Issue* out = nullptr) {
    v1::GetIssueRequest req;
    req.set_id(id);
    v1::Issue resp;
    auto s = h_->stub().GetIssue(h_->Context(token).get(), req, &resp);
    if (out) *out = resp;
    return s.error_code();
  }

  std::vector<int64_t> ListIds(const std::string& token, const std::string& filter = "") {
    v1::ListIssuesRequest req;
    req.set_filter(filter);
    req.set_page_size(500);
    v1::ListIssuesResponse resp;
    auto s = h_->stub().ListIssues(h_->Context(token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<int64_t> ids;
    for (const auto& i : resp.issues()) ids.push_back(i.id());
    return ids;
  }

  static std::string Reason(const grpc::Status& s) { return ErrorReason(FromGrpcStatus(s)); }
  static std::string Field(const grpc::Status& s) {
    auto v = FieldViolations(FromGrpcStatus(s));
    return v.empty() ? "" : v[0].field;
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::string office_;
};

TEST_F(IssueServiceTest, AnIssueGoesFromRegistrationToRectifyingWithProgress) {
  v1::Issue issue = Create("哈尔滨市某污水处理厂超标排放");
  EXPECT_EQ(issue.state(), v1::Issue::REGISTERED);
  EXPECT_EQ(issue.etag(), "v1");
  EXPECT_EQ(issue.measures(0).id(), "m1");
  EXPECT_EQ(issue.measures(1).id(), "m2");

  v1::Issue assigned = Assign(issue.id(), "hlj-water", "gov-230102");
  EXPECT_EQ(assigned.state(), v1::Issue::ASSIGNED);
  EXPECT_EQ(assigned.deadline(), "2023-06-30");
  EXPECT_TRUE(assigned.has_assign_time());

  v1::Issue acked = Acknowledge(issue.id(), h_->Token(Role::kDepartment, "hlj-water"));
  EXPECT_EQ(acked.state(), v1::Issue::RECTIFYING);

  v1::ReportProgressRequest req;
  req.set_issue_id(issue.id());
  req.mutable_report()->set_percent_done(40);
  req.mutable_report()->set_narrative("完成截污纳管");
  auto* u = req.mutable_report()->add_measure_updates();
  u->set_measure_id("m1");
  u->set_done(true);
  v1::ProgressReport report;
  auto county = h_->Token(Role::kCounty, "gov-230102", "230102");
  ASSERT_TRUE(h_->stub().ReportProgress(h_->Context(county).get(), req, &report).ok());
  EXPECT_EQ(report.reporter_org_id(), "gov-230102");

  v1::Issue now;
  ASSERT_EQ(Get(issue.id(), county, &now), grpc::StatusCode::OK);
  EXPECT_EQ(now.progress_percent(), 40);
  EXPECT_TRUE(now.measures(0).done());
  EXPECT_EQ(now.measures(0).done_date(), "2023-03-01");
  EXPECT_FALSE(now.measures(1).done());
  EXPECT_EQ(now.etag(), "v4");

  v1::ListProgressReportsRequest list;
  list.set_issue_id(issue.id());
  v1::ListProgressReportsResponse reports;
  ASSERT_TRUE(h_->stub().ListProgressReports(h_->Context(county).get(), list, &reports).ok());
  ASSERT_EQ(reports.reports_size(), 1);
  EXPECT_EQ(reports.reports(0).narrative(), "完成截污纳管");

  auto history = h_->store().LoadHistory("issues/" + std::to_string(issue.id()),
                                         absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[0].action, "issue.created");
  EXPECT_EQ((*history)[3].action, "issue.progress_reported");
  EXPECT_TRUE(VerifyChain(*history).ok);
}

TEST_F(IssueServiceTest, EachRoleSeesAndChangesOnlyWhatItsScopeAllows) {
  int64_t a = Assign(Create("道里区 A").id(), "hlj-water", "gov-230102").id();
  int64_t b = Assign(Create("龙沙区 B", "230202").id(), "hlj-agri", "gov-230202").id();
  struct Case {
    std::string name;
    std::string token;
    std::set<int64_t> visible;
  };
  std::vector<Case> cases = {
      {"office", office_, {a, b}},
      {"supervisor", h_->Token(Role::kSupervisor, "hlj-office"), {a, b}},
      {"discipline", h_->Token(Role::kDiscipline, "hlj-discipline"), {a, b}},
      {"service", h_->Token(Role::kService, "supervision-service"), {a, b}},
      {"lead department", h_->Token(Role::kDepartment, "hlj-water"), {a}},
      {"acceptance department", h_->Token(Role::kDepartment, "hlj-deee"), {a, b}},
      {"uninvolved department", h_->Token(Role::kDepartment, "hlj-forest"), {}},
      {"city above", h_->Token(Role::kCity, "gov-230100", "230100"), {a}},
      {"other city", h_->Token(Role::kCity, "gov-230200", "230200"), {b}},
      {"county", h_->Token(Role::kCounty, "gov-230102", "230102"), {a}},
      {"neighbouring county", h_->Token(Role::kCounty, "gov-230103", "230103"), {}},
      {"public", h_->Token(Role::kPublic, ""), {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    for (int64_t id : {a, b}) {
      EXPECT_EQ(Get(id, c.token),
                c.visible.count(id) ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED);
    }
    auto listed = ListIds(c.token);
    EXPECT_EQ(std::set<int64_t>(listed.begin(), listed.end()), c.visible);

    v1::UpdateIssueRequest update;
    update.mutable_issue()->set_id(a);
    update.mutable_issue()->set_title("改名");
    update.mutable_update_mask()->add_paths("title");
    v1::Issue out;
    auto s = h_->stub().UpdateIssue(h_->Context(c.token).get(), update, &out);
    EXPECT_EQ(s.error_code(),
              c.name == "office" ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED);

    v1::AssignIssueRequest assign = Assignment(b, "hlj-agri", "gov-230202");
    s = h_->stub().AssignIssue(h_->Context(c.token).get(), assign, &out);
    EXPECT_EQ(s.error_code(),
              c.name == "office" ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(IssueServiceTest, TheLeadOrgMayUpdateThePlanButNotTheFacts) {
  int64_t id = Assign(Create("A").id(), "hlj-water", "gov-230102").id();
  auto lead = h_->Token(Role::kDepartment, "hlj-water");
  v1::UpdateIssueRequest req;
  req.mutable_issue()->set_id(id);
  req.mutable_issue()->add_measures()->set_description("新增措施");
  req.mutable_update_mask()->add_paths("measures");
  v1::Issue out;
  ASSERT_TRUE(h_->stub().UpdateIssue(h_->Context(lead).get(), req, &out).ok());
  EXPECT_EQ(out.measures_size(), 1);
  req.mutable_update_mask()->add_paths("category");
  auto s = h_->stub().UpdateIssue(h_->Context(lead).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(s), "FIELD_NOT_ALLOWED");
}

TEST_F(IssueServiceTest, MissingOrBadTokensAreUnauthenticated) {
  int64_t id = Create("A").id();
  EXPECT_EQ(Get(id, ""), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Get(id, "not-a-token"), grpc::StatusCode::UNAUTHENTICATED);
  Principal p{"x", "hlj-office", Role::kOffice, "230000"};
  auto forged =
      MintToken(JwtSettings{"a-different-key-0123456789abcdefgh"}, p, absl::Now(), absl::Hours(1));
  EXPECT_EQ(Get(id, forged), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IssueServiceTest, PermissionIsCheckedBeforeExistenceIsRevealed) {
  EXPECT_EQ(Get(999999, office_), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(999999, h_->Token(Role::kCity, "gov-230100", "230100")),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::Issue out;
  auto s = h_->stub().AssignIssue(h_->Context(h_->Token(Role::kCity, "gov-230100", "230100")).get(),
                                  Assignment(999999, "hlj-water", "gov-230102"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IssueServiceTest, ARepeatedRequestIdReturnsTheFirstAnswerAndChangesNothing) {
  v1::Issue first = Create("A", "230102", "req-1");
  v1::Issue again = Create("A", "230102", "req-1");
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.etag(), first.etag());
  EXPECT_EQ(ListIds(office_).size(), 1u);

  v1::CreateIssueRequest different;
  different.mutable_issue()->set_title("B");
  different.mutable_issue()->set_source(v1::Issue::FEEDBACK);
  different.mutable_issue()->set_category(v1::Issue::AIR);
  different.mutable_issue()->set_region_code("230102");
  different.set_request_id("req-1");
  v1::Issue out;
  auto s = h_->stub().CreateIssue(h_->Context(office_).get(), different, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "request_id");

  auto assign = Assignment(first.id(), "hlj-water", "gov-230102");
  assign.set_request_id("assign-1");
  v1::Issue a1, a2;
  ASSERT_TRUE(h_->stub().AssignIssue(h_->Context(office_).get(), assign, &a1).ok());
  ASSERT_TRUE(h_->stub().AssignIssue(h_->Context(office_).get(), assign, &a2).ok());
  EXPECT_EQ(a1.etag(), a2.etag());
  v1::Issue now;
  Get(first.id(), office_, &now);
  EXPECT_EQ(now.etag(), "v2") << "the replay did not assign a second time";
}

TEST_F(IssueServiceTest, ARequestIdBelongsToItsCaller) {
  v1::Issue first = Create("A", "230102", "shared-id");
  Principal other{"another-clerk", "hlj-office", Role::kOffice, "230000"};
  std::string token =
      MintToken(JwtSettings{testing::kTestJwtSecret}, other, absl::Now(), absl::Hours(1));
  v1::CreateIssueRequest req;
  req.mutable_issue()->set_title("A");
  req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
  req.mutable_issue()->set_category(v1::Issue::WATER);
  req.mutable_issue()->set_region_code("230102");
  req.mutable_issue()->add_measures()->set_description("截污纳管");
  req.mutable_issue()->add_measures()->set_description("建设污水处理设施");
  req.set_request_id("shared-id");
  v1::Issue out;
  // Another caller's id is its own: neither the first answer nor a hint that it was used.
  auto s = h_->stub().CreateIssue(h_->Context(token).get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(out.id(), first.id());
  EXPECT_EQ(Create("A", "230102", "shared-id").id(), first.id());
}

TEST_F(IssueServiceTest, AStoredAnswerIsNeverReplayedToAnotherPrincipalWithTheSameSubject) {
  int64_t daoli = Create("道里区问题").id();
  Assign(daoli, "gov-230102", "gov-230102");
  Principal clerk{"clerk-zhang", "gov-230102", Role::kCounty, "230102"};
  std::string mine =
      MintToken(JwtSettings{testing::kTestJwtSecret}, clerk, absl::Now(), absl::Hours(1));
  Acknowledge(daoli, mine);
  v1::ReportProgressRequest progress;
  progress.set_issue_id(daoli);
  progress.set_request_id("monthly-2023-03");
  progress.mutable_report()->set_percent_done(30);
  progress.mutable_report()->set_narrative("已完成截污纳管三成");
  v1::ProgressReport first;
  ASSERT_TRUE(h_->stub().ReportProgress(h_->Context(mine).get(), progress, &first).ok());

  // The same subject in another county's token: the replay is refused as out of scope, exactly
  // as the same call without a request_id would be.
  Principal elsewhere{"clerk-zhang", "gov-230202", Role::kCounty, "230202"};
  std::string theirs =
      MintToken(JwtSettings{testing::kTestJwtSecret}, elsewhere, absl::Now(), absl::Hours(1));
  v1::ProgressReport replay;
  auto s = h_->stub().ReportProgress(h_->Context(theirs).get(), progress, &replay);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(replay.id(), 0);
  v1::UpdateIssueRequest update;
  update.mutable_issue()->set_id(daoli);
  update.mutable_issue()->set_target_text("年底前消除黑臭");
  update.mutable_update_mask()->add_paths("target_text");
  update.set_request_id("plan-v2");
  v1::Issue updated;
  ASSERT_TRUE(h_->stub().UpdateIssue(h_->Context(mine).get(), update, &updated).ok());
  updated.Clear();
  s = h_->stub().UpdateIssue(h_->Context(theirs).get(), update, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_TRUE(updated.title().empty());

  // The first caller's repeat is still answered with its first report.
  v1::ProgressReport again;
  ASSERT_TRUE(h_->stub().ReportProgress(h_->Context(mine).get(), progress, &again).ok());
  EXPECT_EQ(again.id(), first.id());
}

TEST_F(IssueServiceTest, ConcurrentDuplicatesCreateOneIssue) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<int64_t> ids(kThreads);
  std::vector<grpc::StatusCode> codes(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      v1::CreateIssueRequest req;
      req.mutable_issue()->set_title("同一问题");
      req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
      req.mutable_issue()->set_category(v1::Issue::AIR);
      req.mutable_issue()->set_region_code("230102");
      req.set_request_id("dup");
      v1::Issue out;
      codes[t] = h_->stub().CreateIssue(h_->Context(office_).get(), req, &out).error_code();
      ids[t] = out.id();
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(codes[t], grpc::StatusCode::OK);
    EXPECT_EQ(ids[t], ids[0]);
  }
  EXPECT_EQ(ListIds(office_).size(), 1u);
}

TEST_F(IssueServiceTest, ConcurrentDuplicateActionsApplyOnce) {
  int64_t id = Create("A").id();
  auto assign = Assignment(id, "hlj-water", "gov-230102");
  assign.set_etag("v1");
  assign.set_request_id("assign-once");
  std::vector<std::thread> threads;
  std::vector<std::string> etags(6);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      v1::Issue out;
      auto s = h_->stub().AssignIssue(h_->Context(office_).get(), assign, &out);
      etags[t] = s.ok() ? out.etag() : s.error_message();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : etags) EXPECT_EQ(e, "v2");
}

TEST_F(IssueServiceTest, AStaleEtagIsAborted) {
  v1::Issue issue = Create("A");
  v1::UpdateIssueRequest update;
  update.mutable_issue()->set_id(issue.id());
  update.mutable_issue()->set_title("新标题");
  update.mutable_issue()->set_etag(issue.etag());
  update.mutable_update_mask()->add_paths("title");
  v1::Issue out;
  ASSERT_TRUE(h_->stub().UpdateIssue(h_->Context(office_).get(), update, &out).ok());
  EXPECT_EQ(out.title(), "新标题");

  auto s = h_->stub().UpdateIssue(h_->Context(office_).get(), update, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Reason(s), "STALE_ETAG");
  auto assign = Assignment(issue.id(), "hlj-water", "gov-230102");
  assign.set_etag(issue.etag());
  s = h_->stub().AssignIssue(h_->Context(office_).get(), assign, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
}

TEST_F(IssueServiceTest, InvalidTransitionsAreFailedPreconditionNamingTheState) {
  int64_t id = Create("A").id();
  v1::AcknowledgeAssignmentRequest ack;
  ack.set_id(id);
  v1::Issue out;
  Assign(id, "hlj-water", "gov-230102");
  Acknowledge(id, h_->Token(Role::kDepartment, "hlj-water"));
  auto s = h_->stub().AssignIssue(h_->Context(office_).get(),
                                  Assignment(id, "hlj-water", "gov-230102"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("RECTIFYING"), std::string::npos);
  s = h_->stub().AcknowledgeAssignment(h_->Context(h_->Token(Role::kDepartment, "hlj-water")).get(),
                                       ack, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(IssueServiceTest, BadInputIsInvalidArgumentNamingTheField) {
  auto create = [&](auto mutate) {
    v1::CreateIssueRequest req;
    auto* i = req.mutable_issue();
    i->set_title("ok");
    i->set_source(v1::Issue::FEEDBACK);
    i->set_category(v1::Issue::WATER);
    i->set_region_code("230102");
    mutate(req);
    v1::Issue out;
    return h_->stub().CreateIssue(h_->Context(office_).get(), req, &out);
  };
  struct Case {
    const char* field;
    std::function<void(v1::CreateIssueRequest&)> mutate;
  };
  std::vector<Case> cases = {
      {"issue.title", [](auto& r) { r.mutable_issue()->clear_title(); }},
      {"issue.title", [](auto& r) { r.mutable_issue()->set_title(std::string(201, 'x')); }},
      {"issue.region_code", [](auto& r) { r.mutable_issue()->set_region_code("999999"); }},
      {"issue.category",
       [](auto& r) { r.mutable_issue()->set_category(static_cast<v1::Issue::Category>(99)); }},
      {"issue.source", [](auto& r) { r.mutable_issue()->clear_source(); }},
      {"issue.complaint.batch",
       [](auto& r) {
         r.mutable_issue()->set_source(v1::Issue::COMPLAINT);
         r.mutable_issue()->mutable_complaint();
       }},
      {"issue.complaint", [](auto& r) { r.mutable_issue()->mutable_complaint()->set_batch("b"); }},
      {"issue.measures[0].due_date",
       [](auto& r) {
         auto* m = r.mutable_issue()->add_measures();
         m->set_description("x");
         m->set_due_date("2023-02-30");
       }},
      {"issue.inspection_id", [](auto& r) { r.mutable_issue()->set_inspection_id(424242); }},
      {"issue", [](auto& r) { r.mutable_issue()->set_lead_org_id("hlj-water"); }},
      {"request_id", [](auto& r) { r.set_request_id(std::string(200, 'r')); }},
  };
  for (const auto& c : cases) {
    auto s = create(c.mutate);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(Field(s), c.field);
  }
  EXPECT_TRUE(ListIds(office_).empty()) << "nothing was stored";

  v1::Issue out;
  v1::CreateIssueRequest empty;
  EXPECT_EQ(Field(h_->stub().CreateIssue(h_->Context(office_).get(), empty, &out)), "issue");
}

TEST_F(IssueServiceTest, BadAssignmentsAreRefusedWithTheirFields) {
  int64_t id = Create("A").id();
  auto check = [&](const char* field, auto mutate) {
    auto req = Assignment(id, "hlj-water", "gov-230102");
    mutate(req);
    v1::Issue out;
    auto s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(Field(s), field);
  };
  check("lead_org_id", [](auto& r) { r.set_lead_org_id("no-such-org"); });
  check("lead_org_id", [](auto& r) { r.set_lead_org_id("hlj-discipline"); });
  check("responsible_org_ids", [](auto& r) { r.clear_responsible_org_ids(); });
  check("acceptance_org_id", [](auto& r) { r.set_acceptance_org_id("gov-230100"); });
  check("acceptance_org_id", [](auto& r) { r.set_acceptance_org_id("hlj-water"); });
  check("joint_reviewer_org_ids[1]", [](auto& r) { r.add_joint_reviewer_org_ids("hlj-water"); });
  check("deadline", [](auto& r) { r.set_deadline("30/06/2023"); });
  check("rectification_class", [](auto& r) { r.clear_rectification_class(); });
  v1::Issue now;
  Get(id, office_, &now);
  EXPECT_EQ(now.state(), v1::Issue::REGISTERED);
  EXPECT_EQ(now.etag(), "v1");
}

TEST_F(IssueServiceTest, AFailedProgressReportLeavesNothingBehind) {
  int64_t id = Assign(Create("A").id(), "hlj-water", "gov-230102").id();
  auto lead = h_->Token(Role::kDepartment, "hlj-water");
  Acknowledge(id, lead);
  v1::ReportProgressRequest req;
  req.set_issue_id(id);
  req.mutable_report()->set_percent_done(50);
  req.mutable_report()->set_narrative("x");
  req.mutable_report()->add_measure_updates()->set_measure_id("m9");
  v1::ProgressReport out;
  auto s = h_->stub().ReportProgress(h_->Context(lead).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "report.measure_updates[0].measure_id");
  req.mutable_report()->clear_measure_updates();
  req.mutable_report()->set_percent_done(101);
  EXPECT_EQ(Field(h_->stub().ReportProgress(h_->Context(lead).get(), req, &out)),
            "report.percent_done");

  v1::Issue now;
  Get(id, office_, &now);
  EXPECT_EQ(now.progress_percent(), 0);
  EXPECT_EQ(now.etag(), "v3");
  v1::ListProgressReportsRequest list;
  list.set_issue_id(id);
  v1::ListProgressReportsResponse reports;
  ASSERT_TRUE(h_->stub().ListProgressReports(h_->Context(lead).get(), list, &reports).ok());
  EXPECT_EQ(reports.reports_size(), 0);
}

TEST_F(IssueServiceTest, ListPagesWithOpaqueTokensBoundToTheirQuery) {
  for (int i = 0; i < 7; ++i) {
    int64_t id = Create("问题 " + std::to_string(i)).id();
    auto a = Assignment(id, "hlj-water", "gov-230102");
    a.set_deadline("2023-0" + std::to_string(7 - i) + "-15");
    if (a.deadline() < "2023-03-01") {
      a.set_deadline_already_passed(true);
      a.set_deadline_reason("督察组已定时限");
    }
    v1::Issue out;
    ASSERT_TRUE(h_->stub().AssignIssue(h_->Context(office_).get(), a, &out).ok());
  }
  v1::ListIssuesRequest req;
  req.set_page_size(3);
  req.set_order_by("deadline");
  std::vector<std::string> deadlines;
  std::set<int64_t> seen;
  int pages = 0;
  std::string first_token;
  do {
    v1::ListIssuesResponse resp;
    ASSERT_TRUE(h_->stub().ListIssues(h_->Context(office_).get(), req, &resp).ok());
    for (const auto& i : resp.issues()) {
      deadlines.push_back(i.deadline());
      seen.insert(i.id());
    }
    if (pages == 0) first_token = resp.next_page_token();
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(deadlines.begin(), deadlines.end()));

  v1::ListIssuesResponse resp;
  v1::ListIssuesRequest other;
  other.set_order_by("deadline desc");
  other.set_page_token(first_token);
  auto s = h_->stub().ListIssues(h_->Context(office_).get(), other, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "page_token");
  other.set_order_by("deadline");
  other.set_page_token("garbage");
  EXPECT_EQ(Field(h_->stub().ListIssues(h_->Context(office_).get(), other, &resp)), "page_token");
  other.set_page_token("");
  other.set_page_size(-1);
  EXPECT_EQ(Field(h_->stub().ListIssues(h_->Context(office_).get(), other, &resp)), "page_size");
  other.set_page_size(0);
  other.set_filter("state = NAPPING");
  EXPECT_EQ(Field(h_->stub().ListIssues(h_->Context(office_).get(), other, &resp)), "filter");
}

TEST_F(IssueServiceTest, FiltersSelectTheRightIssues) {
  int64_t water = Assign(Create("松花江某段污水直排").id(), "hlj-water", "gov-230102").id();
  int64_t air = Create("龙沙区扬尘", "230202").id();
  // The clock says 2023-03-01; this deadline has passed.
  auto late = Assignment(air, "hlj-agri", "gov-230202");
  late.set_deadline("2023-02-01");
  late.set_deadline_already_passed(true);
  late.set_deadline_reason("督察组反馈时限已过");
  v1::Issue out;
  ASSERT_TRUE(h_->stub().AssignIssue(h_->Context(office_).get(), late, &out).ok());
  EXPECT_TRUE(out.overdue());
  EXPECT_EQ(ListIds(office_, "overdue = true"), std::vector<int64_t>{air});
  EXPECT_EQ(ListIds(office_, "overdue = false"), std::vector<int64_t>{water});
  EXPECT_EQ(ListIds(office_, R"(region = "230100")"), std::vector<int64_t>{water});
  EXPECT_EQ(ListIds(office_, R"(title : "污水")"), std::vector<int64_t>{water});
  EXPECT_EQ(ListIds(office_, R"(title : "%")"), std::vector<int64_t>{});
  EXPECT_EQ(ListIds(office_, "rectifying_org = gov-230202"), std::vector<int64_t>{air});
  EXPECT_EQ(ListIds(office_, "lead_org = hlj-water AND state = ASSIGNED"),
            std::vector<int64_t>{water});
  EXPECT_EQ(ListIds(office_, R"(deadline < "2023-03-01")"), std::vector<int64_t>{air});
}

TEST_F(IssueServiceTest, TheComplainantsContactIsShownToTheOfficeOnly) {
  v1::CreateIssueRequest req;
  auto* i = req.mutable_issue();
  i->set_title("群众举报：某养殖场粪污直排");
  i->set_source(v1::Issue::COMPLAINT);
  i->set_category(v1::Issue::AGRICULTURE);
  i->set_region_code("230102");
  i->mutable_complaint()->set_batch("第3批");
  i->mutable_complaint()->set_complainant_contact("139****0000");
  v1::Issue created;
  ASSERT_TRUE(h_->stub().CreateIssue(h_->Context(office_).get(), req, &created).ok());
  EXPECT_EQ(created.complaint().complainant_contact(), "139****0000");
  v1::Issue seen;
  ASSERT_EQ(Get(created.id(), h_->Token(Role::kCity, "gov-230100", "230100"), &seen),
            grpc::StatusCode::OK);
  EXPECT_EQ(seen.complaint().complainant_contact(), "");
  EXPECT_EQ(seen.complaint().batch(), "第3批");
}

std::vector<v1::Event> ReadEvents(grpc::ClientReader<v1::Event>& reader, size_t n) {
  std::vector<v1::Event> out;
  v1::Event e;
  while (out.size() < n && reader.Read(&e)) out.push_back(e);
  return out;
}

TEST_F(IssueServiceTest, WatchEventsReplaysFollowsLiveAndResumesAfterARestart) {
  int64_t id = Create("A").id();
  Assign(id, "hlj-water", "gov-230102");
  auto service = h_->Token(Role::kService, "supervision-service");

  v1::WatchEventsRequest req;
  auto ctx = h_->Context(service);
  auto reader = h_->stub().WatchEvents(ctx.get(), req);
  auto replayed = ReadEvents(*reader, 2);
  ASSERT_EQ(replayed.size(), 2u);
  EXPECT_EQ(replayed[0].type(), "issue.created");
  EXPECT_EQ(replayed[1].type(), "issue.assigned");
  EXPECT_EQ(replayed[1].resource(), "issues/" + std::to_string(id));
  EXPECT_NE(replayed[1].payload_json().find("hlj-water"), std::string::npos);

  Acknowledge(id, h_->Token(Role::kDepartment, "hlj-water"));
  auto live = ReadEvents(*reader, 1);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].type(), "issue.acknowledged");
  int64_t cursor = live[0].cursor();
  ctx->TryCancel();
  reader->Finish();

  h_->Restart();
  Create("B");
  req.set_after_cursor(cursor);
  auto ctx2 = h_->Context(service);
  auto resumed = h_->stub().WatchEvents(ctx2.get(), req);
  auto after = ReadEvents(*resumed, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type(), "issue.created");
  EXPECT_GT(after[0].cursor(), cursor);
  ctx2->TryCancel();
  resumed->Finish();
}

TEST_F(IssueServiceTest, WatchEventsFromNowSkipsThePastAndSaysWhereItStarts) {
  int64_t id = Create("A").id();
  Assign(id, "hlj-water", "gov-230102");
  v1::WatchEventsRequest req;
  req.set_from_now(true);
  req.add_types("issue.acknowledged");  // the bookmark comes whatever the types
  auto ctx = h_->Context(office_);
  auto reader = h_->stub().WatchEvents(ctx.get(), req);
  auto bookmark = ReadEvents(*reader, 1);
  ASSERT_EQ(bookmark.size(), 1u);
  EXPECT_EQ(bookmark[0].type(), "stream.bookmark");
  EXPECT_EQ(bookmark[0].cursor(), h_->store().events().Horizon()) << "after the two events";
  EXPECT_TRUE(bookmark[0].resource().empty());

  Acknowledge(id, h_->Token(Role::kDepartment, "hlj-water"));
  auto live = ReadEvents(*reader, 1);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].type(), "issue.acknowledged") << "neither created nor assigned replayed";
  EXPECT_GT(live[0].cursor(), bookmark[0].cursor());
  ctx->TryCancel();
  reader->Finish();

  req.set_after_cursor(1);
  auto ctx2 = h_->Context(office_);
  auto refused = h_->stub().WatchEvents(ctx2.get(), req);
  v1::Event e;
  EXPECT_FALSE(refused->Read(&e));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(IssueServiceTest, WatchEventsFiltersByTypeAndRefusesScopedRoles) {
  int64_t id = Create("A").id();
  Assign(id, "hlj-water", "gov-230102");
  v1::WatchEventsRequest req;
  req.add_types("issue.assigned");
  auto ctx = h_->Context(office_);
  auto reader = h_->stub().WatchEvents(ctx.get(), req);
  auto events = ReadEvents(*reader, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "issue.assigned");
  ctx->TryCancel();
  reader->Finish();

  auto county = h_->Context(h_->Token(Role::kCounty, "gov-230102", "230102"));
  auto refused = h_->stub().WatchEvents(county.get(), v1::WatchEventsRequest());
  v1::Event e;
  EXPECT_FALSE(refused->Read(&e));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IssueServiceTest, TheLedgerKeptBeforeTheSystemIsImportedAsItWasButOnlyForEarlierRounds) {
  auto inspection = [&](const std::string& feedback) {
    v1::CreateInspectionRequest req;
    req.mutable_inspection()->set_kind(v1::Inspection::CENTRAL);
    req.mutable_inspection()->set_title("督察");
    req.mutable_inspection()->set_region_code("230000");
    req.mutable_inspection()->set_feedback_date(feedback);
    v1::Inspection out;
    EXPECT_TRUE(h_->stub().CreateInspection(h_->Context(office_).get(), req, &out).ok());
    return out.id();
  };
  int64_t old_round = inspection("2021-06-01");
  int64_t new_round = inspection("2099-01-15");
  v1::ImportIssueRequest req;
  auto* i = req.mutable_issue();
  i->set_inspection_id(old_round);
  i->set_title("某县污水处理厂提标改造（原台账第12项）");
  i->set_source(v1::Issue::FEEDBACK);
  i->set_category(v1::Issue::WATER);
  i->set_region_code("230102");
  i->set_state(v1::Issue::CLOSED);
  i->set_lead_org_id("hlj-water");
  i->add_responsible_org_ids("gov-230102");
  i->set_acceptance_org_id("hlj-deee");
  i->set_deadline("2021-12-31");
  i->set_rectification_class(v1::Issue::TIME_LIMITED);
  req.set_source_document("黑环督改〔2021〕12号");
  req.set_closed_date("2022-05-01");
  v1::Issue imported;
  auto s = h_->stub().ImportIssue(h_->Context(office_).get(), req, &imported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(imported.state(), v1::Issue::CLOSED);
  EXPECT_EQ(imported.imported_from(), "黑环督改〔2021〕12号");
  EXPECT_TRUE(imported.has_close_time());
  auto history = h_->store().LoadHistory("issues/" + std::to_string(imported.id()),
                                         absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].action, "issue.imported") << "an import never passes for a closure";

  v1::Issue out;
  EXPECT_EQ(
      h_->stub()
          .ImportIssue(h_->Context(h_->Token(Role::kDepartment, "hlj-water")).get(), req, &out)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  req.mutable_issue()->set_inspection_id(new_round);
  s = h_->stub().ImportIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(s), "NOT_HISTORICAL");
  req.mutable_issue()->set_inspection_id(old_round);
  req.mutable_issue()->set_state(v1::Issue::PUBLIC_NOTICE);
  EXPECT_EQ(Field(h_->stub().ImportIssue(h_->Context(office_).get(), req, &out)), "issue.state");
  req.mutable_issue()->set_state(v1::Issue::CLOSED);
  req.set_closed_date("");
  EXPECT_EQ(Field(h_->stub().ImportIssue(h_->Context(office_).get(), req, &out)), "closed_date");

  // A look-back finds it was never really fixed: it is reopened like any closed issue.
  v1::ReopenIssueRequest reopen;
  reopen.set_id(imported.id());
  reopen.set_reason(v1::Reopening::LOOK_BACK_FINDING);
  reopen.set_explanation("回头看发现问题反弹");
  reopen.set_cause("inspections/" + std::to_string(new_round));
  ASSERT_TRUE(h_->stub().ReopenIssue(h_->Context(office_).get(), reopen, &out).ok());
  EXPECT_EQ(out.state(), v1::Issue::RECTIFYING);
}

TEST_F(IssueServiceTest, ReferenceDataAndInspections) {
  v1::ListRegionsRequest regions_req;
  regions_req.set_under_code("230100");
  v1::ListRegionsResponse regions;
  auto pub = h_->Token(Role::kPublic, "");
  ASSERT_TRUE(h_->stub().ListRegions(h_->Context(pub).get(), regions_req, &regions).ok());
  EXPECT_GT(regions.regions_size(), 3);
  for (const auto& r : regions.regions()) EXPECT_EQ(r.code().substr(0, 4), "2301");

  v1::CreateInspectionRequest ins;
  ins.mutable_inspection()->set_kind(v1::Inspection::CENTRAL);
  ins.mutable_inspection()->set_title("第二轮第六批中央生态环境保护督察");
  ins.mutable_inspection()->set_region_code("230000");
  ins.mutable_inspection()->set_feedback_date("2022-01-14");
  v1::Inspection created;
  ASSERT_TRUE(h_->stub().CreateInspection(h_->Context(office_).get(), ins, &created).ok());
  // 30 working days after 2022-01-14 on the 2022 calendar: the Spring Festival (Jan 31 - Feb 6)
  // is skipped and the two swapped weekend workdays (Jan 29, 30) count.
  EXPECT_EQ(created.plan_due_date(), "2022-03-02");
  auto s = h_->stub().CreateInspection(h_->Context(pub).get(), ins, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::UpsertOrgRequest org;
  org.mutable_org()->set_id("hlj-transport");
  org.mutable_org()->set_name("黑龙江省交通运输厅");
  org.mutable_org()->set_kind(v1::Org::DEPARTMENT);
  org.mutable_org()->set_region_code("230000");
  v1::Org saved;
  ASSERT_TRUE(h_->stub().UpsertOrg(h_->Context(office_).get(), org, &saved).ok());
  EXPECT_EQ(saved.etag(), "v1");
  // The new org can be assigned at once.
  int64_t id = Create("A").id();
  v1::Issue out;
  ASSERT_TRUE(h_->stub()
                  .AssignIssue(h_->Context(office_).get(),
                               Assignment(id, "hlj-transport", "gov-230102"), &out)
                  .ok());
  org.mutable_org()->set_id("Bad Id!");
  EXPECT_EQ(Field(h_->stub().UpsertOrg(h_->Context(office_).get(), org, &saved)), "org.id");
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

TEST_F(IssueServiceTest, ALongChineseTitleIsStoredWholeAndFoundByAnyOfItsWords) {
  // 200 characters, 600 bytes: the longest title allowed.
  std::string title;
  for (int i = 0; i < 49; ++i) title += "黑臭水体";
  title += "末尾词句";
  ASSERT_EQ(title.size(), 600u);
  auto created = Create(title);
  ASSERT_GT(created.id(), 0);
  v1::GetIssueRequest get;
  get.set_id(created.id());
  v1::Issue read;
  ASSERT_TRUE(h_->stub().GetIssue(h_->Context(office_).get(), get, &read).ok());
  EXPECT_EQ(read.title(), title);
  // Words past the first 255 bytes are found too.
  v1::ListIssuesRequest list;
  list.set_filter("title:末尾词句");
  v1::ListIssuesResponse found;
  ASSERT_TRUE(h_->stub().ListIssues(h_->Context(office_).get(), list, &found).ok());
  ASSERT_EQ(found.issues_size(), 1);
  EXPECT_EQ(found.issues(0).id(), created.id());
  // One character more is refused, naming the field and the limit in characters.
  v1::CreateIssueRequest req;
  req.mutable_issue()->set_title(title + "字");
  req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
  req.mutable_issue()->set_category(v1::Issue::WATER);
  req.mutable_issue()->set_region_code("230102");
  v1::Issue out;
  auto s = h_->stub().CreateIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("200 characters"), std::string::npos) << s.error_message();
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

TEST_F(IssueServiceTest, AnAssignmentThatCouldNeverCloseIsRefusedNamingTheStep) {
  int64_t id = Create("道里区某河段黑臭").id();
  // The acceptance department pre-examines (step 3) and may not sign the joint review after it.
  auto req = Assignment(id, "hlj-water", "gov-230102");
  req.add_joint_reviewer_org_ids("hlj-deee");
  v1::Issue out;
  auto s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "joint_reviewer_org_ids[1]");
  EXPECT_NE(s.error_message().find("step 4"), std::string::npos) << s.error_message();
  // The city above the county accepts on site (step 2): it cannot also rectify.
  req = Assignment(id, "hlj-water", "gov-230102");
  req.add_responsible_org_ids("gov-230100");
  s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "responsible_org_ids[1]");
  EXPECT_NE(s.error_message().find("step 2"), std::string::npos) << s.error_message();
  // Nothing was assigned.
  v1::Issue now;
  Get(id, office_, &now);
  EXPECT_EQ(now.state(), v1::Issue::REGISTERED);
}

TEST_F(IssueServiceTest, ADeadlineAlreadyPastNeedsAConfirmationAndAReasonKeptInHistory) {
  int64_t id = Create("逾期反馈问题").id();
  auto req = Assignment(id, "hlj-water", "gov-230102");
  req.set_deadline("2023-02-01");  // the harness's today is 2023-03-01
  v1::Issue out;
  auto s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(s), "deadline");
  req.set_deadline_already_passed(true);
  s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
  EXPECT_EQ(Field(s), "deadline_reason");
  req.set_deadline_reason("督察组反馈时限已过，补录交办");
  s = h_->stub().AssignIssue(h_->Context(office_).get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.deadline(), "2023-02-01");

  v1::GetIssueHistoryRequest history;
  history.set_id(id);
  v1::GetIssueHistoryResponse records;
  ASSERT_TRUE(h_->stub().GetIssueHistory(h_->Context(office_).get(), history, &records).ok());
  ASSERT_EQ(records.records_size(), 2);
  EXPECT_EQ(records.records(1).action(), "issue.assigned");
  EXPECT_NE(records.records(1).payload_json().find("督察组反馈时限已过"), std::string::npos);
  // A confirmation for a deadline that is not past is a mistake, not a formality.
  int64_t other = Create("按期问题").id();
  auto fine = Assignment(other, "hlj-water", "gov-230102");
  fine.set_deadline_already_passed(true);
  EXPECT_EQ(Field(h_->stub().AssignIssue(h_->Context(office_).get(), fine, &out)),
            "deadline_already_passed");
}

}  // namespace
}  // namespace rectify
