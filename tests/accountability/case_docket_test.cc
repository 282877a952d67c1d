// The accountability docket's rules over an in-memory store: who may open, investigate and
// decide, the case lifecycle, scope and redaction, and the reopen deliveries a decision
// schedules — with no server, registry or database.
#include "accountability-service/domain/case_docket.h"

#include "accountability-service/domain/case_codec.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/fakes/in_memory_case_store.h"

namespace rectify::accountability {
namespace {

class CaseDocketTest : public ::testing::Test {
 protected:
  CaseDocketTest() : docket_(store_, issues_, "docket-test-secret-0123456789abcdef") {
    issues_.regions = {{7, "230102"}, {8, "230102"}, {9, "230200"}};
  }

  CallContext Call(Role role, const std::string& org = "", const std::string& region = "") {
    CallContext call;
    call.principal = {org + "-user", org, role, region};
    call.now = absl::FromUnixSeconds(1677632400);
    call.deadline = absl::InfiniteFuture();
    return call;
  }
  CallContext Discipline() { return Call(Role::kDiscipline, "hlj-discipline"); }

  Case Transfer(std::vector<int64_t> issues = {7, 8}) {
    Case c;
    c.source = CaseSource::kTransfer;
    c.transfer_id = "escalations/1";
    c.issue_ids = std::move(issues);
    c.failure_types = {FailureType::kFalse};
    c.subjects = {{SubjectKind::kOrg, "gov-230102", "", "", 0},
                  {SubjectKind::kOfficial, "gov-230102", "张三", "副区长", 0}};
    c.summary = "虚假整改";
    return c;
  }

  // An open case carried to INVESTIGATING with a finding of `confirmed`.
  int64_t Investigated(std::vector<FailureType> confirmed) {
    auto opened = docket_.OpenCase(Call(Role::kService, "supervision"), Transfer());
    EXPECT_TRUE(opened.ok()) << opened.status();
    EXPECT_TRUE(docket_.StartInvestigation(Discipline(), opened->id, "").ok());
    Finding f;
    f.facts = "台账记录与现场不符";
    f.confirmed = std::move(confirmed);
    auto found = docket_.RecordFinding(Discipline(), opened->id, f, "");
    EXPECT_TRUE(found.ok()) << found.status();
    return opened->id;
  }

  Decision Sanctions() {
    Decision d;
    d.sanctions = {{0, 1}, {1, 2}};
    d.decided_by = "省纪委监委";
    d.decision_date = "2023-03-01";
    return d;
  }

