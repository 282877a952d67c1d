// The one place where absl::Status and grpc::Status meet. Errors leave a service as
// google.rpc.Status (code, message, ErrorInfo with domain "rectify", BadRequest field
// violations) in the grpc-status-details-bin trailer, and come back the same way.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace rectify {

inline constexpr char kErrorDomain[] = "rectify";

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace rectify
