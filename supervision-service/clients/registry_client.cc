#include "supervision-service/clients/registry_client.h"

#include "common/grpc_status.h"
#include "common/proto_types.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"

namespace rectify::supervision {

static_assert(static_cast<int>(OrgKind::kOffice) == v1::Org::OFFICE &&
              static_cast<int>(OrgKind::kDepartment) == v1::Org::DEPARTMENT &&
              static_cast<int>(OrgKind::kGovernment) == v1::Org::GOVERNMENT &&
              static_cast<int>(OrgKind::kDiscipline) == v1::Org::DISCIPLINE &&
              static_cast<int>(OrgKind::kTeam) == v1::Org::INSPECTION_TEAM);

RegistryClient::RegistryClient(const std::string& address, JwtSettings jwt)
    : registry_(address, std::move(jwt),
                Principal{"supervision-service", "supervision-service", Role::kService, ""}),
      stub_(v1::IssueRegistry::NewStub(registry_.channel())) {}

absl::Status RegistryClient::LoadReference(Reference& reference, absl::Time deadline) {
  ASSIGN_OR_RETURN(regions_, LoadRegistryRegions(registry_, deadline));
  std::vector<Division> divisions;
  for (const auto& r : regions_) divisions.push_back({r.code, r.name, r.level, r.parent_code});
  auto ctx = registry_.Context(deadline);
  ctx->set_wait_for_ready(true);
  v1::ListOrgsRequest req;
  v1::ListOrgsResponse resp;
  grpc::Status status = stub_->ListOrgs(ctx.get(), req, &resp);
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<OrgEntry> orgs;
  for (const auto& o : resp.orgs()) {
    orgs.push_back({o.id(), o.name(), static_cast<OrgKind>(o.kind()), o.region_code()});
  }
  reference.Replace(std::move(divisions), std::move(orgs));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, RegionLevel>>> RegistryClient::RegionCodes(
    absl::Time deadline) {
  if (regions_.empty()) {
    ASSIGN_OR_RETURN(regions_, LoadRegistryRegions(registry_, deadline));
  }
  return RegionCodesOf(regions_);
}

std::unique_ptr<grpc::ClientReaderInterface<v1::Event>> RegistryClient::OpenEvents(
    grpc::ClientContext* ctx, const v1::WatchEventsRequest& req) {
  registry_.Authorize(ctx);
  return stub_->WatchEvents(ctx, req);
}

IssueEvent IssueEventOf(const v1::Event& event) {
  IssueEvent e;
  e.cursor = event.cursor();
  e.type = event.type();
  e.time = FromProtoTime(event.create_time());
  e.actor_org = event.actor_org();
  e.issue = IssueFromEventPayload(event.payload_json());
  return e;
}

}  // namespace rectify::supervision
