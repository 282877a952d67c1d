// The accountability service's view of the issue registry, over gRPC with a `service` token:
// looking issues up when a case links them, and reopening them after a finding.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "accountability-service/domain/case_docket.h"
#include "accountability-service/domain/reopen_dispatcher.h"
#include "common/auth.h"
#include "common/region.h"
#include "common/service_caller.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

namespace rectify::accountability {

class IssueRegistryClient final : public IssueDirectory, public IssueReopener {
 public:
  // `jwt` signs the service's own tokens (subject `service`, org `org`).
  IssueRegistryClient(const std::string& address, JwtSettings jwt, std::string subject);

  absl::StatusOr<IssueRef> Lookup(int64_t issue_id, absl::Time deadline) override;
  absl::Status Reopen(int64_t issue_id, int64_t case_id, const std::string& explanation,
                      absl::Time deadline) override;
  // The registry's divisions with their levels (for checking tokens' regions).
  absl::StatusOr<std::vector<std::pair<std::string, RegionLevel>>> RegionCodes(absl::Time deadline);

 private:
  ServiceCaller registry_;
  std::unique_ptr<v1::IssueRegistry::Stub> stub_;
};

}  // namespace rectify::accountability
