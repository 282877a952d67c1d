// Closure acceptance through the in-process service: the five steps for a county's, a city's and
// a department-led issue, every rejection, separation of duties, objections, reopening,
// extensions, complaints, stage goals, the dossier's limits and the tamper-evident history.
#include <random>
#include <set>

#include "common/grpc_status.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
namespace {

using testing::IssueServiceHarness;

const std::string kPdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

class ClosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = IssueServiceHarness::Start();
    if (!h_) GTEST_SKIP();
    office_ = h_->Office();
    water_ = h_->Token(Role::kDepartment, "hlj-water");
    deee_ = h_->Token(Role::kDepartment, "hlj-deee");
    housing_ = h_->Token(Role::kDepartment, "hlj-housing");
    harbin_ = h_->Token(Role::kCity, "gov-230100", "230100");
    daoli_ = h_->Token(Role::kCounty, "gov-230102", "230102");
    public_ = h_->Token(Role::kPublic, "");
  }

  v1::IssueRegistry::Stub& S() { return h_->stub(); }
  std::unique_ptr<grpc::ClientContext> C(const std::string& token) { return h_->Context(token); }
  static std::string Reason(const grpc::Status& s) { return ErrorReason(FromGrpcStatus(s)); }

  // An issue in RECTIFYING: registered, assigned, acknowledged.
  int64_t Rectifying(const std::string& region, const std::string& lead,
                     const std::string& rectifier, v1::Issue::Source source = v1::Issue::FEEDBACK,
                     v1::Issue::RectificationClass klass = v1::Issue::TIME_LIMITED) {
    v1::CreateIssueRequest create;
    auto* i = create.mutable_issue();
    i->set_title("验收测试");
    i->set_source(source);
    i->set_category(v1::Issue::WATER);
    i->set_region_code(region);
    i->add_measures()->set_description("截污纳管");
    auto* t = i->add_targets();
    t->set_metric("COD");
    t->set_unit("mg/L");
    t->set_baseline(60);
    t->set_target(50);
    if (source == v1::Issue::COMPLAINT) i->mutable_complaint()->set_batch("第1批");
    v1::Issue out;
    EXPECT_TRUE(S().CreateIssue(C(office_).get(), create, &out).ok());
    v1::AssignIssueRequest assign;
    assign.set_id(out.id());
    assign.set_lead_org_id(lead);
    assign.add_responsible_org_ids(rectifier);
    assign.set_acceptance_org_id("hlj-deee");
    assign.add_joint_reviewer_org_ids("hlj-housing");
    assign.set_deadline("2023-06-30");
    assign.set_rectification_class(klass);
    EXPECT_TRUE(S().AssignIssue(C(office_).get(), assign, &out).ok());
    v1::AcknowledgeAssignmentRequest ack;
    ack.set_id(out.id());
    auto s = S().AcknowledgeAssignment(C(h_->Token(Role::kDepartment, lead)).get(), ack, &out);
    if (!s.ok()) {
      s = S().AcknowledgeAssignment(C(h_->Token(Role::kCity, lead, region)).get(), ack, &out);
    }
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.id();
  }

  grpc::Status Upload(int64_t issue, const std::string& token, const std::string& content,
                      v1::Evidence* out, v1::Evidence::Kind kind = v1::Evidence::DOCUMENT,
                      size_t chunk = 1 << 20) {
    auto ctx = C(token);
    auto writer = S().UploadEvidence(ctx.get(), out);
    v1::UploadEvidenceRequest req;
    req.mutable_metadata()->set_issue_id(issue);
    req.mutable_metadata()->set_kind(kind);
    req.mutable_metadata()->set_file_name("验收材料.pdf");
    writer->Write(req);
    for (size_t off = 0; off < content.size(); off += chunk) {
      v1::UploadEvidenceRequest part;
      part.set_chunk(content.substr(off, chunk));
      if (!writer->Write(part)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  int64_t Dossier(int64_t issue, const std::string& token) {
    v1::Evidence e;
    auto s = Upload(issue, token, kPdf, &e);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e.id();
  }

  // Marks every measure done and the target met, as the rectifier and the lead report them.
  void FinishWork(int64_t issue, const std::string& rectifier, const std::string& lead) {
    v1::ReportProgressRequest progress;
    progress.set_issue_id(issue);
    progress.mutable_report()->set_percent_done(100);
    progress.mutable_report()->set_narrative("全部完成");
    auto* u = progress.mutable_report()->add_measure_updates();
    u->set_measure_id("m1");
    u->set_done(true);
    v1::ProgressReport r;
    ASSERT_TRUE(S().ReportProgress(C(rectifier).get(), progress, &r).ok());
    v1::Issue now;
    v1::GetIssueRequest get;
    get.set_id(issue);
    ASSERT_TRUE(S().GetIssue(C(office_).get(), get, &now).ok());
    v1::UpdateIssueRequest update;
    *update.mutable_issue()->mutable_targets() = now.targets();
    update.mutable_issue()->set_id(issue);
    update.mutable_issue()->mutable_targets(0)->set_actual(42);
    update.mutable_update_mask()->add_paths("targets");
    ASSERT_TRUE(S().UpdateIssue(C(lead).get(), update, &now).ok());
  }

  grpc::Status Apply(int64_t issue, const std::string& token, std::vector<int64_t> evidence,
                     bool stage = false, v1::Issue* out = nullptr) {
    v1::RequestAcceptanceRequest req;
    req.set_id(issue);
    req.set_self_check("自查：整改措施全部落实，指标稳定达标");
    for (auto e : evidence) req.add_evidence_ids(e);
    req.set_stage(stage);
    v1::Issue tmp;
    return S().RequestAcceptance(C(token).get(), req, out ? out : &tmp);
  }

  grpc::Status Review(int64_t issue, const std::string& token, v1::AcceptanceStep step,
                      bool approve = true, v1::Issue* out = nullptr) {
    v1::ReviewAcceptanceRequest req;
    req.set_id(issue);
    req.set_step(step);
    req.set_decision(approve ? v1::APPROVE : v1::REJECT);
    if (!approve) req.set_reason("现场核查发现仍有污水直排");
    v1::Issue tmp;
    return S().ReviewAcceptance(C(token).get(), req, out ? out : &tmp);
  }

  v1::Issue Get(int64_t issue) {
    v1::GetIssueRequest req;
    req.set_id(issue);
    v1::Issue out;
    EXPECT_TRUE(S().GetIssue(C(office_).get(), req, &out).ok());
    return out;
  }

  grpc::Status Notice(int64_t issue, int days = 5) {
    v1::OpenPublicNoticeRequest req;
    req.set_id(issue);
    req.set_working_days(days);
    v1::Issue out;
    return S().OpenPublicNotice(C(office_).get(), req, &out);
  }

  grpc::Status Close(int64_t issue, v1::Issue* out = nullptr) {
    v1::CloseIssueRequest req;
    req.set_id(issue);
    v1::Issue tmp;
    return S().CloseIssue(C(office_).get(), req, out ? out : &tmp);
  }

  // Steps 4 and 5 for an issue that passed pre-examination.
  void ReviewNoticeAndClose(int64_t issue, v1::Issue::State expected = v1::Issue::CLOSED) {
    ASSERT_TRUE(Review(issue, housing_, v1::JOINT_REVIEW).ok());
    EXPECT_EQ(Get(issue).state(), v1::Issue::PRE_EXAMINED) << "the office has not signed yet";
    ASSERT_TRUE(Review(issue, office_, v1::JOINT_REVIEW).ok());
    EXPECT_EQ(Get(issue).state(), v1::Issue::JOINT_REVIEWED);
    ASSERT_TRUE(Notice(issue).ok());
    auto early = Close(issue);
    EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(Reason(early), "NOTICE_NOT_ENDED");
    h_->clock().Advance(absl::Hours(24 * 10));
    v1::Issue closed;
    auto s = Close(issue, &closed);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(closed.state(), expected);
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::string office_, water_, deee_, housing_, harbin_, daoli_, public_;
};

TEST_F(ClosureTest, ACountysIssueIsAcceptedByItsCityThenPreExaminedReviewedNoticedAndClosed) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  int64_t file = Dossier(id, daoli_);
  auto refused = Apply(id, daoli_, {file});
  EXPECT_EQ(Reason(refused), "MEASURES_NOT_DONE");
  FinishWork(id, daoli_, water_);
  v1::Issue applied;
  ASSERT_TRUE(Apply(id, daoli_, {file}, false, &applied).ok());
  EXPECT_EQ(applied.state(), v1::Issue::ACCEPTANCE_REQUESTED);
  EXPECT_EQ(applied.acceptance().round(), 1);
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
  EXPECT_EQ(Get(id).state(), v1::Issue::LOCALLY_ACCEPTED);
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  EXPECT_EQ(Get(id).state(), v1::Issue::PRE_EXAMINED);
  ReviewNoticeAndClose(id);

  v1::Issue closed = Get(id);
  EXPECT_EQ(closed.acceptance().on_site().org_id(), "gov-230100");
  EXPECT_EQ(closed.acceptance().pre_examination().org_id(), "hlj-deee");
  EXPECT_EQ(closed.acceptance().joint_review_size(), 2);
  EXPECT_TRUE(closed.has_close_time());
  v1::GetEvidenceRequest ev;
  ev.set_issue_id(id);
  ev.set_evidence_id(file);
  v1::Evidence sealed;
  ASSERT_TRUE(S().GetEvidence(C(office_).get(), ev, &sealed).ok());
  EXPECT_TRUE(sealed.sealed());

  v1::VerifyIssueHistoryRequest verify;
  verify.set_id(id);
  v1::VerifyIssueHistoryResponse v;
  ASSERT_TRUE(S().VerifyIssueHistory(C(office_).get(), verify, &v).ok());
  EXPECT_TRUE(v.ok()) << v.problem();
  EXPECT_EQ(v.evidence_checked(), 1);
  v1::GetIssueHistoryRequest history;
  history.set_id(id);
  history.set_newest_first(true);
  history.set_page_size(1);
  v1::GetIssueHistoryResponse page;
  ASSERT_TRUE(S().GetIssueHistory(C(office_).get(), history, &page).ok());
  ASSERT_EQ(page.records_size(), 1);
  EXPECT_EQ(page.records(0).action(), "issue.closed");
  EXPECT_EQ(page.records(0).seq(), v.records_checked());
}

TEST_F(ClosureTest, ACitysIssueIsAcceptedOnSiteByTheAcceptanceDepartment) {
  int64_t id = Rectifying("230100", "hlj-water", "gov-230100");
  FinishWork(id, harbin_, water_);
  ASSERT_TRUE(Apply(id, harbin_, {Dossier(id, harbin_)}).ok());
  auto self = Review(id, harbin_, v1::ON_SITE);
  EXPECT_EQ(self.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(self), "RECTIFIER_CANNOT_ACCEPT");
  ASSERT_TRUE(Review(id, deee_, v1::ON_SITE).ok());
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  ReviewNoticeAndClose(id);
}

TEST_F(ClosureTest, ADepartmentLedIssueGoesThroughTheSameSteps) {
  int64_t id = Rectifying("230000", "hlj-forest", "hlj-forest");
  std::string forest = h_->Token(Role::kDepartment, "hlj-forest");
  FinishWork(id, forest, forest);
  ASSERT_TRUE(Apply(id, forest, {Dossier(id, forest)}).ok());
  ASSERT_TRUE(Review(id, deee_, v1::ON_SITE).ok());
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  ReviewNoticeAndClose(id);
}

TEST_F(ClosureTest, EveryRejectionSendsTheIssueBackWithItsReasonAndIsCounted) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  FinishWork(id, daoli_, water_);
  int64_t file = Dossier(id, daoli_);
  ASSERT_TRUE(Apply(id, daoli_, {file}).ok());
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE, false).ok());
  v1::Issue back = Get(id);
  EXPECT_EQ(back.state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(back.rejection_count(), 1);
  EXPECT_EQ(back.last_rejection_reason(), "现场核查发现仍有污水直排");

  v1::Issue applied;
  ASSERT_TRUE(Apply(id, daoli_, {file}, false, &applied).ok());
  EXPECT_EQ(applied.acceptance().round(), 2);
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION, false).ok());
  EXPECT_EQ(Get(id).rejection_count(), 2);

  ASSERT_TRUE(Apply(id, daoli_, {file}).ok());
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  ASSERT_TRUE(Review(id, office_, v1::JOINT_REVIEW).ok());
  ASSERT_TRUE(Review(id, housing_, v1::JOINT_REVIEW, false).ok());
  EXPECT_EQ(Get(id).state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(Get(id).rejection_count(), 3);

  v1::ReviewAcceptanceRequest no_reason;
  no_reason.set_id(id);
  no_reason.set_step(v1::ON_SITE);
  no_reason.set_decision(v1::REJECT);
  v1::Issue out;
  EXPECT_EQ(S().ReviewAcceptance(C(harbin_).get(), no_reason, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ClosureTest, OnlyTheDesignatedOrgSignsEachStep) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  FinishWork(id, daoli_, water_);
  int64_t file = Dossier(id, daoli_);
  ASSERT_TRUE(Apply(id, daoli_, {file}).ok());
  struct Who {
    std::string name, token;
    std::set<v1::AcceptanceStep> steps;  // the steps it is designated for
  };
  std::vector<Who> everyone = {
      {"office", office_, {v1::JOINT_REVIEW}},
      {"acceptance department", deee_, {v1::PRE_EXAMINATION}},
      {"joint reviewer", housing_, {v1::JOINT_REVIEW}},
      {"lead department (rectifier)", water_, {}},
      {"uninvolved department", h_->Token(Role::kDepartment, "hlj-forest"), {}},
      {"city above", harbin_, {v1::ON_SITE}},
      {"another city", h_->Token(Role::kCity, "gov-230200", "230200"), {}},
      {"rectifying county", daoli_, {}},
      {"supervisor", h_->Token(Role::kSupervisor, "hlj-office"), {}},
      {"discipline", h_->Token(Role::kDiscipline, "hlj-discipline"), {}},
      {"public", public_, {}},
      {"service", h_->Token(Role::kService, "supervision-service"), {}},
  };
  for (const auto& who : everyone) {
    for (auto step : {v1::ON_SITE, v1::PRE_EXAMINATION, v1::JOINT_REVIEW}) {
      SCOPED_TRACE(who.name + " at step " + v1::AcceptanceStep_Name(step));
      auto s = Review(id, who.token, step, /*approve=*/false);
      if (!who.steps.count(step)) {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
        continue;
      }
      // Designated: refused at most for the state; a rejection that went through sends the
      // issue back, and the rectifier applies again for the rest of the matrix.
      EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
      if (s.ok()) {
        EXPECT_EQ(Get(id).state(), v1::Issue::RECTIFYING);
        ASSERT_TRUE(Apply(id, daoli_, {file}).ok());
      }
    }
    if (who.name == "office") continue;
    v1::Issue out;
    v1::OpenPublicNoticeRequest notice;
    notice.set_id(id);
    EXPECT_EQ(S().OpenPublicNotice(C(who.token).get(), notice, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who.name;
    v1::CloseIssueRequest close;
    close.set_id(id);
    EXPECT_EQ(S().CloseIssue(C(who.token).get(), close, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who.name;
  }
}

TEST_F(ClosureTest, OneOrgNeverSignsTwoStepsGivenToDifferentLevels) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  FinishWork(id, daoli_, water_);
  ASSERT_TRUE(Apply(id, daoli_, {Dossier(id, daoli_)}).ok());
  // A token that claims the city role for the acceptance department's org.
  std::string confused = h_->Token(Role::kCity, "hlj-deee", "230100");
  ASSERT_TRUE(Review(id, confused, v1::ON_SITE).ok());
  auto s = Review(id, deee_, v1::PRE_EXAMINATION);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(s), "CONSECUTIVE_STEPS");
}

TEST_F(ClosureTest, TargetsMustBeMetBeforePreExaminationApproves) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  FinishWork(id, daoli_, water_);
  v1::Issue now = Get(id);
  v1::UpdateIssueRequest update;
  update.mutable_issue()->set_id(id);
  *update.mutable_issue()->mutable_targets() = now.targets();
  update.mutable_issue()->mutable_targets(0)->set_actual(55);  // 55 > 50 mg/L: not met
  update.mutable_update_mask()->add_paths("targets");
  ASSERT_TRUE(S().UpdateIssue(C(water_).get(), update, &now).ok());
  ASSERT_TRUE(Apply(id, daoli_, {Dossier(id, daoli_)}).ok());
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
  auto s = Review(id, deee_, v1::PRE_EXAMINATION);
  EXPECT_EQ(Reason(s), "TARGET_NOT_MET");
  EXPECT_EQ(Get(id).state(), v1::Issue::LOCALLY_ACCEPTED);
}

class NoticeTest : public ClosureTest {
 protected:
  // Brings a county's issue to PUBLIC_NOTICE.
  int64_t ToNotice() {
    int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
    FinishWork(id, daoli_, water_);
    EXPECT_TRUE(Apply(id, daoli_, {Dossier(id, daoli_)}).ok());
    EXPECT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
    EXPECT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
    EXPECT_TRUE(Review(id, housing_, v1::JOINT_REVIEW).ok());
    EXPECT_TRUE(Review(id, office_, v1::JOINT_REVIEW).ok());
    EXPECT_TRUE(Notice(id).ok());
    return id;
  }

  grpc::Status Object(int64_t id, const std::string& token, v1::Objection* out) {
    v1::FileObjectionRequest req;
    req.set_issue_id(id);
    req.mutable_objection()->set_text("河道仍有异味，整改不到位");
    req.mutable_objection()->set_contact("139****1234");
    return S().FileObjection(C(token).get(), req, out);
  }

  grpc::Status Rule(int64_t id, int64_t objection, bool uphold) {
    v1::RuleOnObjectionRequest req;
    req.set_issue_id(id);
    req.set_objection_id(objection);
    req.set_uphold(uphold);
    req.set_ruling(uphold ? "经复核属实" : "经复核，异议不成立");
    v1::Objection out;
    return S().RuleOnObjection(C(office_).get(), req, &out);
  }
};

TEST_F(NoticeTest, AnUpheldObjectionSendsTheIssueBack) {
  int64_t id = ToNotice();
  v1::Objection o;
  ASSERT_TRUE(Object(id, public_, &o).ok());
  EXPECT_EQ(o.state(), v1::Objection::PENDING);
  EXPECT_EQ(Reason(Close(id)), "NOTICE_NOT_ENDED");
  ASSERT_TRUE(Rule(id, o.id(), true).ok());
  v1::Issue back = Get(id);
  EXPECT_EQ(back.state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(back.rejection_count(), 1);
  EXPECT_NE(back.last_rejection_reason().find("河道仍有异味"), std::string::npos);
  EXPECT_EQ(Reason(Rule(id, o.id(), false)), "OBJECTION_RULED");
}

TEST_F(NoticeTest, APendingObjectionBlocksClosingUntilDismissed) {
  int64_t id = ToNotice();
  v1::Objection o;
  ASSERT_TRUE(Object(id, public_, &o).ok());
  h_->clock().Advance(absl::Hours(24 * 10));
  auto blocked = Close(id);
  EXPECT_EQ(Reason(blocked), "OBJECTION_PENDING");
  ASSERT_TRUE(Rule(id, o.id(), false).ok());
  ASSERT_TRUE(Close(id).ok());
  EXPECT_EQ(Get(id).state(), v1::Issue::CLOSED);
  // Late objections are refused.
  EXPECT_EQ(Object(id, public_, &o).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(NoticeTest, ObjectionsAreFromThePublicRateLimitedAndTheirContactIsPrivate) {
  int64_t id = ToNotice();
  v1::Objection o;
  EXPECT_EQ(Object(id, daoli_, &o).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Object(id, public_, &o).ok()) << i;
  auto limited = Object(id, public_, &o);
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Reason(limited), "RATE_LIMITED");
  v1::ListObjectionsRequest list;
  list.set_issue_id(id);
  v1::ListObjectionsResponse seen;
  ASSERT_TRUE(S().ListObjections(C(office_).get(), list, &seen).ok());
  EXPECT_EQ(seen.objections(0).contact(), "139****1234");
  ASSERT_TRUE(S().ListObjections(C(harbin_).get(), list, &seen).ok());
  EXPECT_EQ(seen.objections(0).contact(), "");
}

TEST_F(NoticeTest, TheOfficeAndServicesReopenClosedIssues) {
  int64_t id = ToNotice();
  h_->clock().Advance(absl::Hours(24 * 10));
  ASSERT_TRUE(Close(id).ok());
  v1::ReopenIssueRequest req;
  req.set_id(id);
  req.set_reason(v1::Reopening::ACCOUNTABILITY_FINDING);
  req.set_explanation("纪委认定虚假整改");
  req.set_cause("cases/7");
  v1::Issue out;
  EXPECT_EQ(S().ReopenIssue(C(office_).get(), req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "accountability findings come from the accountability service";
  std::string service = h_->Token(Role::kService, "accountability-service");
  ASSERT_TRUE(S().ReopenIssue(C(service).get(), req, &out).ok());
  EXPECT_EQ(out.state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(out.reopen_count(), 1);
  EXPECT_EQ(out.last_reopening().cause(), "cases/7");
  std::string etag = out.etag();
  // Delivered again: nothing changes.
  ASSERT_TRUE(S().ReopenIssue(C(service).get(), req, &out).ok());
  EXPECT_EQ(out.etag(), etag);
  EXPECT_EQ(out.reopen_count(), 1);
  req.set_cause("cases/8");
  EXPECT_EQ(S().ReopenIssue(C(service).get(), req, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(S().ReopenIssue(C(daoli_).get(), req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(NoticeTest, TheOfficeReopensForALookBackFinding) {
  int64_t id = ToNotice();
  h_->clock().Advance(absl::Hours(24 * 10));
  ASSERT_TRUE(Close(id).ok());
  v1::ReopenIssueRequest req;
  req.set_id(id);
  req.set_reason(v1::Reopening::LOOK_BACK_FINDING);
  req.set_explanation("回头看发现问题反弹");
  req.set_cause("inspections/2");
  v1::Issue out;
  ASSERT_TRUE(S().ReopenIssue(C(office_).get(), req, &out).ok());
  EXPECT_EQ(out.state(), v1::Issue::RECTIFYING);
  req.set_explanation("");
  EXPECT_EQ(S().ReopenIssue(C(office_).get(), req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ClosureTest, ExtensionsAreAskedByTheRectifierAndDecidedByTheOffice) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  v1::RequestExtensionRequest req;
  req.set_issue_id(id);
  req.set_requested_deadline("2023-09-30");
  req.set_reason("汛期无法施工");
  v1::Extension e;
  ASSERT_TRUE(S().RequestExtension(C(daoli_).get(), req, &e).ok());
  EXPECT_EQ(e.state(), v1::Extension::PENDING);
  EXPECT_EQ(e.current_deadline(), "2023-06-30");
  EXPECT_EQ(S().RequestExtension(C(daoli_).get(), req, &e).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(S().RequestExtension(C(office_).get(), req, &e).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::DecideExtensionRequest decide;
  decide.set_issue_id(id);
  decide.set_extension_id(e.id());
  decide.set_approve(true);
  EXPECT_EQ(S().DecideExtension(C(daoli_).get(), decide, &e).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(S().DecideExtension(C(office_).get(), decide, &e).ok());
  EXPECT_EQ(e.state(), v1::Extension::APPROVED);
  EXPECT_EQ(Get(id).deadline(), "2023-09-30");

  req.set_requested_deadline("2023-08-01");
  EXPECT_EQ(S().RequestExtension(C(daoli_).get(), req, &e).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "an extension must move the deadline later";
  req.set_requested_deadline("2023-12-31");
  ASSERT_TRUE(S().RequestExtension(C(daoli_).get(), req, &e).ok());
  decide.set_extension_id(e.id());
  decide.set_approve(false);
  EXPECT_EQ(S().DecideExtension(C(office_).get(), decide, &e).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "a refusal needs its reasons";
  decide.set_reason("理由不充分");
  ASSERT_TRUE(S().DecideExtension(C(office_).get(), decide, &e).ok());
  EXPECT_EQ(e.state(), v1::Extension::REFUSED);
  EXPECT_EQ(Get(id).deadline(), "2023-09-30");

  v1::GetIssueHistoryRequest history;
  history.set_id(id);
  v1::GetIssueHistoryResponse page;
  ASSERT_TRUE(S().GetIssueHistory(C(office_).get(), history, &page).ok());
  std::vector<std::string> actions;
  for (const auto& r : page.records()) actions.push_back(r.action());
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "issue.extension_requested"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "issue.extension_approved"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "issue.extension_refused"), 1);
}

TEST_F(ClosureTest, AnUnsubstantiatedComplaintSkipsOnSiteButNeedsReviewAndAFollowUp) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102", v1::Issue::COMPLAINT);
  int64_t file = Dossier(id, daoli_);
  EXPECT_EQ(Reason(Apply(id, daoli_, {file})), "VERIFICATION_MISSING");
  v1::RecordVerificationRequest verify;
  verify.set_id(id);
  verify.set_finding(v1::Complaint::UNSUBSTANTIATED);
  verify.set_report("经现场核查，举报问题不属实");
  v1::Issue out;
  ASSERT_TRUE(S().RecordVerification(C(daoli_).get(), verify, &out).ok());
  ASSERT_TRUE(Apply(id, daoli_, {file}).ok()) << "no measures to finish";
  EXPECT_EQ(Reason(Review(id, harbin_, v1::ON_SITE)), "ON_SITE_NOT_NEEDED");
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  ASSERT_TRUE(Review(id, housing_, v1::JOINT_REVIEW).ok());
  ASSERT_TRUE(Review(id, office_, v1::JOINT_REVIEW).ok());
  ASSERT_TRUE(Notice(id).ok());
  h_->clock().Advance(absl::Hours(24 * 10));
  EXPECT_EQ(Reason(Close(id)), "FOLLOW_UP_MISSING");
  v1::RecordFollowUpRequest follow;
  follow.set_id(id);
  follow.set_result("回访举报人，对处理结果表示认可");
  ASSERT_TRUE(S().RecordFollowUp(C(daoli_).get(), follow, &out).ok());
  ASSERT_TRUE(Close(id).ok());
}

TEST_F(ClosureTest, ALongTermIssuesStageGoalEndsInStageCompletedAndIsStillTracked) {
  int64_t id =
      Rectifying("230102", "hlj-water", "gov-230102", v1::Issue::FEEDBACK, v1::Issue::LONG_TERM);
  FinishWork(id, daoli_, water_);
  int64_t file = Dossier(id, daoli_);
  ASSERT_TRUE(Apply(id, daoli_, {file}, /*stage=*/true).ok());
  ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
  ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
  ReviewNoticeAndClose(id, v1::Issue::STAGE_COMPLETED);
  // Still tracked: the next stage (or the final closure) is applied for again.
  v1::Issue again;
  ASSERT_TRUE(Apply(id, daoli_, {file}, false, &again).ok());
  EXPECT_EQ(again.state(), v1::Issue::ACCEPTANCE_REQUESTED);
  EXPECT_EQ(again.acceptance().round(), 2);

  int64_t short_term = Rectifying("230102", "hlj-water", "gov-230102");
  FinishWork(short_term, daoli_, water_);
  EXPECT_EQ(Reason(Apply(short_term, daoli_, {Dossier(short_term, daoli_)}, true)),
            "NOT_LONG_TERM");
}

TEST_F(ClosureTest, UploadsAreCheckedByContentAndBoundedAndLeaveNothingWhenRefused) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  v1::Evidence e;
  // Each allowed type is recognised from its content.
  std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "rest";
  ASSERT_TRUE(Upload(id, daoli_, png, &e, v1::Evidence::PHOTO_AFTER).ok());
  EXPECT_EQ(e.media_type(), "image/png");
  ASSERT_TRUE(Upload(id, daoli_, "\xFF\xD8\xFF\xE0jpeg", &e, v1::Evidence::PHOTO_BEFORE).ok());
  EXPECT_EQ(e.media_type(), "image/jpeg");
  ASSERT_TRUE(
      Upload(id, daoli_, "日期,COD\n2023-05-01,42\n", &e, v1::Evidence::MONITORING_DATA).ok());
  EXPECT_EQ(e.media_type(), "text/csv");
  EXPECT_EQ(Upload(id, daoli_, "MZ\x90\x00\x03 an executable", &e).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Upload(id, daoli_, "", &e).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Too large: refused as it arrives.
  std::string big = kPdf + std::string(testing::kTestMaxEvidenceBytes, 'x');
  EXPECT_EQ(Upload(id, daoli_, big, &e).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Chunks over 1 MiB are refused.
  EXPECT_EQ(Upload(id, daoli_, kPdf + std::string(1 << 20, 'y'), &e, v1::Evidence::DOCUMENT,
                   (1 << 20) + 100)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // An upload the client abandons half way.
  {
    auto ctx = C(daoli_);
    v1::Evidence out;
    auto writer = S().UploadEvidence(ctx.get(), &out);
    v1::UploadEvidenceRequest md;
    md.mutable_metadata()->set_issue_id(id);
    md.mutable_metadata()->set_kind(v1::Evidence::DOCUMENT);
    md.mutable_metadata()->set_file_name("half.pdf");
    writer->Write(md);
    v1::UploadEvidenceRequest part;
    part.set_chunk(kPdf);
    writer->Write(part);
    ctx->TryCancel();
    EXPECT_FALSE(writer->Finish().ok());
  }
  // Only the outsiders' and the public's attempts differ in the reason.
  EXPECT_EQ(Upload(id, h_->Token(Role::kDepartment, "hlj-forest"), kPdf, &e).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Upload(id, public_, kPdf, &e).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::ListEvidenceRequest list;
  list.set_issue_id(id);
  v1::ListEvidenceResponse files;
  ASSERT_TRUE(S().ListEvidence(C(office_).get(), list, &files).ok());
  EXPECT_EQ(files.evidence_size(), 3) << "only the three accepted files were stored";

  // A multi-chunk file comes back byte for byte.
  std::string two_mib = kPdf + std::string((2 << 20) + 17, 'z');
  ASSERT_TRUE(Upload(id, daoli_, two_mib, &e, v1::Evidence::DOCUMENT, 300000).ok());
  v1::DownloadEvidenceRequest dl;
  dl.set_issue_id(id);
  dl.set_evidence_id(e.id());
  auto ctx = C(harbin_);
  auto reader = S().DownloadEvidence(ctx.get(), dl);
  v1::EvidenceChunk chunk;
  std::string back;
  v1::Evidence meta;
  while (reader->Read(&chunk)) {
    if (chunk.has_evidence()) meta = chunk.evidence();
    back += chunk.data();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(back, two_mib);
  EXPECT_EQ(meta.size_bytes(), static_cast<int64_t>(two_mib.size()));
}

TEST_F(ClosureTest, EditsBehindTheServicesBackAreFoundAtTheirRecord) {
  int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
  int64_t file = Dossier(id, daoli_);
  FinishWork(id, daoli_, water_);
  ASSERT_TRUE(Apply(id, daoli_, {file}).ok());
  v1::VerifyIssueHistoryRequest verify;
  verify.set_id(id);
  v1::VerifyIssueHistoryResponse v;
  ASSERT_TRUE(S().VerifyIssueHistory(C(office_).get(), verify, &v).ok());
  ASSERT_TRUE(v.ok()) << v.problem();
  int64_t records = v.records_checked();
  std::string resource = "issues/" + std::to_string(id);

  // Someone swaps the file's content directly in the database.
  ASSERT_TRUE(h_->database()
                  .AdminExecute("UPDATE evidence_chunks SET data = '%PDF-1.7 forged' WHERE "
                                "evidence_id = " +
                                std::to_string(file))
                  .ok());
  ASSERT_TRUE(S().VerifyIssueHistory(C(office_).get(), verify, &v).ok());
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq(), 4) << "created, assigned, acknowledged, evidence added";
  EXPECT_NE(v.problem().find("evidence"), std::string::npos) << v.problem();

  // Someone rewrites a record of the chain.
  ASSERT_TRUE(h_->database()
                  .AdminExecute("UPDATE history SET actor = 'someone-else' WHERE resource = '" +
                                resource + "' AND seq = 2")
                  .ok());
  ASSERT_TRUE(S().VerifyIssueHistory(C(office_).get(), verify, &v).ok());
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq(), 2);
  EXPECT_EQ(v.problem(), "content does not match its hash");
  EXPECT_EQ(v.records_checked(), records);
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

// Figures computed the slow way from what ListIssues shows the same caller.
v1::LedgerStats BruteForce(IssueServiceHarness& h, const std::string& token) {
  v1::LedgerStats out;
  std::map<std::string, int64_t> state, city, category, source, klass;
  v1::ListIssuesRequest req;
  req.set_page_size(500);
  do {
    v1::ListIssuesResponse resp;
    EXPECT_TRUE(h.stub().ListIssues(h.Context(token).get(), req, &resp).ok());
    for (const auto& i : resp.issues()) {
      out.set_total(out.total() + 1);
      state[v1::Issue::State_Name(i.state())]++;
      city[i.region_code().substr(0, 4) + "00"]++;
      category[v1::Issue::Category_Name(i.category())]++;
      source[v1::Issue::Source_Name(i.source())]++;
      klass[i.rectification_class() ? v1::Issue::RectificationClass_Name(i.rectification_class())
                                    : "UNASSIGNED"]++;
      if (i.overdue()) out.set_overdue(out.overdue() + 1);
      bool done = std::all_of(i.measures().begin(), i.measures().end(),
                              [](const v1::Measure& m) { return m.done(); });
      switch (i.state()) {
        case v1::Issue::CLOSED:
          out.set_accepted_and_closed(out.accepted_and_closed() + 1);
          [[fallthrough]];
        case v1::Issue::STAGE_COMPLETED:
          out.set_rectification_completed(out.rectification_completed() + 1);
          break;
        case v1::Issue::ACCEPTANCE_REQUESTED:
        case v1::Issue::LOCALLY_ACCEPTED:
        case v1::Issue::PRE_EXAMINED:
        case v1::Issue::JOINT_REVIEWED:
        case v1::Issue::PUBLIC_NOTICE:
          out.set_acceptance_not_completed(out.acceptance_not_completed() + 1);
          out.set_rectification_completed(out.rectification_completed() + 1);
          break;
        case v1::Issue::RECTIFYING:
          if (done) out.set_acceptance_not_applied(out.acceptance_not_applied() + 1);
          break;
        default:
          break;
      }
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  auto put = [](const std::map<std::string, int64_t>& m,
                google::protobuf::RepeatedPtrField<v1::Count>* f) {
    for (const auto& [k, n] : m) {
      auto* c = f->Add();
      c->set_key(k);
      c->set_count(n);
    }
  };
  put(state, out.mutable_by_state());
  put(city, out.mutable_by_city());
  put(category, out.mutable_by_category());
  put(source, out.mutable_by_source());
  put(klass, out.mutable_by_class());
  return out;
}

void ExpectSameFigures(const v1::LedgerStats& fast, const v1::LedgerStats& slow) {
  EXPECT_EQ(fast.total(), slow.total());
  EXPECT_EQ(fast.overdue(), slow.overdue());
  EXPECT_EQ(fast.rectification_completed(), slow.rectification_completed());
  EXPECT_EQ(fast.accepted_and_closed(), slow.accepted_and_closed());
  EXPECT_EQ(fast.acceptance_not_completed(), slow.acceptance_not_completed());
  EXPECT_EQ(fast.acceptance_not_applied(), slow.acceptance_not_applied());
  auto same = [](const auto& a, const auto& b, const char* what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (int i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].key(), b[i].key()) << what;
      EXPECT_EQ(a[i].count(), b[i].count()) << what << " " << a[i].key();
    }
  };
  same(fast.by_state(), slow.by_state(), "state");
  same(fast.by_city(), slow.by_city(), "city");
  same(fast.by_category(), slow.by_category(), "category");
  same(fast.by_source(), slow.by_source(), "source");
  same(fast.by_class(), slow.by_class(), "class");
}

TEST_F(ClosureTest, StatisticsEqualABruteForceCountOverARandomLedger) {
  std::mt19937 rng(20220909);
  const std::vector<std::pair<std::string, std::string>> places = {{"230102", "gov-230102"},
                                                                   {"230111", "gov-230111"},
                                                                   {"230100", "gov-230100"},
                                                                   {"230202", "gov-230202"},
                                                                   {"231002", "gov-231002"}};
  std::vector<int64_t> ids;
  for (int n = 0; n < 36; ++n) {
    const auto& [region, gov] = places[rng() % places.size()];
    auto klass = rng() % 3 == 0 ? v1::Issue::LONG_TERM : v1::Issue::TIME_LIMITED;
    int64_t id = Rectifying(region, "hlj-water", gov, v1::Issue::FEEDBACK, klass);
    ids.push_back(id);
    std::string rectifier = region.substr(4) == "00" ? h_->Token(Role::kCity, gov, region)
                                                     : h_->Token(Role::kCounty, gov, region);
    switch (rng() % 6) {
      case 0:  // left alone: overdue once the clock passes 2023-06-30
        break;
      case 1:
        FinishWork(id, rectifier, water_);
        break;
      case 2: {
        FinishWork(id, rectifier, water_);
        ASSERT_TRUE(Apply(id, rectifier, {Dossier(id, rectifier)}).ok());
        break;
      }
      case 3: {
        v1::UpdateIssueRequest u;
        u.mutable_issue()->set_id(id);
        u.mutable_issue()->set_category(v1::Issue::AIR);
        u.mutable_update_mask()->add_paths("category");
        v1::Issue out;
        ASSERT_TRUE(S().UpdateIssue(C(office_).get(), u, &out).ok());
        break;
      }
      case 4: {
        v1::RequestExtensionRequest r;
        r.set_issue_id(id);
        r.set_requested_deadline("2024-06-30");
        r.set_reason("汛期");
        v1::Extension e;
        ASSERT_TRUE(S().RequestExtension(C(rectifier).get(), r, &e).ok());
        v1::DecideExtensionRequest d;
        d.set_issue_id(id);
        d.set_extension_id(e.id());
        d.set_approve(true);
        ASSERT_TRUE(S().DecideExtension(C(office_).get(), d, &e).ok());
        break;
      }
      default:
        break;
    }
  }
  // A few run to the end of the road: accepted, noticed and closed.
  for (int k = 0; k < 3; ++k) {
    int64_t id = Rectifying("230102", "hlj-water", "gov-230102");
    FinishWork(id, daoli_, water_);
    ASSERT_TRUE(Apply(id, daoli_, {Dossier(id, daoli_)}).ok());
    ASSERT_TRUE(Review(id, harbin_, v1::ON_SITE).ok());
    ASSERT_TRUE(Review(id, deee_, v1::PRE_EXAMINATION).ok());
    if (k == 0) continue;
    ReviewNoticeAndClose(id);
  }
  h_->clock().Set(absl::FromCivil(absl::CivilDay(2023, 8, 1), absl::UTCTimeZone()));
  for (const auto& token : {office_, harbin_, daoli_, water_, deee_, public_,
                            h_->Token(Role::kCity, "gov-230200", "230200"),
                            h_->Token(Role::kDepartment, "hlj-forest")}) {
    v1::GetLedgerStatsRequest req;
    v1::LedgerStats fast;
    ASSERT_TRUE(S().GetLedgerStats(C(token).get(), req, &fast).ok());
    ExpectSameFigures(fast, BruteForce(*h_, token));
  }
  // The ledger exercised every figure.
  v1::LedgerStats all;
  ASSERT_TRUE(S().GetLedgerStats(C(office_).get(), v1::GetLedgerStatsRequest(), &all).ok());
  EXPECT_EQ(all.total(), 39);
  EXPECT_EQ(all.accepted_and_closed(), 2);
  EXPECT_GT(all.acceptance_not_completed(), 0);
  EXPECT_GT(all.acceptance_not_applied(), 0);
  EXPECT_GT(all.overdue(), 0);
  EXPECT_LT(all.overdue(), all.total());
  EXPECT_EQ(all.as_of_date(), "2023-08-01");

  v1::GetLedgerStatsRequest harbin_only;
  harbin_only.set_region_code("230100");
  v1::LedgerStats scoped;
  ASSERT_TRUE(S().GetLedgerStats(C(office_).get(), harbin_only, &scoped).ok());
  EXPECT_EQ(scoped.by_city_size(), 1);
  harbin_only.set_region_code("999999");
  EXPECT_EQ(S().GetLedgerStats(C(office_).get(), harbin_only, &scoped).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

std::string Export(IssueServiceHarness& h, const std::string& token,
                   v1::ExportLedgerRequest::Format format, const std::string& filter,
                   grpc::Status* status, std::string* file_name = nullptr) {
  v1::ExportLedgerRequest req;
  req.set_format(format);
  req.set_filter(filter);
  auto ctx = h.Context(token);
  auto reader = h.stub().ExportLedger(ctx.get(), req);
  v1::ExportChunk chunk;
  std::string bytes;
  while (reader->Read(&chunk)) {
    if (file_name && !chunk.file_name().empty()) *file_name = chunk.file_name();
    bytes += chunk.data();
  }
  *status = reader->Finish();
  return bytes;
}

// A small RFC 4180 reader for the round trip.
std::vector<std::vector<std::string>> ParseCsv(std::string text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST_F(ClosureTest, TheCsvExportReadsBackAsTheList) {
  std::vector<std::string> titles = {"含逗号,的问题", "含\"引号\"的问题", "含\n换行的问题",
                                     "松花江哈尔滨段水质"};
  for (const auto& t : titles) {
    v1::CreateIssueRequest req;
    req.mutable_issue()->set_title(t);
    req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
    req.mutable_issue()->set_category(v1::Issue::WATER);
    req.mutable_issue()->set_region_code("230102");
    v1::Issue out;
    ASSERT_TRUE(S().CreateIssue(C(office_).get(), req, &out).ok());
  }
  Rectifying("230202", "hlj-agri", "gov-230202");
  grpc::Status status;
  std::string name;
  std::string csv = Export(*h_, office_, v1::ExportLedgerRequest::CSV, "", &status, &name);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(name.find(".csv"), std::string::npos);
  auto rows = ParseCsv(csv.substr(3));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0][0], "编号");

  v1::ListIssuesRequest list;
  v1::ListIssuesResponse listed;
  ASSERT_TRUE(S().ListIssues(C(office_).get(), list, &listed).ok());
  ASSERT_EQ(listed.issues_size(), 5);
  for (int k = 0; k < listed.issues_size(); ++k) {
    const auto& i = listed.issues(k);
    const auto& row = rows[k + 1];
    ASSERT_EQ(row.size(), rows[0].size());
    EXPECT_EQ(row[0], std::to_string(i.id()));
    EXPECT_EQ(row[1], i.title());
    EXPECT_EQ(row[2], v1::Issue::State_Name(i.state()));
    EXPECT_EQ(row[5], i.region_code());
    EXPECT_EQ(row[14], i.deadline());
  }

  // The same filter and scope as ListIssues.
  rows = ParseCsv(
      Export(*h_, office_, v1::ExportLedgerRequest::CSV, "region = \"230200\"", &status).substr(3));
  EXPECT_EQ(rows.size(), 2u);
  rows = ParseCsv(Export(*h_, daoli_, v1::ExportLedgerRequest::CSV, "", &status).substr(3));
  EXPECT_EQ(rows.size(), 5u) << "a county exports only its own issues";
  Export(*h_, office_, v1::ExportLedgerRequest::CSV, "state = NAPPING", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  Export(*h_, office_, v1::ExportLedgerRequest::FORMAT_UNSPECIFIED, "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ClosureTest, TheXlsxExportIsAnOfficeWorkbook) {
  Rectifying("230102", "hlj-water", "gov-230102");
  grpc::Status status;
  std::string name;
  std::string xlsx = Export(*h_, office_, v1::ExportLedgerRequest::XLSX, "", &status, &name);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(xlsx.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(xlsx.find("xl/workbook.xml"), std::string::npos);
  EXPECT_NE(name.find(".xlsx"), std::string::npos);
}

}  // namespace
}  // namespace rectify
