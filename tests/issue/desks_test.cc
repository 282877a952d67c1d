// The issue registry's desks over in-memory stores: the ledger, the closure desk, the dossier,
// history, inspections and statistics, with no server and no database.
#include <memory>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "gtest/gtest.h"
#include "issue-service/domain/issue_registry.h"
#include "tests/fakes/in_memory_issue_stores.h"

namespace rectify::issues {
namespace {

const std::string kPdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

absl::Time At(int y, int m, int d, int h = 9) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), absl::FixedTimeZone(8 * 3600));
}

class DesksTest : public ::testing::Test {
 protected:
  DesksTest() {
    reference_.regions = {{"230000", "黑龙江省", RegionLevel::kProvince, ""},
                          {"230100", "哈尔滨市", RegionLevel::kCity, "230000"},
                          {"230102", "道里区", RegionLevel::kCounty, "230100"},
                          {"230200", "齐齐哈尔市", RegionLevel::kCity, "230000"}};
    reference_.orgs = {{"hlj-office", "省整改办", OrgKind::kOffice, "230000"},
                       {"hlj-water", "省水利厅", OrgKind::kDepartment, "230000"},
                       {"hlj-deee", "省生态环境厅", OrgKind::kDepartment, "230000"},
                       {"hlj-housing", "省住建厅", OrgKind::kDepartment, "230000"},
                       {"gov-230100", "哈尔滨市政府", OrgKind::kGovernment, "230100"},
                       {"gov-230102", "道里区政府", OrgKind::kGovernment, "230102"},
                       {"gov-230200", "齐齐哈尔市政府", OrgKind::kGovernment, "230200"}};
    RegistrySettings settings;
    settings.page_token_secret = "desks-test-secret-0123456789abcdef";
    settings.max_evidence_bytes = 1 << 10;
    registry_ = std::make_unique<IssueRegistry>(
        RegistryStores{reference_, inspections_, store_, store_, store_, stats_}, settings);
    EXPECT_TRUE(registry_->Init(absl::InfiniteFuture()).ok());
  }

  CallContext Call(Role role, const std::string& org, const std::string& region = "",
                   const std::string& subject = "") {
    CallContext call;
    call.principal = {subject.empty() ? org + "-user" : subject, org, role, region};
    call.now = now_;
    call.deadline = absl::InfiniteFuture();
    return call;
  }
  CallContext Office() { return Call(Role::kOffice, "hlj-office", "230000"); }
  CallContext Water() { return Call(Role::kDepartment, "hlj-water"); }
  CallContext Deee() { return Call(Role::kDepartment, "hlj-deee"); }
  CallContext Housing() { return Call(Role::kDepartment, "hlj-housing"); }
  CallContext Harbin() { return Call(Role::kCity, "gov-230100", "230100"); }
  CallContext Daoli() { return Call(Role::kCounty, "gov-230102", "230102"); }
  CallContext Public() { return Call(Role::kPublic, "", "", "citizen-1"); }

  Assignment AssignmentFor(int64_t id) {
    Assignment a;
    a.issue_id = id;
    a.lead_org_id = "hlj-water";
    a.responsible_org_ids = {"gov-230102"};
    a.acceptance_org_id = "hlj-deee";
    a.joint_reviewer_org_ids = {"hlj-housing"};
    a.deadline = "2023-06-30";
    a.rectification_class = RectificationClass::kTimeLimited;
    return a;
  }

  int64_t Register(const std::string& region = "230102", const std::string& title = "污水直排") {
    Issue issue;
    issue.title = title;
    issue.source = IssueSource::kFeedback;
    issue.category = Category::kWater;
    issue.region_code = region;
    Measure m;
    m.description = "截污纳管";
    issue.measures = {m};
    auto created = registry_->ledger().CreateIssue(Office(), issue);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : 0;
  }

  // Registered, assigned, acknowledged, every measure done: ready to apply.
  int64_t ReadyToApply() {
    int64_t id = Register();
    EXPECT_TRUE(registry_->ledger().AssignIssue(Office(), AssignmentFor(id)).ok());
    EXPECT_TRUE(registry_->ledger().AcknowledgeAssignment(Water(), id, "").ok());
    ProgressReport report;
    report.percent_done = 100;
    report.narrative = "全部完成";
    report.measure_updates = {MeasureUpdate{"m1", true, ""}};
    auto r = registry_->ledger().ReportProgress(Daoli(), id, report);
    EXPECT_TRUE(r.ok()) << r.status();
    return id;
  }

