// supervision-service in process, over its own MariaDB schema, consuming a real issue-service in
// process and opening cases in a real accountability-service: records kept from events exactly
// once, the ladder raised by sweeps that never raise twice (also two sweepers at once),
// transfers delivered once across an outage, obligations, linkage, directives, the battle map,
// who may see and do what, and bad input.
#include <algorithm>
#include <functional>
#include <latch>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>
#include <type_traits>

#include "common/clock.h"
#include "common/etag.h"
#include "common/grpc_status.h"
#include "common/history_chain.h"
#include "common/mysql/history_store.h"
#include "common/proto_types.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/accountability_process.h"
#include "tests/support/issue_service_harness.h"
#include "tests/support/supervision_process.h"

namespace rectify::supervision {
namespace {

using testing::AccountabilityProcess;
using testing::IssueServiceHarness;
using testing::SupervisionProcess;
using testing::TestDatabase;

absl::Time At(int y, int m, int d, int h = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), ProvinceTimeZone());
}

std::string Reason(const grpc::Status& s) { return ErrorReason(FromGrpcStatus(s)); }
std::string Field(const grpc::Status& s) {
  auto v = FieldViolations(FromGrpcStatus(s));
  return v.empty() ? "" : v[0].field;
}

// The argument types of a stub's method, to name the response a probe receives.
template <typename M>
struct MethodTraits;
template <typename C, typename R, typename... A>
struct MethodTraits<R (C::*)(A...)> {
  using Args = std::tuple<A...>;
};

// A port free now, to start a service on later: below Linux's ephemeral range (32768 and up), so
// that no outgoing connection takes it meanwhile.
int FreePort() {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    int port = 20000 + static_cast<int>(random() % 12000);
    ServiceHost probe(ServerOptions{"127.0.0.1:" + std::to_string(port), false});
    if (!probe.Start().ok()) continue;
    probe.Shutdown(absl::ZeroDuration());
    return port;
  }
  ADD_FAILURE() << "no free port";
  return 0;
}

class SupervisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = IssueServiceHarness::Start();
    if (!h_) GTEST_SKIP();
    db_ = TestDatabase::Create(SupervisionMigrations());
    acc_db_ = TestDatabase::Create(AccountabilityMigrations());
    if (!db_ || !acc_db_) GTEST_SKIP();
    office_ = h_->Office();
    supervisor_ = h_->Token(Role::kSupervisor, "hlj-office", "230000");
    water_ = h_->Token(Role::kDepartment, "hlj-water");
    forest_ = h_->Token(Role::kDepartment, "hlj-forest");
    harbin_ = h_->Token(Role::kCity, "gov-230100", "230100");
    daoli_ = h_->Token(Role::kCounty, "gov-230102", "230102");
    qiqihar_ = h_->Token(Role::kCity, "gov-230200", "230200");
    discipline_ = h_->Token(Role::kDiscipline, "hlj-discipline", "230000");
    public_ = h_->Token(Role::kPublic, "");
  }

  void StartAccountability(const std::string& listen = "127.0.0.1:0") {
    a_ = std::make_unique<AccountabilityProcess>(acc_db_->service_account(), h_->address(),
                                                 h_->clock(), listen);
  }
  void StartSupervision(const std::string& accountability_address = "") {
    std::string address = accountability_address;
    if (address.empty()) {
      if (!a_) StartAccountability();
      address = "127.0.0.1:" + std::to_string(a_->host.port());
    }
    s_ = std::make_unique<SupervisionProcess>(db_->service_account(), h_->address(), address,
                                              h_->clock());
  }

  v1::IssueRegistry::Stub& R() { return h_->stub(); }
  v1::Supervision::Stub& S() { return *s_->stub; }
  std::unique_ptr<grpc::ClientContext> C(const std::string& token) { return h_->Context(token); }
  void Sync() { ASSERT_TRUE(s_->CaughtUp(*h_)); }

  // An issue assigned and acknowledged in the registry (today is 2023-03-01 there).
  int64_t Assigned(const std::string& deadline, v1::Issue::Source source = v1::Issue::FEEDBACK,
                   const std::string& region = "230102",
                   const std::string& rectifier = "gov-230102") {
    v1::CreateIssueRequest create;
    auto* i = create.mutable_issue();
    i->set_title("督办测试：城区黑臭水体");
    i->set_source(source);
    i->set_category(v1::Issue::WATER);
    i->set_region_code(region);
    i->add_measures()->set_description("截污纳管");
    if (source == v1::Issue::COMPLAINT) i->mutable_complaint()->set_batch("第1批");
    v1::Issue out;
    EXPECT_TRUE(R().CreateIssue(C(office_).get(), create, &out).ok());
    v1::AssignIssueRequest assign;
    assign.set_id(out.id());
    assign.set_lead_org_id("hlj-water");
    assign.add_responsible_org_ids(rectifier);
    assign.set_acceptance_org_id("hlj-deee");
    assign.set_deadline(deadline);
    assign.set_rectification_class(v1::Issue::TIME_LIMITED);
    if (deadline < "2023-03-01") {
      assign.set_deadline_already_passed(true);
      assign.set_deadline_reason("督察组反馈时限");
    }
    auto s = R().AssignIssue(C(office_).get(), assign, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::AcknowledgeAssignmentRequest ack;
    ack.set_id(out.id());
    EXPECT_TRUE(R().AcknowledgeAssignment(C(water_).get(), ack, &out).ok());
    return out.id();
  }

  v1::RunSweepResponse Sweep(absl::Time as_of, const std::string& token = "") {
    v1::RunSweepRequest req;
    *req.mutable_as_of() = ToProtoTime(as_of);
    v1::RunSweepResponse resp;
    auto s = S().RunSweep(C(token.empty() ? office_ : token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::vector<v1::Escalation> Escalations(const std::string& filter,
                                          const std::string& token = "") {
    v1::ListEscalationsRequest req;
    req.set_filter(filter);
    req.set_page_size(500);
    v1::ListEscalationsResponse resp;
    auto s = S().ListEscalations(C(token.empty() ? office_ : token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.escalations().begin(), resp.escalations().end()};
  }

  // The obligations of an issue that `token`'s holder sees, by kind.
  std::map<v1::Obligation::Kind, v1::Obligation> ObligationsOf(int64_t issue,
                                                               const std::string& token = "") {
    v1::ListObligationsRequest req;
    req.set_filter("issue = " + std::to_string(issue));
    v1::ListObligationsResponse resp;
    auto s = S().ListObligations(C(token.empty() ? office_ : token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::map<v1::Obligation::Kind, v1::Obligation> out;
    for (const auto& o : resp.obligations()) out[o.kind()] = o;
    return out;
  }

  v1::SupervisionRecord Record(int64_t issue) {
    v1::GetSupervisionRecordRequest req;
    req.set_issue_id(issue);
    v1::SupervisionRecord r;
    auto s = S().GetSupervisionRecord(C(office_).get(), req, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return r;
  }

  static std::set<v1::Escalation::Level> LevelsOf(const v1::RunSweepResponse& r) {
    std::set<v1::Escalation::Level> out;
    for (const auto& e : r.raised()) out.insert(e.level());
    return out;
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::unique_ptr<TestDatabase> db_, acc_db_;
  std::unique_ptr<AccountabilityProcess> a_;
  std::unique_ptr<SupervisionProcess> s_;
  std::string office_, supervisor_, water_, forest_, harbin_, daoli_, qiqihar_, discipline_,
      public_;
};

TEST_F(SupervisionTest, AnAssignedIssueGetsARecordThatFollowsTheRegistry) {
  StartSupervision();
  int64_t id = Assigned("2023-06-30", v1::Issue::COMPLAINT);
  Sync();
  v1::SupervisionRecord r = Record(id);
  EXPECT_TRUE(r.active());
  EXPECT_EQ(r.level(), v1::SupervisionRecord::KEY) << "a complaint";
  EXPECT_EQ(r.light(), v1::SupervisionRecord::GREEN);
  EXPECT_EQ(r.issue_state(), v1::Issue::RECTIFYING);
  EXPECT_EQ(r.lead_org_id(), "hlj-water");
  EXPECT_EQ(r.source(), v1::Issue::COMPLAINT);

  v1::ReportProgressRequest progress;
  progress.set_issue_id(id);
  progress.mutable_report()->set_percent_done(40);
  progress.mutable_report()->set_narrative("管网改造过半");
  v1::ProgressReport report;
  ASSERT_TRUE(R().ReportProgress(C(daoli_).get(), progress, &report).ok());
  Sync();
  EXPECT_EQ(Record(id).progress_percent(), 40);
  EXPECT_TRUE(Record(id).has_last_progress_time());

  std::map<v1::Obligation::Kind, v1::Obligation::State> states;
  for (const auto& [kind, o] : ObligationsOf(id)) states[kind] = o.state();
  EXPECT_EQ(states.size(), 8u) << "three sign-offs, five reports (a complaint's verification too)";
  EXPECT_EQ(states[v1::Obligation::RECEIPT_REPORT], v1::Obligation::MET);
  EXPECT_EQ(states[v1::Obligation::PROGRESS_REPORT], v1::Obligation::MET);
  EXPECT_EQ(states[v1::Obligation::PLAN_REPORT], v1::Obligation::PENDING);

  v1::GetSupervisionStatusRequest status_req;
  v1::SupervisionStatus status;
  ASSERT_TRUE(S().GetSupervisionStatus(C(office_).get(), status_req, &status).ok());
  EXPECT_EQ(status.lag_events(), 0);
  EXPECT_EQ(status.consumer_cursor(), h_->store().events().Horizon());
  EXPECT_EQ(status.active_records(), 1);
  EXPECT_EQ(status.policy_version(), 1);
}

TEST_F(SupervisionTest, TheLadderClimbsByPolicyAndARepeatSweepRaisesNothing) {
  StartSupervision();
  int64_t id = Assigned("2023-01-31");
  Sync();
  // 1 February to 1 March 2023: 21 working days overdue.
  auto first = Sweep(At(2023, 3, 1));
  EXPECT_EQ(LevelsOf(first),
            (std::set<v1::Escalation::Level>{v1::Escalation::NOTICE, v1::Escalation::INTERVIEW}));
  EXPECT_EQ(first.policy_version(), 1);
  for (const auto& e : first.raised()) EXPECT_EQ(e.policy_version(), 1);
  EXPECT_EQ(Sweep(At(2023, 3, 1)).raised_size(), 0) << "a repeat changes nothing";
  EXPECT_EQ(Record(id).notices(), 1);
  EXPECT_EQ(Record(id).light(), v1::SupervisionRecord::RED);
  // What the escalations did to the record is in its own chain, which still verifies.
  std::vector<HistoryRecord> chain;
  ASSERT_TRUE(s_->pool
                  .Read(absl::Now() + absl::Seconds(5),
                        [&](mysql::Connection& c) {
                          chain = HistoryStore::Load(c, RecordResource(id));
                          return absl::OkStatus();
                        })
                  .ok());
  int escalated = 0;
  for (const auto& r : chain) escalated += r.action == "supervision.record_escalated";
  EXPECT_EQ(escalated, 2) << "the notice and the interview";
  EXPECT_TRUE(VerifyChain(chain).ok);

  // The interview is not answered for ten working days: listing.
  auto listed = Sweep(At(2023, 3, 15));
  EXPECT_EQ(LevelsOf(listed), std::set<v1::Escalation::Level>{v1::Escalation::LISTED});
  EXPECT_EQ(Record(id).level(), v1::SupervisionRecord::LISTED);
  // Still overdue twenty working days after the listing: transfer for accountability.
  auto transfer = Sweep(At(2023, 4, 13));
  ASSERT_EQ(LevelsOf(transfer), std::set<v1::Escalation::Level>{v1::Escalation::TRANSFER});
  EXPECT_EQ(transfer.raised(0).transfer().state(), v1::Escalation::Transfer::PENDING);

  ASSERT_TRUE(s_->transfers.RunOnce(absl::Now()).ok());
  v1::GetEscalationRequest get;
  get.set_id(transfer.raised(0).id());
  v1::Escalation delivered;
  ASSERT_TRUE(S().GetEscalation(C(office_).get(), get, &delivered).ok());
  EXPECT_EQ(delivered.transfer().state(), v1::Escalation::Transfer::DELIVERED);
  ASSERT_GT(delivered.transfer().case_id(), 0);
  v1::GetCaseRequest case_req;
  case_req.set_id(delivered.transfer().case_id());
  v1::Case opened;
  ASSERT_TRUE(a_->stub->GetCase(C(discipline_).get(), case_req, &opened).ok());
  EXPECT_EQ(opened.transfer_id(), "supervision/escalations/" + std::to_string(delivered.id()));
  EXPECT_EQ(opened.issue_ids(0), id);
  // Discipline sees the transfer, and only transfers.
  auto seen = Escalations("", discipline_);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].level(), v1::Escalation::TRANSFER);
}

TEST_F(SupervisionTest, TwoServicesSweepingAtOnceRaiseEachEscalationOnce) {
  StartSupervision();
  constexpr int kIssues = 30;
  for (int i = 0; i < kIssues; ++i) Assigned("2023-01-31");
  Sync();
  SupervisionProcess other(db_->service_account(), h_->address(),
                           "127.0.0.1:" + std::to_string(a_->host.port()), h_->clock(),
                           /*consume=*/false);
  v1::RunSweepResponse a, b;
  // Both released together, so the sweeps overlap.
  std::latch start(2);
  std::thread t1([&] {
    start.arrive_and_wait();
    a = Sweep(At(2023, 3, 1));
  });
  std::thread t2([&] {
    start.arrive_and_wait();
    v1::RunSweepRequest req;
    *req.mutable_as_of() = ToProtoTime(At(2023, 3, 1));
    EXPECT_TRUE(other.stub->RunSweep(C(office_).get(), req, &b).ok());
  });
  t1.join();
  t2.join();
  EXPECT_EQ(a.raised_size() + b.raised_size(), 2 * kIssues)
      << a.raised_size() << " + " << b.raised_size();
  auto all = Escalations("");
  EXPECT_EQ(all.size(), 2u * kIssues);
  std::set<std::pair<int64_t, int>> distinct;
  for (const auto& e : all) distinct.insert({e.issue_id(), e.level()});
  EXPECT_EQ(distinct.size(), all.size());
}

TEST_F(SupervisionTest, AnEventTakesEffectOnceAcrossACrashBeforeItsCommitAndARestart) {
  StartSupervision();
  s_.reset();  // the service is down while the registry works
  int64_t id = Assigned("2023-06-30");
  // A consumer that dies after the effect, before its transaction commits.
  SupervisionProcess crashing(db_->service_account(), h_->address(), "127.0.0.1:1", h_->clock(),
                              /*consume=*/false);
  EventConsumer dying(crashing.pool, "issue-registry", [&](mysql::Tx& tx, const v1::Event& e) {
    RETURN_IF_ERROR(
        crashing.store.records.ApplyIssueEvent(tx, IssueEventOf(e), crashing.desks.keeper()));
    return absl::UnavailableError("killed before commit");
  });
  v1::Event event;
  int handled = 0;
  {
    auto ctx = std::make_unique<grpc::ClientContext>();
    v1::WatchEventsRequest req;
    auto reader = crashing.registry.OpenEvents(ctx.get(), req);
    while (reader->Read(&event)) {
      EXPECT_FALSE(dying.Handle(event, absl::Now() + absl::Seconds(10)).ok());
      ++handled;
      if (event.cursor() >= h_->store().events().Horizon()) break;
    }
    ctx->TryCancel();
    reader->Finish();
  }
  ASSERT_GT(handled, 0) << "the dying consumer saw the events";
  ASSERT_EQ(event.cursor(), h_->store().events().Horizon()) << "all of them";
  EXPECT_EQ(*dying.Cursor(absl::Now() + absl::Seconds(5)), 0);
  v1::GetSupervisionRecordRequest get;
  get.set_issue_id(id);
  v1::SupervisionRecord none;
  EXPECT_EQ(crashing.stub->GetSupervisionRecord(C(office_).get(), get, &none).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "the effect went with its transaction";
  // Restarted: every event takes effect once.
  StartSupervision();
  Sync();
  v1::SupervisionRecord r = Record(id);
  EXPECT_EQ(r.issue_state(), v1::Issue::RECTIFYING);
  // Opened at the assignment, updated at the acknowledgement: version 2, two history records.
  EXPECT_EQ(r.etag(), EtagOf(2));
  // A second restart replays nothing.
  StartSupervision();
  Sync();
  EXPECT_EQ(Record(id).etag(), EtagOf(2));
}

TEST_F(SupervisionTest, ATransferWaitsForAccountabilityAndIsDeliveredOnceWhenItReturns) {
  int port = FreePort();
  StartSupervision("127.0.0.1:" + std::to_string(port));
  int64_t id = Assigned("2023-06-30");
  Sync();
  v1::EscalateIssueRequest req;
  req.set_issue_id(id);
  req.set_level(v1::Escalation::TRANSFER);
  req.set_reason("现场检查发现虚假整改线索");
  req.set_skip_reason("线索涉及虚假整改，直接移交");
  v1::Escalation transfer;
  ASSERT_TRUE(S().EscalateIssue(C(supervisor_).get(), req, &transfer).ok());
  EXPECT_EQ(transfer.transfer().state(), v1::Escalation::Transfer::PENDING);
  // Accountability is down: the attempt fails and is kept.
  ASSERT_TRUE(s_->transfers.RunOnce(absl::Now()).ok());
  v1::GetEscalationRequest get;
  get.set_id(transfer.id());
  v1::Escalation pending;
  ASSERT_TRUE(S().GetEscalation(C(office_).get(), get, &pending).ok());
  EXPECT_EQ(pending.transfer().state(), v1::Escalation::Transfer::PENDING);
  EXPECT_EQ(pending.transfer().attempts(), 1);
  EXPECT_FALSE(pending.transfer().last_error().empty());
  // It comes back on the same address: delivered, once.
  StartAccountability("127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(s_->transfers.RunOnce(absl::Now() + absl::Hours(1)).ok());
  ASSERT_TRUE(s_->transfers.RunOnce(absl::Now() + absl::Hours(2)).ok());
  v1::Escalation delivered;
  ASSERT_TRUE(S().GetEscalation(C(office_).get(), get, &delivered).ok());
  EXPECT_EQ(delivered.transfer().state(), v1::Escalation::Transfer::DELIVERED);
  v1::ListCasesRequest cases;
  cases.set_filter("source = TRANSFER");
  v1::ListCasesResponse listed;
  ASSERT_TRUE(a_->stub->ListCases(C(discipline_).get(), cases, &listed).ok());
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).id(), delivered.transfer().case_id());
}

TEST_F(SupervisionTest, EachLevelSignsForItselfAndTheNextLevelsHoursStartThen) {
  StartSupervision();
  int64_t id = Assigned("2023-06-30", v1::Issue::COMPLAINT);
  Sync();
  auto by_kind = ObligationsOf(id);
  auto sign = [&](v1::Obligation::Kind kind, const std::string& token, v1::Obligation* out) {
    v1::SignObligationRequest req;
    req.set_id(by_kind[kind].id());
    return S().SignObligation(C(token).get(), req, out);
  };
  v1::Obligation signed_off;
  EXPECT_EQ(sign(v1::Obligation::CITY_SIGN_OFF, qiqihar_, &signed_off).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(sign(v1::Obligation::PLAN_REPORT, water_, &signed_off)), "MET_BY_EVENTS");
  h_->clock().Advance(absl::Hours(1));
  ASSERT_TRUE(sign(v1::Obligation::PROVINCE_SIGN_OFF, office_, &signed_off).ok());
  EXPECT_EQ(signed_off.state(), v1::Obligation::MET);
  EXPECT_EQ(Reason(sign(v1::Obligation::PROVINCE_SIGN_OFF, office_, &signed_off)),
            "ALREADY_SIGNED");
  auto now_owed = ObligationsOf(id);
  ASSERT_TRUE(now_owed.count(v1::Obligation::CITY_SIGN_OFF));
  EXPECT_EQ(FromProtoTime(now_owed[v1::Obligation::CITY_SIGN_OFF].due_time()),
            h_->clock().Now() + absl::Hours(3))
      << "the city's three hours start when the province signs";
  // A day later the city and county have not signed: a warning, to the org that owes it.
  auto swept = Sweep(h_->clock().Now() + absl::Hours(24));
  ASSERT_EQ(swept.raised_size(), 1);
  EXPECT_EQ(swept.raised(0).level(), v1::Escalation::WARNING);
  EXPECT_EQ(swept.raised(0).cause(), v1::Escalation::OBLIGATION_MISSED);
  EXPECT_EQ(swept.raised(0).org_id(), "gov-230100");
  auto after = ObligationsOf(id, harbin_);
  EXPECT_EQ(after[v1::Obligation::PROVINCE_SIGN_OFF].state(), v1::Obligation::MET);
  EXPECT_EQ(after[v1::Obligation::CITY_SIGN_OFF].state(), v1::Obligation::MISSED);
  EXPECT_EQ(after[v1::Obligation::COUNTY_SIGN_OFF].state(), v1::Obligation::MISSED);
}

TEST_F(SupervisionTest, LinkageAndDirectivesAreSupervisedToo) {
  StartSupervision();
  int64_t id = Assigned("2023-12-29");
  Sync();
  v1::CreateLinkageRequestRequest ask;
  ask.mutable_linkage()->set_issue_id(id);
  ask.mutable_linkage()->set_target_org_id("hlj-forest");
  ask.mutable_linkage()->set_action("协调河道两岸林地退耕");
  ask.mutable_linkage()->set_due_date("2023-03-10");
  v1::LinkageRequest linkage;
  EXPECT_EQ(S().CreateLinkageRequest(C(daoli_).get(), ask, &linkage).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "only the lead org asks";
  ASSERT_TRUE(S().CreateLinkageRequest(C(water_).get(), ask, &linkage).ok());
  EXPECT_EQ(linkage.state(), v1::LinkageRequest::PENDING);
  EXPECT_EQ(linkage.region_code(), "230102");
  v1::RespondToLinkageRequest decline;
  decline.set_id(linkage.id());
  decline.set_answer(v1::LinkageRequest::DECLINE);
  EXPECT_EQ(Field(S().RespondToLinkage(C(forest_).get(), decline, &linkage)), "text");
  v1::RespondToLinkageRequest accept;
  accept.set_id(linkage.id());
  accept.set_answer(v1::LinkageRequest::ACCEPT);
  EXPECT_EQ(S().RespondToLinkage(C(water_).get(), accept, &linkage).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "the asked department answers";
  ASSERT_TRUE(S().RespondToLinkage(C(forest_).get(), accept, &linkage).ok());

  v1::CreateMeetingRequest meeting;
  auto* m = meeting.mutable_meeting();
  m->set_kind(v1::Meeting::SPECIAL_DEPLOYMENT);
  m->set_title("黑臭水体整治专题部署会");
  m->set_date("2023-03-01");
  m->set_chair("副省长");
  m->add_attendee_org_ids("hlj-water");
  auto* d1 = m->add_directives();
  d1->set_text("3月15日前完成排口溯源");
  d1->set_owner_org_id("hlj-water");
  d1->set_due_date("2023-03-15");
  d1->set_issue_id(id);
  auto* d2 = m->add_directives();
  d2->set_text("建立联席会议制度");
  d2->set_owner_org_id("hlj-deee");
  d2->set_due_date("2023-03-20");
  v1::Meeting recorded;
  EXPECT_EQ(S().CreateMeeting(C(water_).get(), meeting, &recorded).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(S().CreateMeeting(C(office_).get(), meeting, &recorded).ok());
  ASSERT_EQ(recorded.directives_size(), 2);

  // After the dates: the linkage is late (accepted, not done), both directives overdue.
  auto swept = Sweep(At(2023, 3, 22));
  std::map<std::string, v1::Escalation> by_related;
  for (const auto& e : swept.raised()) by_related[e.related()] = e;
  ASSERT_EQ(swept.raised_size(), 2) << "one warning for the issue, one for the free directive";
  std::string issue_related =
      by_related.count("supervision/linkage/" + std::to_string(linkage.id()))
          ? "supervision/linkage/" + std::to_string(linkage.id())
          : "supervision/directives/" + std::to_string(recorded.directives(0).id());
  EXPECT_EQ(by_related[issue_related].issue_id(), id);
  // One WARNING is open per issue: the linkage and the directive are both late; once the first
  // warning is resolved, the next sweep warns of the other.
  std::string linkage_name = "supervision/linkage/" + std::to_string(linkage.id());
  std::string directive_name =
      "supervision/directives/" + std::to_string(recorded.directives(0).id());
  v1::ResolveEscalationRequest resolve;
  resolve.set_id(by_related[issue_related].id());
  resolve.set_reason("已督促");
  v1::Escalation resolved;
  ASSERT_TRUE(S().ResolveEscalation(C(supervisor_).get(), resolve, &resolved).ok());
  auto next = Sweep(At(2023, 3, 22));
  ASSERT_EQ(next.raised_size(), 1);
  EXPECT_EQ(next.raised(0).related(),
            issue_related == linkage_name ? directive_name : linkage_name);
  EXPECT_EQ(next.raised(0).cause(), issue_related == linkage_name
                                        ? v1::Escalation::DIRECTIVE_OVERDUE
                                        : v1::Escalation::LINKAGE_LATE);
  auto free = by_related["supervision/directives/" + std::to_string(recorded.directives(1).id())];
  EXPECT_EQ(free.issue_id(), 0);
  EXPECT_EQ(free.org_id(), "hlj-deee");
  EXPECT_EQ(free.cause(), v1::Escalation::DIRECTIVE_OVERDUE);

  v1::CompleteDirectiveRequest done;
  done.set_id(recorded.directives(1).id());
  done.set_note("已建立");
  v1::Directive completed;
  EXPECT_EQ(S().CompleteDirective(C(water_).get(), done, &completed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      S().CompleteDirective(C(h_->Token(Role::kDepartment, "hlj-deee")).get(), done, &completed)
          .ok());
  EXPECT_EQ(completed.state(), v1::Directive::DONE);
}

TEST_F(SupervisionTest, TheBattleMapCountsByCityAndByCounty) {
  StartSupervision();
  int64_t late = Assigned("2023-01-31");
  Assigned("2023-06-30");
  Assigned("2023-06-30", v1::Issue::FEEDBACK, "230202", "gov-230202");
  Sync();
  Sweep(At(2023, 3, 1));
  v1::GetBattleMapRequest req;
  v1::BattleMap map;
  ASSERT_TRUE(S().GetBattleMap(C(office_).get(), req, &map).ok());
  EXPECT_EQ(map.region_code(), "230000");
  EXPECT_EQ(map.tiles_size(), 13) << "the thirteen prefecture-level divisions";
  EXPECT_EQ(map.total().supervised(), 3);
  EXPECT_EQ(map.total().overdue(), 1);
  EXPECT_EQ(map.total().red(), 1);
  std::map<std::string, v1::BattleMap::Tile> tiles;
  for (const auto& t : map.tiles()) tiles[t.region_code()] = t;
  EXPECT_EQ(tiles["230100"].supervised(), 2);
  EXPECT_EQ(tiles["230100"].red(), 1);
  EXPECT_EQ(tiles["230200"].supervised(), 1);
  std::map<std::string, int64_t> escalations;
  for (const auto& c : tiles["230100"].escalations()) escalations[c.key()] = c.count();
  EXPECT_EQ(escalations["NOTICE"], 1);
  EXPECT_EQ(escalations["INTERVIEW"], 1);
  req.set_region_code("230100");
  ASSERT_TRUE(S().GetBattleMap(C(harbin_).get(), req, &map).ok());
  EXPECT_EQ(map.region_code(), "230100");
  std::map<std::string, v1::BattleMap::Tile> counties;
  for (const auto& t : map.tiles()) counties[t.region_code()] = t;
  ASSERT_TRUE(counties.count("230102")) << "Daoli is a tile of Harbin's map";
  EXPECT_EQ(counties["230102"].supervised(), 2);
  EXPECT_EQ(counties["230102"].red(), 1);
  EXPECT_EQ(Record(late).light(), v1::SupervisionRecord::RED);
  req.set_region_code("230200");
  EXPECT_EQ(S().GetBattleMap(C(harbin_).get(), req, &map).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupervisionTest, EachRoleSeesWhatConcernsItAndMissingLooksLikeForbidden) {
  StartSupervision();
  int64_t id = Assigned("2023-01-31");
  Sync();
  Sweep(At(2023, 3, 1));
  int64_t notice = Escalations("level = NOTICE")[0].id();
  struct Case {
    std::string who;
    std::string token;
    grpc::StatusCode record, missing, escalation;
    size_t listed;
  };
  using Code = grpc::StatusCode;
  std::vector<Case> cases = {
      {"office", office_, Code::OK, Code::NOT_FOUND, Code::OK, 2},
      {"supervisor", supervisor_, Code::OK, Code::NOT_FOUND, Code::OK, 2},
      {"harbin", harbin_, Code::OK, Code::PERMISSION_DENIED, Code::OK, 2},
      {"daoli", daoli_, Code::OK, Code::PERMISSION_DENIED, Code::OK, 2},
      {"water (lead)", water_, Code::OK, Code::PERMISSION_DENIED, Code::OK, 2},
      {"qiqihar", qiqihar_, Code::PERMISSION_DENIED, Code::PERMISSION_DENIED,
       Code::PERMISSION_DENIED, 0},
      {"forest", forest_, Code::PERMISSION_DENIED, Code::PERMISSION_DENIED, Code::PERMISSION_DENIED,
       0},
      {"discipline", discipline_, Code::PERMISSION_DENIED, Code::PERMISSION_DENIED,
       Code::PERMISSION_DENIED, 0},
  };
  for (const auto& c : cases) {
    v1::GetSupervisionRecordRequest get;
    get.set_issue_id(id);
    v1::SupervisionRecord r;
    EXPECT_EQ(S().GetSupervisionRecord(h_->Context(c.token).get(), get, &r).error_code(), c.record)
        << c.who;
    get.set_issue_id(id + 1000);
    EXPECT_EQ(S().GetSupervisionRecord(h_->Context(c.token).get(), get, &r).error_code(), c.missing)
        << c.who;
    v1::GetEscalationRequest ge;
    ge.set_id(notice);
    v1::Escalation e;
    EXPECT_EQ(S().GetEscalation(h_->Context(c.token).get(), ge, &e).error_code(), c.escalation)
        << c.who;
    EXPECT_EQ(Escalations("", c.token).size(), c.listed) << c.who;
  }
  v1::ListSupervisionRecordsRequest list;
  v1::ListSupervisionRecordsResponse none;
  EXPECT_EQ(S().ListSupervisionRecords(C(public_).get(), list, &none).error_code(),
            Code::PERMISSION_DENIED);
  v1::RunSweepRequest sweep;
  v1::RunSweepResponse swept;
  EXPECT_EQ(S().RunSweep(C(harbin_).get(), sweep, &swept).error_code(), Code::PERMISSION_DENIED);
  // The org concerned answers for itself only.
  v1::RespondToEscalationRequest respond;
  respond.set_id(notice);
  respond.set_kind(v1::Escalation::EXPLANATION);
  respond.set_text("已制定整改方案，申请延期");
  v1::Escalation answered;
  EXPECT_EQ(S().RespondToEscalation(C(daoli_).get(), respond, &answered).error_code(),
            Code::PERMISSION_DENIED);
  ASSERT_TRUE(S().RespondToEscalation(C(water_).get(), respond, &answered).ok());
  EXPECT_EQ(answered.state(), v1::Escalation::RESPONDED);
  v1::ResolveEscalationRequest resolve;
  resolve.set_id(notice);
  resolve.set_reason("已约谈并限期整改");
  EXPECT_EQ(S().ResolveEscalation(C(water_).get(), resolve, &answered).error_code(),
            Code::PERMISSION_DENIED);
  ASSERT_TRUE(S().ResolveEscalation(C(supervisor_).get(), resolve, &answered).ok());
  EXPECT_EQ(answered.state(), v1::Escalation::RESOLVED);
  EXPECT_EQ(Sweep(At(2023, 3, 1)).raised_size(), 0) << "a resolved cause is not raised again";
}

TEST_F(SupervisionTest, EveryReadAnswersEachRoleAsDesigned) {
  StartSupervision();
  int64_t id = Assigned("2023-01-31", v1::Issue::COMPLAINT);
  Sync();
  Sweep(At(2023, 3, 1));
  using Code = grpc::StatusCode;
  constexpr Code OK = Code::OK, NO = Code::PERMISSION_DENIED;
  struct Row {
    std::string who, token;
    Code status, policy, obligations, linkage, meetings, directives, map, circular, records;
    int records_seen;
  };
  std::vector<Row> rows = {
      {"office", office_, OK, OK, OK, OK, OK, OK, OK, OK, OK, 1},
      {"supervisor", supervisor_, OK, OK, OK, OK, OK, OK, OK, OK, OK, 1},
      {"harbin", harbin_, NO, OK, OK, OK, NO, OK, OK, OK, OK, 1},
      {"daoli", daoli_, NO, OK, OK, OK, NO, OK, OK, OK, OK, 1},
      {"qiqihar", qiqihar_, NO, OK, OK, OK, NO, OK, OK, OK, OK, 0},
      {"water (lead)", water_, NO, OK, OK, OK, NO, OK, NO, OK, OK, 1},
      {"forest", forest_, NO, OK, OK, OK, NO, OK, NO, OK, OK, 0},
      {"discipline", discipline_, NO, OK, NO, NO, NO, NO, NO, OK, NO, 0},
      {"public", public_, NO, NO, NO, NO, NO, NO, NO, NO, NO, 0},
  };
  for (const auto& r : rows) {
    auto ctx = [&] { return C(r.token); };
    v1::SupervisionStatus status;
    EXPECT_EQ(S().GetSupervisionStatus(ctx().get(), {}, &status).error_code(), r.status) << r.who;
    v1::EscalationPolicy policy;
    EXPECT_EQ(S().GetEscalationPolicy(ctx().get(), {}, &policy).error_code(), r.policy) << r.who;
    v1::ListEscalationPoliciesResponse versions;
    EXPECT_EQ(S().ListEscalationPolicies(ctx().get(), {}, &versions).error_code(), r.policy)
        << r.who << ": the versions are read like the policy";
    {
      // The watch answers at once: refused, or accepted (and cancelled here) where the status
      // may be read. A refusal that never comes ends at the deadline instead of hanging.
      auto watch_ctx = ctx();
      watch_ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      v1::WatchEventsRequest after_all;
      after_all.set_after_cursor(1'000'000);
      auto reader = S().WatchEvents(watch_ctx.get(), after_all);
      reader->WaitForInitialMetadata();
      if (r.status == OK) watch_ctx->TryCancel();
      EXPECT_EQ(reader->Finish().error_code(), r.status == OK ? Code::CANCELLED : NO) << r.who;
    }
    v1::ListObligationsResponse obligations;
    EXPECT_EQ(S().ListObligations(ctx().get(), {}, &obligations).error_code(), r.obligations)
        << r.who;
    v1::ListLinkageRequestsResponse linkage;
    EXPECT_EQ(S().ListLinkageRequests(ctx().get(), {}, &linkage).error_code(), r.linkage) << r.who;
    v1::ListMeetingsResponse meetings;
    EXPECT_EQ(S().ListMeetings(ctx().get(), {}, &meetings).error_code(), r.meetings) << r.who;
    v1::ListDirectivesResponse directives;
    EXPECT_EQ(S().ListDirectives(ctx().get(), {}, &directives).error_code(), r.directives) << r.who;
    v1::BattleMap map;
    EXPECT_EQ(S().GetBattleMap(ctx().get(), {}, &map).error_code(), r.map) << r.who;
    v1::GetCircularRequest period;
    period.set_period("2023-03");
    v1::Circular circular;
    EXPECT_EQ(S().GetCircular(ctx().get(), period, &circular).error_code(), r.circular) << r.who;
    v1::ListSupervisionRecordsResponse records;
    EXPECT_EQ(S().ListSupervisionRecords(ctx().get(), {}, &records).error_code(), r.records)
        << r.who;
    EXPECT_EQ(records.records_size(), r.records_seen) << r.who;
    if (r.obligations == OK) {
      // Obligations concern the levels and the lead: those outside see none of this issue's.
      bool outside = r.who == "qiqihar" || r.who == "forest";
      EXPECT_EQ(obligations.obligations_size() == 0, outside) << r.who;
    }
    if (r.circular == OK) {
      bool sees = r.records_seen > 0;
      EXPECT_EQ(circular.notices_size() > 0, sees) << r.who << ": the circular is scoped too";
    }
  }
  (void)id;
}

TEST_F(SupervisionTest, EveryMutationAnswersEachRoleAsDesigned) {
  // Each probe is refused after the permission check without changing anything (an empty reason,
  // a stale etag, something already signed), so a row's answer shows how far the caller got:
  // PERMISSION_DENIED stops at the door; anything else got through it. Missing ids answer
  // NOT_FOUND only to those who see everything.
  StartSupervision();
  int64_t id = Assigned("2023-01-31", v1::Issue::COMPLAINT);
  Sync();
  std::map<v1::Obligation::Kind, int64_t> obligation;
  for (const auto& [kind, o] : ObligationsOf(id)) obligation[kind] = o.id();
  for (auto [kind, token] : {std::pair{v1::Obligation::PROVINCE_SIGN_OFF, office_},
                             std::pair{v1::Obligation::CITY_SIGN_OFF, harbin_},
                             std::pair{v1::Obligation::COUNTY_SIGN_OFF, daoli_}}) {
    v1::SignObligationRequest sign;
    sign.set_id(obligation[kind]);
    v1::Obligation signed_off;
    ASSERT_TRUE(S().SignObligation(C(token).get(), sign, &signed_off).ok()) << kind;
  }
  Sweep(At(2023, 3, 1));
  auto notices = Escalations("level = NOTICE");
  ASSERT_EQ(notices.size(), 1u);
  int64_t notice = notices[0].id();
  ASSERT_EQ(notices[0].org_id(), "hlj-water");

  v1::CreateLinkageRequestRequest ask;
  ask.mutable_linkage()->set_issue_id(id);
  ask.mutable_linkage()->set_target_org_id("hlj-forest");
  ask.mutable_linkage()->set_action("协调河道两岸林地退耕");
  ask.mutable_linkage()->set_due_date("2023-03-10");
  v1::LinkageRequest linkage;
  ASSERT_TRUE(S().CreateLinkageRequest(C(water_).get(), ask, &linkage).ok());
  v1::CreateMeetingRequest meeting;
  auto* m = meeting.mutable_meeting();
  m->set_kind(v1::Meeting::ON_SITE_PROMOTION);
  m->set_title("现场推进会");
  m->set_date("2023-03-01");
  auto* d = m->add_directives();
  d->set_text("3月20日前完成清淤");
  d->set_owner_org_id("gov-230102");
  d->set_due_date("2023-03-20");
  d->set_issue_id(id);
  v1::Meeting recorded;
  ASSERT_TRUE(S().CreateMeeting(C(office_).get(), meeting, &recorded).ok());
  int64_t directive = recorded.directives(0).id();
  v1::EscalationPolicy policy;
  ASSERT_TRUE(S().GetEscalationPolicy(C(office_).get(), {}, &policy).ok());

  constexpr int64_t kMissing = 1'000'000;
  using Probe = std::function<grpc::Status(const std::string& token)>;
  // A probe calls `method` with `request` as the token's holder.
  auto probe = [this](auto method, auto request) -> Probe {
    return [this, method, request](const std::string& token) {
      typename std::remove_pointer_t<
          std::tuple_element_t<2, typename MethodTraits<decltype(method)>::Args>>
          out;
      return (S().*method)(C(token).get(), request, &out);
    };
  };
  using Stub = v1::Supervision::Stub;

  v1::RunSweepRequest sweep;
  *sweep.mutable_as_of() = ToProtoTime(At(1990, 1, 1));
  v1::EscalateIssueRequest escalate;  // no reason
  escalate.set_issue_id(id);
  escalate.set_level(v1::Escalation::WARNING);
  v1::EscalateIssueRequest escalate_unsupervised = escalate;
  escalate_unsupervised.set_issue_id(kMissing);
  escalate_unsupervised.set_reason("进度滞后");
  v1::RespondToEscalationRequest respond;
  respond.set_id(notice);
  respond.set_kind(v1::Escalation::EXPLANATION);
  respond.set_text("已制定整改方案");
  respond.set_etag("stale");
  v1::RespondToEscalationRequest respond_missing = respond;
  respond_missing.set_id(kMissing);
  respond_missing.clear_etag();
  v1::ResolveEscalationRequest resolve;
  resolve.set_id(notice);
  resolve.set_reason("已约谈");
  resolve.set_etag("stale");
  v1::ResolveEscalationRequest resolve_missing = resolve;
  resolve_missing.set_id(kMissing);
  resolve_missing.clear_etag();
  v1::SignObligationRequest sign_county, sign_report, sign_missing;
  sign_county.set_id(obligation[v1::Obligation::COUNTY_SIGN_OFF]);
  sign_report.set_id(obligation[v1::Obligation::PLAN_REPORT]);
  sign_missing.set_id(kMissing);
  v1::CreateLinkageRequestRequest ask_bad_date = ask;
  ask_bad_date.mutable_linkage()->set_due_date("2023-02-30");
  v1::CreateLinkageRequestRequest ask_unsupervised = ask;
  ask_unsupervised.mutable_linkage()->set_issue_id(kMissing);
  ask_unsupervised.mutable_linkage()->set_target_org_id("hlj-deee");
  v1::RespondToLinkageRequest answer;
  answer.set_id(linkage.id());
  answer.set_answer(v1::LinkageRequest::ACCEPT);
  answer.set_etag("stale");
  v1::RespondToLinkageRequest answer_missing = answer;
  answer_missing.set_id(kMissing);
  answer_missing.clear_etag();
  v1::CreateMeetingRequest meeting_bad_date = meeting;
  meeting_bad_date.mutable_meeting()->set_date("2023-13-01");
  v1::CompleteDirectiveRequest complete;
  complete.set_id(directive);
  complete.set_note("已完成清淤");
  complete.set_etag("stale");
  v1::CompleteDirectiveRequest complete_missing = complete;
  complete_missing.set_id(kMissing);
  complete_missing.clear_etag();
  v1::UpdateEscalationPolicyRequest update_policy;
  *update_policy.mutable_policy() = policy;
  update_policy.set_etag("stale");

  std::vector<std::pair<std::string, Probe>> probes = {
      {"RunSweep", probe(&Stub::RunSweep, sweep)},
      {"EscalateIssue", probe(&Stub::EscalateIssue, escalate)},
      {"EscalateIssue (not supervised)", probe(&Stub::EscalateIssue, escalate_unsupervised)},
      {"RespondToEscalation", probe(&Stub::RespondToEscalation, respond)},
      {"RespondToEscalation (missing)", probe(&Stub::RespondToEscalation, respond_missing)},
      {"ResolveEscalation", probe(&Stub::ResolveEscalation, resolve)},
      {"ResolveEscalation (missing)", probe(&Stub::ResolveEscalation, resolve_missing)},
      {"SignObligation (county, signed)", probe(&Stub::SignObligation, sign_county)},
      {"SignObligation (a report)", probe(&Stub::SignObligation, sign_report)},
      {"SignObligation (missing)", probe(&Stub::SignObligation, sign_missing)},
      {"CreateLinkageRequest", probe(&Stub::CreateLinkageRequest, ask_bad_date)},
      {"CreateLinkageRequest (not supervised)",
       probe(&Stub::CreateLinkageRequest, ask_unsupervised)},
      {"RespondToLinkage", probe(&Stub::RespondToLinkage, answer)},
      {"RespondToLinkage (missing)", probe(&Stub::RespondToLinkage, answer_missing)},
      {"CreateMeeting", probe(&Stub::CreateMeeting, meeting_bad_date)},
      {"CompleteDirective", probe(&Stub::CompleteDirective, complete)},
      {"CompleteDirective (missing)", probe(&Stub::CompleteDirective, complete_missing)},
      {"UpdateEscalationPolicy", probe(&Stub::UpdateEscalationPolicy, update_policy)},
  };
  using Code = grpc::StatusCode;
  constexpr Code NO = Code::PERMISSION_DENIED, BAD = Code::INVALID_ARGUMENT, STALE = Code::ABORTED,
                 STATE = Code::FAILED_PRECONDITION, GONE = Code::NOT_FOUND;
  struct Row {
    std::string who, token;
    std::vector<Code> codes;  // in the order of `probes`
  };
  // clang-format off
  std::vector<Row> rows = {
      //                          sweep esc  esc? resp resp? res   res?  sign  rep   sign? ask  ask?   ans    ans?  meet  dir    dir?  policy
      {"office", office_,         {BAD, BAD, STATE, NO, GONE, STALE, GONE, NO,   NO,   GONE, BAD, STATE, NO,    GONE, BAD,  STALE, GONE, STALE}},
      {"supervisor", supervisor_, {BAD, BAD, STATE, NO, GONE, STALE, GONE, NO,   NO,   GONE, NO,  NO,    NO,    GONE, NO,   NO,    GONE, NO}},
      {"harbin", harbin_,         {NO,  NO,  NO,    NO, NO,   NO,    NO,   NO,   NO,   NO,   BAD, NO,    NO,    NO,   NO,   NO,    NO,   NO}},
      {"daoli", daoli_,           {NO,  NO,  NO,    NO, NO,   NO,    NO,   STATE, NO,    NO, BAD, NO,    NO,    NO,   NO,   STALE, NO,   NO}},
      {"qiqihar", qiqihar_,       {NO,  NO,  NO,    NO, NO,   NO,    NO,   NO,   NO,   NO,   BAD, NO,    NO,    NO,   NO,   NO,    NO,   NO}},
      {"water (lead)", water_,    {NO,  NO,  NO, STALE, NO,   NO,    NO,   NO,   STATE, NO,   BAD, NO,    NO,    NO,   NO,   NO,    NO,   NO}},
      {"forest (asked)", forest_, {NO,  NO,  NO,    NO, NO,   NO,    NO,   NO,   NO,   NO,   BAD, NO,    STALE, NO,   NO,   NO,    NO,   NO}},
      {"discipline", discipline_, {NO,  NO,  NO,    NO, NO,   NO,    NO,   NO,   NO,   NO,   NO,  NO,    NO,    NO,   NO,   NO,    NO,   NO}},
      {"public", public_,         {NO,  NO,  NO,    NO, NO,   NO,    NO,   NO,   NO,   NO,   NO,  NO,    NO,    NO,   NO,   NO,    NO,   NO}},
  };
  // clang-format on
  auto owed_before = ObligationsOf(id);
  for (const auto& row : rows) {
    ASSERT_EQ(row.codes.size(), probes.size()) << row.who;
    for (size_t k = 0; k < probes.size(); ++k) {
      grpc::Status s = probes[k].second(row.token);
      EXPECT_EQ(s.error_code(), row.codes[k])
          << row.who << " × " << probes[k].first << ": " << s.error_message();
    }
  }
  // Nothing a probe did changed anything: the notice, the linkage, the directive, the
  // obligations, the meetings and the policy are as they were, and nothing was raised by hand.
  v1::GetEscalationRequest get;
  get.set_id(notice);
  v1::Escalation now;
  ASSERT_TRUE(S().GetEscalation(C(office_).get(), get, &now).ok());
  EXPECT_EQ(now.etag(), notices[0].etag());
  EXPECT_EQ(Escalations("level = WARNING AND cause = BY_HAND").size(), 0u);
  v1::ListLinkageRequestsResponse linkages;
  ASSERT_TRUE(S().ListLinkageRequests(C(office_).get(), {}, &linkages).ok());
  ASSERT_EQ(linkages.linkage_requests_size(), 1) << "no probe asked for linkage";
  EXPECT_EQ(linkages.linkage_requests(0).etag(), linkage.etag());
  v1::ListDirectivesResponse directives;
  ASSERT_TRUE(S().ListDirectives(C(office_).get(), {}, &directives).ok());
  ASSERT_EQ(directives.directives_size(), 1);
  EXPECT_EQ(directives.directives(0).etag(), recorded.directives(0).etag());
  v1::ListMeetingsResponse meetings;
  ASSERT_TRUE(S().ListMeetings(C(office_).get(), {}, &meetings).ok());
  EXPECT_EQ(meetings.meetings_size(), 1) << "no probe recorded a meeting";
  v1::EscalationPolicy policy_now;
  ASSERT_TRUE(S().GetEscalationPolicy(C(office_).get(), {}, &policy_now).ok());
  EXPECT_EQ(policy_now.version(), policy.version());
  auto owed_now = ObligationsOf(id);
  ASSERT_TRUE(owed_now.count(v1::Obligation::PLAN_REPORT));
  EXPECT_FALSE(owed_now[v1::Obligation::PLAN_REPORT].has_met_time())
      << "a report is not met by a signature";
  for (const auto& [kind, o] : owed_before) {
    EXPECT_EQ(owed_now[kind].etag(), o.etag()) << v1::Obligation::Kind_Name(kind);
  }
}

TEST_F(SupervisionTest, BadInputIsRefusedNamingTheField) {
  StartSupervision();
  int64_t id = Assigned("2023-06-30");
  Sync();
  v1::EscalateIssueRequest e;
  e.set_issue_id(id);
  e.set_level(static_cast<v1::Escalation::Level>(9));
  e.set_reason("x");
  v1::Escalation out;
  EXPECT_EQ(Field(S().EscalateIssue(C(supervisor_).get(), e, &out)), "level");
  e.set_level(v1::Escalation::NOTICE);
  EXPECT_EQ(Field(S().EscalateIssue(C(supervisor_).get(), e, &out)), "skip_reason");
  e.set_reason(std::string(10001, 'x'));
  EXPECT_EQ(Field(S().EscalateIssue(C(supervisor_).get(), e, &out)), "reason");
  e.set_level(v1::Escalation::WARNING);
  e.set_reason("进度滞后");
  ASSERT_TRUE(S().EscalateIssue(C(supervisor_).get(), e, &out).ok());
  EXPECT_EQ(out.policy_version(), 1) << "an escalation by hand names the policy in force too";
  EXPECT_EQ(Reason(S().EscalateIssue(C(supervisor_).get(), e, &out)), "ALREADY_OPEN");

  v1::ListEscalationsRequest list;
  list.set_filter("colour = red");
  v1::ListEscalationsResponse listed;
  EXPECT_EQ(Field(S().ListEscalations(C(office_).get(), list, &listed)), "filter");
  list.set_filter("level = PURPLE");
  EXPECT_EQ(Field(S().ListEscalations(C(office_).get(), list, &listed)), "filter");
  list.set_filter("");
  list.set_page_size(-1);
  EXPECT_EQ(Field(S().ListEscalations(C(office_).get(), list, &listed)), "page_size");

  v1::GetEscalationPolicyRequest get_policy;
  v1::EscalationPolicy policy;
  ASSERT_TRUE(S().GetEscalationPolicy(C(water_).get(), get_policy, &policy).ok());
  v1::UpdateEscalationPolicyRequest update;
  *update.mutable_policy() = policy;
  update.mutable_policy()->set_sign_off_hours(0);
  update.set_etag(policy.etag());
  v1::EscalationPolicy stored;
  EXPECT_EQ(Field(S().UpdateEscalationPolicy(C(office_).get(), update, &stored)),
            "policy.sign_off_hours");
  update.mutable_policy()->set_sign_off_hours(2);
  EXPECT_EQ(S().UpdateEscalationPolicy(C(supervisor_).get(), update, &stored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(S().UpdateEscalationPolicy(C(office_).get(), update, &stored).ok());
  EXPECT_EQ(stored.version(), 2);
  EXPECT_EQ(S().UpdateEscalationPolicy(C(office_).get(), update, &stored).error_code(),
            grpc::StatusCode::ABORTED)
      << "the etag names version 1, no longer in force";

  v1::CreateLinkageRequestRequest ask;
  ask.mutable_linkage()->set_issue_id(id);
  ask.mutable_linkage()->set_target_org_id("gov-230100");
  ask.mutable_linkage()->set_action("协调");
  ask.mutable_linkage()->set_due_date("2023-02-30");
  v1::LinkageRequest linkage;
  auto s = S().CreateLinkageRequest(C(water_).get(), ask, &linkage);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldViolations(FromGrpcStatus(s)).size(), 2u) << "not a department, not a date";

  v1::RunSweepRequest sweep;
  *sweep.mutable_as_of() = ToProtoTime(At(1990, 1, 1));
  v1::RunSweepResponse swept;
  EXPECT_EQ(Field(S().RunSweep(C(office_).get(), sweep, &swept)), "as_of");
  v1::GetCircularRequest circular;
  circular.set_period("2023-13");
  v1::Circular c;
  EXPECT_EQ(Field(S().GetCircular(C(office_).get(), circular, &c)), "period");
}

}  // namespace
}  // namespace rectify::supervision
