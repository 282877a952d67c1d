// The issue registry's rules without a server or a database.
#include "common/status.h"
#include "gtest/gtest.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/codec.h"
#include "issue-service/domain/ledger_export.h"
#include "issue-service/domain/lifecycle.h"
#include "issue-service/domain/query.h"

namespace rectify::issues {
namespace {

TEST(LifecycleTest, AssignmentMustBeAcknowledgedBeforeRectifying) {
  EXPECT_TRUE(CheckTransition(IssueState::kRegistered, IssueAction::kAssign).ok());
  EXPECT_EQ(NextState(IssueState::kRegistered, IssueAction::kAssign), IssueState::kAssigned);
  EXPECT_TRUE(CheckTransition(IssueState::kAssigned, IssueAction::kAcknowledge).ok());
  EXPECT_EQ(NextState(IssueState::kAssigned, IssueAction::kAcknowledge), IssueState::kRectifying);
  EXPECT_FALSE(CheckTransition(IssueState::kAssigned, IssueAction::kReportProgress).ok());
  EXPECT_TRUE(CheckTransition(IssueState::kRectifying, IssueAction::kReportProgress).ok());
}

TEST(LifecycleTest, InvalidTransitionsNameTheCurrentState) {
  auto s = CheckTransition(IssueState::kRectifying, IssueAction::kAssign);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(s), "INVALID_STATE");
  EXPECT_NE(s.message().find("RECTIFYING"), absl::string_view::npos) << s;
}

TEST(LifecycleTest, EveryActionIsRefusedOnAClosedIssue) {
  for (auto action : {IssueAction::kUpdate, IssueAction::kAssign, IssueAction::kAcknowledge,
                      IssueAction::kReportProgress}) {
    EXPECT_FALSE(CheckTransition(IssueState::kClosed, action).ok()) << ActionName(action);
  }
}

TEST(FilterTest, ParsesAConjunctionIntoATypedQuery) {
  auto q = ParseIssueFilter(
      R"(state = RECTIFYING AND region = "230100" AND category = WATER AND source = COMPLAINT )"
      R"(AND class = LONG_TERM AND lead_org = hlj-water AND rectifying_org = "gov-230102" AND )"
      R"(priority = KEY AND overdue = true AND deadline >= "2023-01-01" AND )"
      R"(deadline < "2024-01-01" AND inspection = 3 AND title : "污水")");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(*q->state, IssueState::kRectifying);
  EXPECT_FALSE(q->state_negated);
  EXPECT_EQ(*q->region_prefix, "2301");
  EXPECT_EQ(*q->category, Category::kWater);
  EXPECT_EQ(*q->source, IssueSource::kComplaint);
  EXPECT_EQ(*q->rectification_class, RectificationClass::kLongTerm);
  EXPECT_EQ(*q->lead_org, "hlj-water");
  EXPECT_EQ(*q->rectifying_org, "gov-230102");
  EXPECT_EQ(*q->priority, Priority::kKey);
  EXPECT_TRUE(*q->overdue);
  ASSERT_EQ(q->deadline.size(), 2u);
  EXPECT_EQ(q->deadline[0].op, Comparison::kGe);
  EXPECT_EQ(q->deadline[1].date, "2024-01-01");
  EXPECT_EQ(*q->inspection_id, 3);
  EXPECT_EQ(*q->title_contains, "污水");
}

TEST(FilterTest, EmptyFilterMatchesEverything) {
  auto q = ParseIssueFilter("  ");
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->state.has_value());
}

TEST(FilterTest, RegionFilterCoversTheSubtree) {
  EXPECT_EQ(*ParseIssueFilter(R"(region = "230000")")->region_prefix, "23");
  EXPECT_EQ(*ParseIssueFilter(R"(region = "230102")")->region_prefix, "230102");
}

TEST(FilterTest, BadFiltersAreInvalidArgumentsOnTheFilterField) {
  for (const char* bad :
       {"state = SLEEPING", "state", "state =", "= RECTIFYING", "colour = red",
        "state = RECTIFYING OR state = CLOSED", "deadline < tomorrow", "title = x", "region = 23",
        "overdue = maybe", "inspection = -1", "title : \"unterminated",
        "state = CLOSED AND state = RECTIFYING", "deadline : \"2023-01-01\"",
        "state = RECTIFYING; DROP TABLE issues", "category < WATER", "a ! b"}) {
    auto q = ParseIssueFilter(bad);
    ASSERT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    ASSERT_EQ(FieldViolations(q.status()).size(), 1u) << bad;
    EXPECT_EQ(FieldViolations(q.status())[0].field, "filter") << bad;
  }
  EXPECT_FALSE(ParseIssueFilter(std::string(3000, 'a')).ok());
}