  int64_t AddFile(int64_t id, const CallContext& call,
                  EvidenceKind kind = EvidenceKind::kDocument) {
    Evidence e;
    e.issue_id = id;
    e.kind = kind;
    e.file_name = "验收材料.pdf";
    auto saved = registry_->dossier().AddEvidence(call, e, kPdf);
    EXPECT_TRUE(saved.ok()) << saved.status();
    return saved.ok() ? saved->id : 0;
  }

  std::vector<std::string> Actions(int64_t id) {
    std::vector<std::string> out;
    for (const auto& r : store_.history[IssueResource(id)]) out.push_back(r.action);
    return out;
  }

  absl::Time now_ = At(2023, 3, 1);
  fakes::InMemoryReferenceStore reference_;
  fakes::InMemoryInspectionStore inspections_;
  fakes::InMemoryIssueStore store_;
  fakes::InMemoryStatsStore stats_;
  std::unique_ptr<IssueRegistry> registry_;
};

TEST_F(DesksTest, ACountysIssueGoesThroughTheFiveStepsAndEveryStepIsInItsHistory) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  auto& closure = registry_->closure();
  ASSERT_TRUE(closure.RequestAcceptance(Daoli(), id, "自查完毕", {file}, false, "").ok());
  EXPECT_TRUE(store_.ListEvidence(id, now_)->at(0).sealed) << "an applied file is sealed";
  ASSERT_TRUE(
      closure.ReviewAcceptance(Harbin(), id, AcceptanceStep::kOnSite, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Deee(), id, AcceptanceStep::kPreExamination, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Housing(), id, AcceptanceStep::kJointReview, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Office(), id, AcceptanceStep::kJointReview, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(closure.OpenPublicNotice(Office(), id, 5, "").ok());
  EXPECT_EQ(ErrorReason(closure.CloseIssue(Office(), id, "").status()), "NOTICE_NOT_ENDED");
  now_ += absl::Hours(24 * 10);
  auto closed = closure.CloseIssue(Office(), id, "");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state, IssueState::kClosed);
  EXPECT_EQ(closed->acceptance->on_site->org, "gov-230100");

  EXPECT_EQ(Actions(id),
            (std::vector<std::string>{
                "issue.created", "issue.assigned", "issue.acknowledged", "issue.progress_reported",
                "issue.evidence_added", "issue.acceptance_requested", "issue.locally_accepted",
                "issue.pre_examined", "issue.joint_review_signed", "issue.joint_reviewed",
                "issue.public_notice_opened", "issue.closed"}));
  auto verified = registry_->history().VerifyIssueHistory(Office(), id);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->evidence_checked, 1);
}

TEST_F(DesksTest, AStepSignedByTheWrongOrgChangesNothing) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  ASSERT_TRUE(registry_->closure().RequestAcceptance(Daoli(), id, "自查", {file}, false, "").ok());
  Issue before = store_.issues[id];
  size_t records = store_.history[IssueResource(id)].size();
  // The lead rectifies the issue: it may not accept it; the pre-examiner may not sign on site.
  for (auto call : {Water(), Deee(), Daoli(), Office()}) {
    auto s = registry_->closure().ReviewAcceptance(call, id, AcceptanceStep::kOnSite,
                                                   Decision::kApprove, "", "");
    EXPECT_EQ(s.status().code(), absl::StatusCode::kPermissionDenied) << call.principal.org;
  }
  EXPECT_EQ(store_.issues[id].version, before.version);
  EXPECT_EQ(store_.issues[id].state, IssueState::kAcceptanceRequested);
  EXPECT_EQ(store_.history[IssueResource(id)].size(), records);
}

TEST_F(DesksTest, ARejectionSendsTheIssueBackWithItsReasonAndCountsIt) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  ASSERT_TRUE(registry_->closure().RequestAcceptance(Daoli(), id, "自查", {file}, false, "").ok());
  auto no_reason = registry_->closure().ReviewAcceptance(Harbin(), id, AcceptanceStep::kOnSite,
                                                         Decision::kReject, "", "");
  EXPECT_EQ(no_reason.status().code(), absl::StatusCode::kInvalidArgument);
  auto rejected = registry_->closure().ReviewAcceptance(Harbin(), id, AcceptanceStep::kOnSite,
                                                        Decision::kReject, "仍有污水直排", "");
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->state, IssueState::kRectifying);
  EXPECT_EQ(rejected->rejection_count, 1);
  EXPECT_EQ(rejected->last_rejection_reason, "仍有污水直排");
}

