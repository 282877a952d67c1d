#include "common/status.h"

#include "common/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

TEST(GrpcStatusTest, EveryCodeSurvivesTheRoundTripWithItsReason) {
  for (int c = 1; c <= 16; ++c) {
    auto code = static_cast<absl::StatusCode>(c);
    absl::Status original = MakeError(code, "SOME_REASON", "what happened");
    grpc::Status wire = ToGrpcStatus(original);
    EXPECT_EQ(static_cast<int>(wire.error_code()), c);
    EXPECT_EQ(wire.error_message(), "what happened");

    google::rpc::Status rpc;
    ASSERT_TRUE(rpc.ParseFromString(wire.error_details())) << c;
    EXPECT_EQ(rpc.code(), c);
    google::rpc::ErrorInfo info;
    ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
    EXPECT_EQ(info.reason(), "SOME_REASON");
    EXPECT_EQ(info.domain(), "rectify");

    absl::Status back = FromGrpcStatus(wire);
    EXPECT_EQ(back.code(), code);
    EXPECT_EQ(back.message(), "what happened");
    EXPECT_EQ(ErrorReason(back), "SOME_REASON");
  }
}

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, PlainStatusGetsItsCodeNameAsReason) {
  grpc::Status wire = ToGrpcStatus(absl::NotFoundError("gone"));
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(wire.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "NOT_FOUND");
}

TEST(GrpcStatusTest, FieldViolationsTravelAsBadRequest) {
  Violations v;
  v.Add("issue.title", "is required");
  v.Add("issue.region_code", "unknown region \"999999\"");
  grpc::Status wire = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(wire.error_details()));
  google::rpc::BadRequest bad;
  ASSERT_EQ(rpc.details_size(), 2);
  ASSERT_TRUE(rpc.details(1).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "issue.title");
  EXPECT_EQ(bad.field_violations(1).description(), "unknown region \"999999\"");

  auto back = FieldViolations(FromGrpcStatus(wire));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].field, "issue.region_code");
}

TEST(GrpcStatusTest, ErrorDetailsThatAreNotAStatusAreIgnored) {
  grpc::Status wire(grpc::StatusCode::UNAVAILABLE, "down", "not a proto \xff");
  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReason(back), "");
}

absl::StatusOr<int> Half(int n) {
  if (n % 2) return InvalidField("n", "must be even");
  return n / 2;
}

absl::Status UseMacros(int n, int* out) {
  ASSIGN_OR_RETURN(int half, Half(n));
  RETURN_IF_ERROR(half > 10 ? absl::OutOfRangeError("too big") : absl::OkStatus());
  *out = half;
  return absl::OkStatus();
}

TEST(StatusMacrosTest, PropagateErrorsAndAssignValues) {
  int out = 0;
  EXPECT_TRUE(UseMacros(8, &out).ok());
  EXPECT_EQ(out, 4);
  EXPECT_EQ(UseMacros(7, &out).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UseMacros(40, &out).code(), absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace rectify
