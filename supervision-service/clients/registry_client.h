// Supervision's view of the issue registry, over gRPC with a `service` token: its reference
// data (divisions and orgs, loaded at start) and its event stream (consumed exactly once).
#pragma once

#include <memory>
#include <string>

#include "common/service_caller.h"
#include "grpcpp/support/sync_stream.h"
#include "rectify/v1/issue_registry.grpc.pb.h"
#include "supervision-service/domain/record_keeper.h"
#include "supervision-service/domain/reference.h"

namespace rectify::supervision {

class RegistryClient {
 public:
  RegistryClient(const std::string& address, JwtSettings jwt);

  // Fills `reference` with the registry's divisions and orgs, waiting for the registry.
  absl::Status LoadReference(Reference& reference, absl::Time deadline);
  // The registry's divisions with their levels (for checking tokens' regions).
  absl::StatusOr<std::vector<std::pair<std::string, RegionLevel>>> RegionCodes(absl::Time deadline);
  // Opens WatchEvents with this service's token (for common's EventConsumer).
  std::unique_ptr<grpc::ClientReaderInterface<v1::Event>> OpenEvents(
      grpc::ClientContext* ctx, const v1::WatchEventsRequest& req);

 private:
  ServiceCaller registry_;
  std::unique_ptr<v1::IssueRegistry::Stub> stub_;
  std::vector<RegistryRegion> regions_;
};

// One of the registry's events as supervision reads it.
IssueEvent IssueEventOf(const v1::Event& event);

}  // namespace rectify::supervision
