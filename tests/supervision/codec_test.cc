// Supervision's JSON codecs: the stored bodies as they are read back, and the registry's event
// payloads as supervision reads them.
#include "supervision-service/domain/codec.h"

#include "common/status.h"
#include "gtest/gtest.h"

namespace rectify::supervision {
namespace {

bool Corrupt(const absl::Status& s) {
  return s.code() == absl::StatusCode::kInternal && ErrorReason(s) == "CORRUPT_RECORD";
}

TEST(CodecTest, WhatIsWrittenReadsBack) {
  Escalation e;
  e.id = 11;
  e.issue_id = 17;
  e.level = Level::kInterview;
  e.state = EscalationState::kResponded;
  e.cause = Cause::kRepeatedNotices;
  e.response = EscalationResponse{ResponseKind::kCommitment, "限期完成", "gov-230102", "li",
                                  absl::FromUnixMicros(1717200000000001)};
  auto back = EscalationFromJson(Dump(ToJson(e)));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ToJson(*back), ToJson(e));
}

// Found by fuzzing (tests/fuzz/stored_json_fuzz.cc): a member of another type than the codec
// writes (an escalation's "response" object read as a linkage request's "response" text) threw
// nlohmann::json::type_error out of every FromJson here, and a number with an exponent where an
// integer is stored (1e300) was converted with undefined behaviour.
TEST(CodecTest, AMemberOfAnotherTypeIsACorruptRecordNotAnException) {
  const std::string escalation =
      R"({"id":11,"issue_id":17,"response":{"kind":"COMMITMENT","text":"限期完成"}})";
  EXPECT_TRUE(Corrupt(LinkageFromJson(escalation).status()));
  EXPECT_TRUE(Corrupt(RecordFromJson(R"({"issue":{"id":17,"title":5}})").status()));
  EXPECT_TRUE(Corrupt(EscalationFromJson(R"({"id":"11"})").status()));
  EXPECT_TRUE(Corrupt(ObligationFromJson(R"({"id":21,"met_by":[]})").status()));
  EXPECT_TRUE(Corrupt(DirectiveFromJson(R"({"id":1,"text":null})").status()));
  EXPECT_TRUE(Corrupt(MeetingFromJson(R"({"id":2,"attendee_org_ids":"hlj-office"})").status()));
  EXPECT_TRUE(Corrupt(PolicyFromJson(R"({"version":3,"sign_off_hours":"3"})").status()));
  EXPECT_TRUE(Corrupt(MeetingFromJson("[1,2]").status()));
}

TEST(CodecTest, OnlyIntegersAreReadWhereIntegersAreStored) {
  EXPECT_TRUE(Corrupt(EscalationFromJson(R"({"id":1e300})").status()));
  EXPECT_TRUE(Corrupt(RecordFromJson(R"({"issue":{"id":17},"notices":2.5e10})").status()));
  EXPECT_TRUE(Corrupt(ObligationFromJson(R"({"id":21,"due_time":-9.3e18})").status()));
  EXPECT_TRUE(Corrupt(PolicyFromJson(R"({"version":3,"sign_off_hours":1e300})").status()));
  auto policy = PolicyFromJson(R"({"version":3,"sign_off_hours":4})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->sign_off_hours, 4);
  EXPECT_EQ(policy->plan_report_working_days, EscalationPolicy{}.plan_report_working_days);
}

// Found by fuzzing too: the same throw out of the reading of an event's payload, which runs on the
// consumer's thread. A payload this code cannot read carries no issue it can use.
TEST(CodecTest, AnEventPayloadOfAnotherShapeCarriesNoIssue) {
  auto facts = IssueFromEventPayload(
      R"({"id":18,"state":"RECTIFYING","title":"异味扰民","source":"COMPLAINT","priority":"KEY"})");
  ASSERT_TRUE(facts.has_value());
  EXPECT_EQ(facts->state, IssueState::kRectifying);
  EXPECT_TRUE(facts->complaint);
  EXPECT_TRUE(facts->key);
  EXPECT_FALSE(IssueFromEventPayload(R"({"id":18,"state":"RECTIFYING","title":5})").has_value());
  EXPECT_FALSE(IssueFromEventPayload(R"({"id":1e300,"state":"RECTIFYING"})").has_value());
  EXPECT_FALSE(IssueFromEventPayload(R"({"id":18,"state":"RECTIFYING","progress_percent":"40"})")
                   .has_value());
}

}  // namespace
}  // namespace rectify::supervision