  fakes::InMemoryCaseStore store_;
  fakes::InMemoryIssueDirectory issues_;
  CaseDocket docket_;
};

TEST_F(CaseDocketTest, ATransferOpensOneCaseInTheRegionOfItsFirstIssue) {
  auto first = docket_.OpenCase(Call(Role::kService, "supervision"), Transfer());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state, CaseState::kOpen);
  EXPECT_EQ(first->region_code, "230102");
  auto again = docket_.OpenCase(Call(Role::kService, "supervision"), Transfer());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(store_.cases.size(), 1u);
  // The first issue names the region, whatever the others'.
  Case other = Transfer({9, 7});
  other.transfer_id = "escalations/2";
  auto qiqihar = docket_.OpenCase(Call(Role::kService, "supervision"), other);
  ASSERT_TRUE(qiqihar.ok()) << qiqihar.status();
  EXPECT_EQ(qiqihar->region_code, "230200");
}

TEST_F(CaseDocketTest, OnlyTheOfficeSupervisorsServicesAndDisciplineOpenCases) {
  for (Role role : {Role::kCity, Role::kCounty, Role::kDepartment, Role::kPublic}) {
    EXPECT_EQ(docket_.OpenCase(Call(role, "gov-230100"), Transfer()).status().code(),
              absl::StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(store_.cases.empty());
  int opened = 0;
  for (Role role : {Role::kOffice, Role::kSupervisor, Role::kDiscipline}) {
    Case c = Transfer();
    c.source = CaseSource::kLookBack;
    c.transfer_id = "";
    auto r = docket_.OpenCase(Call(role, "hlj-office", "230000"), c);
    EXPECT_TRUE(r.ok()) << r.status();
    opened += r.ok();
  }
  EXPECT_EQ(store_.cases.size(), static_cast<size_t>(opened));
}

TEST_F(CaseDocketTest, ACaseNeedsIssuesTheRegistryKnowsAndSubjectsWithNames) {
  Case c = Transfer({7, 7, -1});
  c.subjects[1].name = "";
  c.transfer_id = "";
  auto bad = docket_.OpenCase(Discipline(), c);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations(bad.status()).size(), 4u) << bad.status();
  auto unknown = docket_.OpenCase(Discipline(), Transfer({7, 404}));
  EXPECT_EQ(ErrorReason(unknown.status()), "ISSUE_NOT_FOUND");
  issues_.unavailable = true;
  EXPECT_EQ(docket_.OpenCase(Discipline(), Transfer()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store_.cases.empty());
}

TEST_F(CaseDocketTest, DisciplineInvestigatesFindsAndDecidesInThatOrder) {
  auto opened = docket_.OpenCase(Discipline(), Transfer());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(docket_.DecideCase(Discipline(), opened->id, Sanctions(), "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      docket_.StartInvestigation(Call(Role::kOffice, "hlj-office"), opened->id, "").status().code(),
      absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(docket_.StartInvestigation(Discipline(), opened->id, "").ok());
  EXPECT_EQ(ErrorReason(docket_.DecideCase(Discipline(), opened->id, Sanctions(), "").status()),
            "FINDING_MISSING");
  EXPECT_EQ(store_.events, (std::vector<std::string>{"case.opened", "case.investigation_started"}));
  Finding f;
  f.facts = "台账记录与现场不符";
  f.confirmed = {FailureType::kFalse};
  ASSERT_TRUE(docket_.RecordFinding(Discipline(), opened->id, f, "").ok());
  auto decided = docket_.DecideCase(Discipline(), opened->id, Sanctions(), "");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state, CaseState::kDecided);
  EXPECT_EQ(store_.events.back(), "case.decided");
}

TEST_F(CaseDocketTest, EverySubjectGetsExactlyOneSanction) {
  int64_t id = Investigated({FailureType::kInadequate});
  Decision d = Sanctions();
  d.sanctions = {{0, 1}};
  EXPECT_EQ(FieldViolations(docket_.DecideCase(Discipline(), id, d, "").status()).at(0).field,
            "sanctions");
  d.sanctions = {{0, 1}, {0, 2}};
  EXPECT_EQ(FieldViolations(docket_.DecideCase(Discipline(), id, d, "").status()).at(0).field,
            "sanctions[1].subject_index");
  d.sanctions = {{0, 1}, {5, 2}};
  EXPECT_EQ(FieldViolations(docket_.DecideCase(Discipline(), id, d, "").status()).at(0).field,
            "sanctions[1].subject_index");
  EXPECT_EQ(store_.cases[id].state, CaseState::kInvestigating);
  auto decided = docket_.DecideCase(Discipline(), id, Sanctions(), "");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->subjects[1].sanction, 2);
  EXPECT_TRUE(decided->reopens.empty()) << "an inadequate rectification reopens nothing";
}

TEST_F(CaseDocketTest, AFalseRectificationSchedulesAReopenOfEveryLinkedIssue) {
  int64_t id = Investigated({FailureType::kFalse});
  ASSERT_TRUE(docket_.DecideCase(Discipline(), id, Sanctions(), "").ok());
  auto due = store_.DueReopens(absl::InfiniteFuture(), 10, absl::InfiniteFuture());
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].issue_id, 7);
  EXPECT_EQ((*due)[1].issue_id, 8);
}

TEST_F(CaseDocketTest, AStaleEtagChangesNothing) {
  int64_t id = Investigated({FailureType::kFalse});
  auto stale = docket_.DecideCase(Discipline(), id, Sanctions(), "\"1\"");
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  EXPECT_EQ(store_.cases[id].state, CaseState::kInvestigating);
}

TEST_F(CaseDocketTest, ACityReadsTheCasesNamingItsOrgWithoutPersonalDetails) {
  ASSERT_TRUE(docket_.OpenCase(Discipline(), Transfer()).ok());
  Case other = Transfer({9});
  other.transfer_id = "escalations/2";
  other.subjects = {{SubjectKind::kOrg, "gov-230200", "", "", 0}};
  ASSERT_TRUE(docket_.OpenCase(Discipline(), other).ok());
  auto daoli = Call(Role::kCounty, "gov-230102", "230102");
  auto page = docket_.ListCases(daoli, 10, "", "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->cases.size(), 1u);
  EXPECT_EQ(page->cases[0].subjects[1].name, "");
  EXPECT_EQ(docket_.GetCase(daoli, 2).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(docket_.GetCase(daoli, 99).status().code(), absl::StatusCode::kPermissionDenied)
      << "a missing case looks like another org's";
  auto full = docket_.GetCase(Discipline(), 1);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->subjects[1].name, "张三");
  EXPECT_EQ(docket_.ListCases(Call(Role::kPublic), 10, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(docket_.ListCases(Discipline(), 10, "", "colour = red").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseDocketTest, StatisticsCountDecidedSanctionsBySubjectKind) {
  int64_t id = Investigated({FailureType::kFalse});
  ASSERT_TRUE(docket_.DecideCase(Discipline(), id, Sanctions(), "").ok());
  auto stats = docket_.GetStats(Call(Role::kOffice, "hlj-office"), "", "", "");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->cases, 1);
  EXPECT_EQ(stats->transferred_problems, 2);
  EXPECT_EQ(stats->officials_held_accountable, 1);
  EXPECT_EQ(stats->orgs_held_accountable, 1);
  EXPECT_EQ(stats->by_region.at("230100"), 1);
  EXPECT_EQ(docket_.GetStats(Call(Role::kCity, "gov-230100"), "", "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CaseFilterTest, ReadsEachFieldAndNamesWhatItRefuses) {
  auto q = ParseCaseFilter(
      R"(state = DECIDED AND region = "230100" AND failure_type = FALSE AND source = TRANSFER )"
      R"(AND subject_org = gov-230102 AND issue = 7 AND opened >= 2023-01-01 AND opened < 2024-01-01)");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->state, CaseState::kDecided);
  EXPECT_EQ(q->region_prefix, "2301");
  EXPECT_EQ(q->failure_type, FailureType::kFalse);
  EXPECT_EQ(q->source, CaseSource::kTransfer);
  EXPECT_EQ(q->subject_org, "gov-230102");
  EXPECT_EQ(q->issue_id, 7);
  ASSERT_EQ(q->opened.size(), 2u);
  EXPECT_EQ(q->opened[1].op, "<");
  for (const char* bad :
       {"colour = red", "state = STATE_UNSPECIFIED", "opened != 2023-01-01", "opened : 2023-01-01",
        "opened > 2023-02-30", "issue = 0", "state != OPEN", "state = OPEN OR state = CLOSED"}) {
    auto refused = ParseCaseFilter(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    ASSERT_EQ(FieldViolations(refused.status()).size(), 1u) << bad;
    EXPECT_EQ(FieldViolations(refused.status())[0].field, "filter") << bad;
  }
}

// Found by fuzzing (tests/fuzz/stored_json_fuzz.cc): a stored case's enums were taken as any
// number, and statistics index tables of names with them (a source of 7 read past the end). A
// number the model does not define is not what the codec wrote: the record is corrupt.
TEST(CaseCodecTest, AnEnumOutOfRangeOrANonIntegerIsACorruptRecord) {
  auto corrupt = [](const std::string& text) {
    auto c = CaseFromJson(text);
    return c.status().code() == absl::StatusCode::kInternal &&
           ErrorReason(c.status()) == "CORRUPT_RECORD";
  };
  EXPECT_TRUE(corrupt(R"({"id":4,"state":99})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"source":7})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"failure_types":[5,42]})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"finding":{"confirmed":[-1]}})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"subjects":[{"kind":3,"org_id":"x"}]})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"reopens":[{"issue_id":7,"state":4}]})"));
  EXPECT_TRUE(corrupt(R"({"id":1e300})"));
  EXPECT_TRUE(corrupt(R"({"id":4,"issue_ids":[7,1e300]})"));
  Case c;
  c.id = 4;
  c.state = CaseState::kDismissed;
  c.source = CaseSource::kOther;
  c.failure_types = {FailureType::kSuperficial};
  c.subjects = {{SubjectKind::kOfficial, "gov-230102", "张三", "副区长", 11}};
  c.reopens = {{7, DeliveryState::kSkipped, 1, "", absl::FromUnixSeconds(1)}};
  auto back = CaseFromJson(Dump(ToJson(c)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ToJson(*back), ToJson(c));
}

}  // namespace
}  // namespace rectify::accountability