TEST(OrderTest, ParsesKeysAndDirection) {
  EXPECT_EQ(ParseIssueOrder("")->key, IssueOrder::Key::kCreateTime);
  auto o = ParseIssueOrder("deadline desc");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->key, IssueOrder::Key::kDeadline);
  EXPECT_TRUE(o->descending);
  EXPECT_EQ(ParseIssueOrder("update_time")->key, IssueOrder::Key::kUpdateTime);
  EXPECT_FALSE(ParseIssueOrder("title").ok());
  EXPECT_FALSE(ParseIssueOrder("deadline sideways").ok());
  EXPECT_FALSE(ParseIssueOrder("deadline desc id").ok());
}

Issue CountyIssue() {
  Issue i;
  i.id = 9;
  i.region_code = "230102";
  i.state = IssueState::kRectifying;
  i.lead_org_id = "hlj-water";
  i.responsible_org_ids = {"gov-230102"};
  i.acceptance_org_id = "hlj-deee";
  i.joint_reviewer_org_ids = {"hlj-housing"};
  i.complaint = Complaint{"batch 3", "13900000000", ComplaintFinding::kUnspecified, "", ""};
  return i;
}

Principal P(Role role, std::string org, std::string region = "") {
  return Principal{"someone", std::move(org), role, std::move(region)};
}

TEST(AccessTest, ScopeFollowsRoleAndRegionSubtree) {
  Issue issue = CountyIssue();
  EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kOffice, "hlj-office", "230000"), issue));
  EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kSupervisor, "hlj-office"), issue));
  EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kCity, "gov-230100", "230100"), issue));
  EXPECT_FALSE(AccessPolicy::CanSee(P(Role::kCity, "gov-230200", "230200"), issue));
  EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kCounty, "gov-230102", "230102"), issue));
  EXPECT_FALSE(AccessPolicy::CanSee(P(Role::kCounty, "gov-230103", "230103"), issue));
  for (const char* dept : {"hlj-water", "hlj-deee", "hlj-housing"}) {
    EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kDepartment, dept), issue)) << dept;
  }
  EXPECT_FALSE(AccessPolicy::CanSee(P(Role::kDepartment, "hlj-forest"), issue));
  EXPECT_FALSE(AccessPolicy::CanSee(P(Role::kPublic, ""), issue));
  issue.state = IssueState::kPublicNotice;
  EXPECT_TRUE(AccessPolicy::CanSee(P(Role::kPublic, ""), issue));
}

