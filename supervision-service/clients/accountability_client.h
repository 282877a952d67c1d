// Supervision's view of accountability-service: opening the case a transfer owes, with the
// escalation as the case's transfer_id (so that a repeat is the same case).
#pragma once

#include <memory>
#include <string>

#include "common/service_caller.h"
#include "rectify/v1/accountability.grpc.pb.h"
#include "supervision-service/domain/transfers.h"

namespace rectify::supervision {

class AccountabilityClient final : public CaseOpener {
 public:
  AccountabilityClient(const std::string& address, JwtSettings jwt);

  absl::StatusOr<int64_t> OpenCase(const CaseRequest& request, absl::Time deadline) override;

 private:
  ServiceCaller accountability_;
  std::unique_ptr<v1::Accountability::Stub> stub_;
};

}  // namespace rectify::supervision