TEST_F(DesksTest, AStaleEtagIsRefusedBeforeTheRuleRuns) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  auto s = registry_->closure().RequestAcceptance(Daoli(), id, "自查", {file}, false, "\"v1\"");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kAborted) << s.status();
  EXPECT_EQ(store_.issues[id].state, IssueState::kRectifying);
}

TEST_F(DesksTest, ARepeatedRequestIsAnsweredOnceAndOnlyToTheSamePrincipal) {
  int64_t id = Register();
  CallContext first = Office();
  first.request_id = "assign-1";
  first.request_fingerprint = "f1";
  ASSERT_TRUE(registry_->ledger().AssignIssue(first, AssignmentFor(id)).ok());
  int commits = store_.mutations_committed;
  auto again = registry_->ledger().AssignIssue(first, AssignmentFor(id));
  ASSERT_TRUE(again.ok()) << again.status() << ": the first answer, not INVALID_STATE";
  EXPECT_EQ(again->state, IssueState::kAssigned);
  EXPECT_EQ(store_.mutations_committed, commits);
  // Same subject, another org and region: another caller, who may not see a county's issue even
  // with the request id and body of a report its namesake made.
  ASSERT_TRUE(registry_->ledger().AcknowledgeAssignment(Water(), id, "").ok());
  CallContext county = Daoli();
  county.request_id = "report-1";
  county.request_fingerprint = "r1";
  ProgressReport report;
  report.percent_done = 10;
  report.narrative = "开工";
  ASSERT_TRUE(registry_->ledger().ReportProgress(county, id, report).ok());
  CallContext other = Call(Role::kCity, "gov-230200", "230200", county.principal.subject);
  other.request_id = county.request_id;
  other.request_fingerprint = county.request_fingerprint;
  auto foreign = registry_->ledger().ReportProgress(other, id, report);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied) << foreign.status();
  CallContext reused = first;
  reused.request_fingerprint = "f2";
  EXPECT_EQ(registry_->ledger().AssignIssue(reused, AssignmentFor(id)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DesksTest, AnAssignmentThatLeavesAStepWithoutASignerIsRefusedNamingIt) {
  int64_t id = Register();
  Assignment a = AssignmentFor(id);
  a.joint_reviewer_org_ids = {"hlj-deee"};
  auto s = registry_->ledger().AssignIssue(Office(), a);
  ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations(s.status()).at(0).field, "joint_reviewer_org_ids[0]") << s.status();
  a = AssignmentFor(id);
  a.responsible_org_ids = {"gov-230102", "gov-230100"};
  s = registry_->ledger().AssignIssue(Office(), a);
  ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << "no on-site acceptor left";
  EXPECT_EQ(store_.issues[id].state, IssueState::kRegistered);
  EXPECT_EQ(Actions(id), std::vector<std::string>{"issue.created"});
}

TEST_F(DesksTest, APastDeadlineNeedsConfirmingWithAReasonThatHistoryKeeps) {
  int64_t id = Register();
  Assignment a = AssignmentFor(id);
  a.deadline = "2023-02-01";
  auto refused = registry_->ledger().AssignIssue(Office(), a);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations(refused.status()).at(0).field, "deadline");
  a.deadline_already_passed = true;
  EXPECT_EQ(FieldViolations(registry_->ledger().AssignIssue(Office(), a).status()).at(0).field,
            "deadline_reason");
  a.deadline_reason = "督察组反馈时已明确限期";
  ASSERT_TRUE(registry_->ledger().AssignIssue(Office(), a).ok());
  auto payload = nlohmann::json::parse(store_.history[IssueResource(id)].back().payload_json);
  EXPECT_NE(payload.value("note", "").find("督察组反馈时已明确限期"), std::string::npos);
}