TEST(AccessTest, AScopedCallerCannotTellMissingFromForbidden) {
  EXPECT_EQ(AccessPolicy::Invisible(P(Role::kOffice, "hlj-office"), 5).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(AccessPolicy::Invisible(P(Role::kCity, "gov-230100", "230100"), 5).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessTest, OnlyTheOfficeSeesTheComplainantsContact) {
  Issue issue = CountyIssue();
  AccessPolicy::Redact(P(Role::kOffice, "hlj-office"), issue);
  EXPECT_EQ(issue.complaint->complainant_contact, "13900000000");
  for (Role r : {Role::kDepartment, Role::kCity, Role::kSupervisor, Role::kDiscipline,
                 Role::kPublic, Role::kService}) {
    Issue copy = CountyIssue();
    AccessPolicy::Redact(P(r, "x", "230100"), copy);
    EXPECT_EQ(copy.complaint->complainant_contact, "") << RoleName(r);
  }
}

TEST(AccessTest, TheLeadOrgMayChangeOnlyThePlan) {
  Issue issue = CountyIssue();
  auto lead = P(Role::kDepartment, "hlj-water");
  EXPECT_TRUE(AccessPolicy::CheckUpdate(lead, issue, /*plan_fields_only=*/true).ok());
  EXPECT_EQ(AccessPolicy::CheckUpdate(lead, issue, false).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AccessPolicy::CheckUpdate(P(Role::kDepartment, "hlj-deee"), issue, true).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CodecTest, AnIssueSurvivesTheRoundTripAndEventsOmitPersonalData) {
  Issue issue = CountyIssue();
  issue.title = "某河段黑臭水体";
  issue.targets = {{"COD", "mg/L", 50, 30, 35.5}, {"氨氮", "mg/L", 8, 1.5, std::nullopt}};
  issue.measures = {{"m1", "截污纳管", "2023-05-01", true, "2023-04-20"}};
  issue.assign_time = absl::FromUnixMicros(1680000000123456);
  auto back = IssueFromJson(Dump(ToJson(issue)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->title, issue.title);
  EXPECT_EQ(back->targets, issue.targets);
  EXPECT_EQ(back->measures, issue.measures);
  EXPECT_EQ(*back->complaint, *issue.complaint);
  EXPECT_EQ(*back->assign_time, *issue.assign_time);
  EXPECT_EQ(back->responsible_org_ids, issue.responsible_org_ids);
  std::string event = Dump(ToJson(issue, Personal::kOmit));
  EXPECT_EQ(event.find("13900000000"), std::string::npos);
  EXPECT_EQ(IssueFromJson("not json").status().code(), absl::StatusCode::kInternal);
}

// Found by fuzzing (tests/fuzz/stored_json_fuzz.cc): a number with an exponent where an integer
// is stored (1e300) was converted with undefined behaviour. The codec writes integers there, so
// anything else is a corrupt record, as a member of another type is.
TEST(CodecTest, OnlyIntegersAreReadWhereIntegersAreStored) {
  auto corrupt = [](const absl::Status& s) {
    return s.code() == absl::StatusCode::kInternal && ErrorReason(s) == "CORRUPT_RECORD";
  };
  EXPECT_TRUE(corrupt(IssueFromJson(R"({"id":1e300})").status()));
  EXPECT_TRUE(corrupt(IssueFromJson(R"({"id":17,"progress_percent":3e9})").status()));
  EXPECT_TRUE(corrupt(IssueFromJson(R"({"id":17,"progress_percent":4294967296})").status()));
  EXPECT_TRUE(corrupt(IssueFromJson(R"({"id":17,"create_time":9.3e18})").status()));
  EXPECT_TRUE(corrupt(IssueFromJson(R"({"id":17,"version":true})").status()));
  EXPECT_TRUE(corrupt(ProgressReportFromJson(R"({"id":-1e300})").status()));
  EXPECT_TRUE(corrupt(ObjectionFromJson(R"({"id":2,"evidence_ids":[1,2.5]})").status()));
  EXPECT_TRUE(corrupt(EvidenceFromJson(R"({"id":9,"size_bytes":1.5e19})").status()));
  auto fine = IssueFromJson(R"({"id":17,"progress_percent":40,"version":-3,"create_time":0})");
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_EQ(fine->progress_percent, 40);
  EXPECT_EQ(fine->version, -3);
  // Targets are numbers with fractions, and stay so.
  auto targets =
      IssueFromJson(R"({"id":17,"targets":[{"baseline":1e300,"target":2,"actual":0.5}]})");
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_EQ(targets->targets[0].baseline, 1e300);
}

}  // namespace
}  // namespace rectify::issues

namespace rectify::issues {
namespace {

TEST(LedgerExportTest, CellsASpreadsheetWouldTakeForFormulasAreNeutralised) {
  Issue issue;
  issue.id = 12;
  issue.title = "=HYPERLINK(\"http://example.invalid\",\"点此\")";
  issue.site = "+1+2";
  issue.responsible_official = "@SUM(A1)";
  issue.lead_org_id = "\tgov-230102";
  auto row = LedgerRow(issue, false);
  const auto& columns = LedgerColumns();
  auto cell = [&](const std::string& header) {
    return row[std::find(columns.begin(), columns.end(), header) - columns.begin()];
  };
  EXPECT_EQ(cell("问题"), "'=HYPERLINK(\"http://example.invalid\",\"点此\")");
  EXPECT_EQ(cell("地点"), "'+1+2");
  EXPECT_EQ(cell("责任人"), "'@SUM(A1)");
  EXPECT_EQ(cell("牵头单位"), "'\tgov-230102");
  EXPECT_EQ(cell("编号"), "12");
  EXPECT_EQ(NeutraliseFormula("\r1"), "'\r1");
  EXPECT_EQ(NeutraliseFormula("黑臭水体"), "黑臭水体");
  EXPECT_EQ(NeutraliseFormula(""), "");
}

TEST(AccessPolicyTest, ThePublicDoesNotSeeWhoTheResponsibleOfficialIs) {
  Issue issue;
  issue.responsible_official = "张三（副市长）";
  Issue for_public = issue;
  AccessPolicy::Redact(Principal{"anyone", "", Role::kPublic, ""}, for_public);
  EXPECT_EQ(for_public.responsible_official, "");
  Issue for_city = issue;
  AccessPolicy::Redact(Principal{"clerk", "gov-230100", Role::kCity, "230100"}, for_city);
  EXPECT_EQ(for_city.responsible_official, "张三（副市长）");
}

}  // namespace
}  // namespace rectify::issues
