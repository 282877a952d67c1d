#include "common/grpc_status.h"

#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace rectify {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  google::rpc::ErrorInfo info;
  std::string reason = ErrorReason(status);
  if (reason.empty()) reason = absl::StatusCodeToString(status.code());
  for (char& c : reason) {
    if (c == ' ') c = '_';
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  info.set_reason(reason);
  info.set_domain(kErrorDomain);
  rpc.add_details()->PackFrom(info);
  auto violations = FieldViolations(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad;
    for (const auto& v : violations) {
      auto* fv = bad.add_field_violations();
      fv->set_field(v.field);
      fv->set_description(v.description);
    }
    rpc.add_details()->PackFrom(bad);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      rpc.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  auto code = static_cast<absl::StatusCode>(status.error_code());
  google::rpc::Status rpc;
  if (status.error_details().empty() || !rpc.ParseFromString(status.error_details())) {
    return absl::Status(code, status.error_message());
  }
  std::string reason;
  std::vector<FieldViolation> violations;
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&info)) {
      reason = info.reason();
    } else if (any.UnpackTo(&bad)) {
      for (const auto& fv : bad.field_violations()) {
        violations.push_back({fv.field(), fv.description()});
      }
    }
  }
  absl::Status out =
      violations.empty() ? absl::Status(code, status.error_message()) : InvalidFields(violations);
  if (!violations.empty() && code != absl::StatusCode::kInvalidArgument) {
    out = absl::Status(code, status.error_message());
  }
  if (!reason.empty()) {
    absl::Status with_reason = MakeError(code, reason, status.error_message());
    out.ForEachPayload([&](absl::string_view key, const absl::Cord& value) {
      if (key != "rectify/reason") with_reason.SetPayload(key, value);
    });
    return with_reason;
  }
  return out;
}

}  // namespace rectify