TEST_F(DesksTest, ListingsStayInScopeAndPageWithTokensBoundToTheCaller) {
  for (int i = 0; i < 5; ++i) Register("230102", "道里" + std::to_string(i));
  for (int i = 0; i < 3; ++i) Register("230200", "齐齐哈尔" + std::to_string(i));
  auto first = registry_->ledger().ListIssues(Daoli(), 2, "", "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  std::vector<int64_t> seen;
  std::string token = first->next_page_token;
  for (const auto& i : first->issues) seen.push_back(i.id);
  while (!token.empty()) {
    auto page = registry_->ledger().ListIssues(Daoli(), 2, token, "", "");
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& i : page->issues) seen.push_back(i.id);
    token = page->next_page_token;
  }
  EXPECT_EQ(seen.size(), 5u);
  for (int64_t id : seen) EXPECT_EQ(store_.issues[id].region_code, "230102");
  auto stolen = registry_->ledger().ListIssues(Office(), 2, first->next_page_token, "", "");
  EXPECT_EQ(stolen.status().code(), absl::StatusCode::kInvalidArgument);
  auto all = registry_->ledger().ListIssues(Office(), 50, "", "region = \"230200\"", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->issues.size(), 3u);
}

TEST_F(DesksTest, AnOutOfScopeIssueCannotBeToldFromAMissingOne) {
  int64_t id = Register("230200");
  auto hidden = registry_->ledger().GetIssue(Daoli(), id);
  auto missing = registry_->ledger().GetIssue(Daoli(), id + 100);
  EXPECT_EQ(hidden.status().code(), missing.status().code());
  EXPECT_EQ(hidden.status().message(),
            std::string(missing.status().message())
                .replace(missing.status().message().find(std::to_string(id + 100)),
                         std::to_string(id + 100).size(), std::to_string(id)));
}

