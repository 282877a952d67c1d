#include "common/service_caller.h"

#include "common/grpc_status.h"
#include "grpcpp/create_channel.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

namespace rectify {

static_assert(static_cast<int>(RegionLevel::kProvince) == v1::Region::PROVINCE &&
              static_cast<int>(RegionLevel::kCity) == v1::Region::CITY &&
              static_cast<int>(RegionLevel::kCounty) == v1::Region::COUNTY);

ServiceCaller::ServiceCaller(const std::string& address, JwtSettings jwt, Principal self)
    : channel_(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                         [] {
                                           // Reconnect soon after the other service comes back
                                           // rather than after gRPC's default backoff of up to two
                                           // minutes.
                                           grpc::ChannelArguments args;
                                           args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
                                           args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
                                           args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
                                           return args;
                                         }())),
      jwt_(std::move(jwt)),
      self_(std::move(self)) {}

std::unique_ptr<grpc::ClientContext> ServiceCaller::Context(absl::Time deadline) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(deadline));
  Authorize(ctx.get());
  return ctx;
}

void ServiceCaller::Authorize(grpc::ClientContext* ctx) const {
  // A stream's token is checked when it opens: a short life is enough.
  ctx->AddMetadata("authorization",
                   "Bearer " + MintToken(jwt_, self_, absl::Now(), absl::Minutes(5)));
}

absl::StatusOr<std::vector<RegistryRegion>> LoadRegistryRegions(const ServiceCaller& registry,
                                                                absl::Time deadline) {
  auto stub = v1::IssueRegistry::NewStub(registry.channel());
  auto ctx = registry.Context(deadline);
  // The registry may be starting at the same time: wait for it rather than fail at once.
  ctx->set_wait_for_ready(true);
  v1::ListRegionsRequest req;
  v1::ListRegionsResponse resp;
  grpc::Status status = stub->ListRegions(ctx.get(), req, &resp);
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<RegistryRegion> out;
  for (const auto& r : resp.regions()) {
    out.push_back({r.code(), r.name(), static_cast<RegionLevel>(r.level()), r.parent_code()});
  }
  return out;
}

std::vector<std::pair<std::string, RegionLevel>> RegionCodesOf(
    const std::vector<RegistryRegion>& regions) {
  std::vector<std::pair<std::string, RegionLevel>> codes;
  for (const auto& r : regions) codes.emplace_back(r.code, r.level);
  return codes;
}

}  // namespace rectify
