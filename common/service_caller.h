// How one service of the suite calls another: a channel that reconnects soon after the other
// side comes back, and for each call a short-lived token of its own (role `service`), so that
// nothing long-lived can leak.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/region.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace rectify {

class ServiceCaller {
 public:
  // `jwt` signs the tokens; `self` is this service as a principal (role service).
  ServiceCaller(const std::string& address, JwtSettings jwt, Principal self);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // A call's context: its deadline and this service's token.
  std::unique_ptr<grpc::ClientContext> Context(absl::Time deadline) const;
  // Adds this service's token to a context made elsewhere (e.g. for a stream).
  void Authorize(grpc::ClientContext* ctx) const;
  const Principal& self() const { return self_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  JwtSettings jwt_;
  Principal self_;
};

// A division of the province as the issue registry's reference data has it.
struct RegistryRegion {
  std::string code;
  std::string name;
  RegionLevel level = RegionLevel::kUnspecified;
  std::string parent_code;
};

// The registry's divisions (ListRegions), waiting for the registry while it starts.
absl::StatusOr<std::vector<RegistryRegion>> LoadRegistryRegions(const ServiceCaller& registry,
                                                                absl::Time deadline);
// The same, as the codes and levels tokens are checked against (RegionDirectory).
std::vector<std::pair<std::string, RegionLevel>> RegionCodesOf(
    const std::vector<RegistryRegion>& regions);

}  // namespace rectify