TEST_F(DesksTest, TheDossierTakesFilesFromRectifiersWhileTheIssueIsOpen) {
  int64_t id = ReadyToApply();
  Evidence e;
  e.issue_id = id;
  e.kind = EvidenceKind::kDocument;
  e.file_name = "报告.pdf";
  EXPECT_EQ(registry_->dossier().AddEvidence(Housing(), e, kPdf).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "not a rectifier";
  EXPECT_EQ(registry_->dossier().AddEvidence(Daoli(), e, "MZ not a pdf").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->dossier().AddEvidence(Daoli(), e, std::string(2048, 'x')).status().code(),
            absl::StatusCode::kResourceExhausted);
  e.kind = EvidenceKind::kObjectionEvidence;
  EXPECT_EQ(registry_->dossier().AddEvidence(Daoli(), e, kPdf).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "objection evidence is the public's";
  EXPECT_TRUE(store_.ListEvidence(id, now_)->empty());
  EXPECT_EQ(registry_->dossier().ListEvidence(Public(), id).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(DesksTest, VerificationNamesTheFirstRecordOrFileThatWasChanged) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  auto& chain = store_.history[IssueResource(id)];
  auto ok = registry_->history().VerifyIssueHistory(Office(), id);
  ASSERT_TRUE(ok.ok() && ok->ok);
  std::string original = chain[2].payload_json;
  chain[2].payload_json = R"({"id":1,"state":3,"note":"edited"})";
  auto edited = registry_->history().VerifyIssueHistory(Office(), id);
  ASSERT_TRUE(edited.ok());
  EXPECT_FALSE(edited->ok);
  EXPECT_EQ(edited->first_bad_seq, 3);
  chain[2].payload_json = original;
  store_.contents[file] = kPdf + " ";
  auto swapped = registry_->history().VerifyIssueHistory(Office(), id);
  ASSERT_TRUE(swapped.ok());
  EXPECT_FALSE(swapped->ok);
  EXPECT_EQ(swapped->first_bad_seq, static_cast<int64_t>(chain.size()));
  EXPECT_NE(swapped->problem.find("content"), std::string::npos) << swapped->problem;
}

TEST_F(DesksTest, TheHistoryPagesNewestFirst) {
  int64_t id = ReadyToApply();
  auto page = registry_->history().GetIssueHistory(Office(), id, 2, "", true);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->records[0].action, "issue.progress_reported");
  auto next = registry_->history().GetIssueHistory(Office(), id, 2, page->next_page_token, true);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->records[0].action, "issue.assigned");
}

TEST_F(DesksTest, InspectionsGetTheirPlanDueDateAndPageByKind) {
  Inspection i;
  i.kind = InspectionKind::kCentral;
  i.title = "第二轮中央生态环境保护督察";
  i.region_code = "230000";
  i.feedback_date = "2023-02-27";
  auto created = registry_->inspections().CreateInspection(Office(), i);
  ASSERT_TRUE(created.ok()) << created.status();
  // 30 working days after Monday 27 February 2023: six weeks on, and a day for 清明 (5 April).
  EXPECT_EQ(created->plan_due_date, "2023-04-11");
  i.kind = InspectionKind::kProvincial;
  ASSERT_TRUE(registry_->inspections().CreateInspection(Office(), i).ok());
  auto central =
      registry_->inspections().ListInspections(Office(), 10, "", InspectionKind::kCentral);
  ASSERT_TRUE(central.ok());
  EXPECT_EQ(central->inspections.size(), 1u);
  i.region_code = "999999";
  i.stationed_from = "2023-02-01";
  i.stationed_to = "2023-01-01";
  auto bad = registry_->inspections().CreateInspection(Office(), i);
  EXPECT_EQ(FieldViolations(bad.status()).size(), 2u) << bad.status();
  EXPECT_EQ(registry_->inspections().CreateInspection(Daoli(), i).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(DesksTest, StatisticsAskTheStoreWithinTheCallersScopeAndFoldItsCounts) {
  stats_.data.rows = {{StatsRow::kState, IssueState::kClosed, "2301", false, 0, 3},
                      {StatsRow::kState, IssueState::kPublicNotice, "2301", false, 0, 1},
                      {StatsRow::kState, IssueState::kRectifying, "2302", true, 0, 2},
                      {StatsRow::kState, IssueState::kRectifying, "2302", false, 0, 4}};
  stats_.data.overdue = 2;
  auto stats = registry_->statistics().GetLedgerStats(Harbin(), "230100", 0);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats_.last_query->scope.region_prefix, "2301");
  EXPECT_EQ(stats_.last_query->region_prefix, "2301");
  EXPECT_EQ(stats->total, 10);
  EXPECT_EQ(stats->accepted_and_closed, 3);
  EXPECT_EQ(stats->acceptance_not_completed, 1);
  EXPECT_EQ(stats->acceptance_not_applied, 2);
  EXPECT_DOUBLE_EQ(stats->completion_rate, 0.4);
  EXPECT_DOUBLE_EQ(stats->closure_rate, 0.3);
  EXPECT_EQ(stats->by_city.at("230100"), 4);
  EXPECT_EQ(registry_->statistics().GetLedgerStats(Office(), "2301", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DesksTest, ObjectionsComeFromThePublicDuringTheNoticeAndAreRateLimited) {
  int64_t id = ReadyToApply();
  int64_t file = AddFile(id, Daoli());
  auto& closure = registry_->closure();
  ASSERT_TRUE(closure.RequestAcceptance(Daoli(), id, "自查", {file}, false, "").ok());
  ASSERT_TRUE(
      closure.ReviewAcceptance(Harbin(), id, AcceptanceStep::kOnSite, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Deee(), id, AcceptanceStep::kPreExamination, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Housing(), id, AcceptanceStep::kJointReview, Decision::kApprove, "", "")
          .ok());
  ASSERT_TRUE(
      closure
          .ReviewAcceptance(Office(), id, AcceptanceStep::kJointReview, Decision::kApprove, "", "")
          .ok());
  Objection o;
  o.text = "河道仍有异味";
  EXPECT_EQ(closure.FileObjection(Daoli(), id, o).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(closure.FileObjection(Public(), id, o).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "no notice open yet";
  ASSERT_TRUE(closure.OpenPublicNotice(Office(), id, 5, "").ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(closure.FileObjection(Public(), id, o).ok());
  EXPECT_EQ(closure.FileObjection(Public(), id, o).status().code(),
            absl::StatusCode::kResourceExhausted);
  now_ += absl::Hours(24 * 10);
  EXPECT_EQ(ErrorReason(closure.CloseIssue(Office(), id, "").status()), "OBJECTION_PENDING");
  auto listed = closure.ListObjections(Office(), id);
  ASSERT_TRUE(listed.ok());
  ASSERT_TRUE(closure.RuleOnObjection(Office(), id, listed->at(0).id, true, "查实").ok());
  EXPECT_EQ(store_.issues[id].state, IssueState::kRectifying);
}

}  // namespace
}  // namespace rectify::issues
