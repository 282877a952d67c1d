#include "accountability-service/clients/issue_registry_client.h"

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "grpcpp/create_channel.h"

namespace rectify::accountability {
namespace {
constexpr absl::Duration kLookupTimeout = absl::Seconds(5);
}  // namespace

IssueRegistryClient::IssueRegistryClient(const std::string& address, JwtSettings jwt,
                                         std::string subject)
    : stub_(v1::IssueRegistry::NewStub(
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                    [] {
                                      // Reconnect soon after the registry comes back rather than
                                      // after gRPC's default backoff of up to two minutes.
                                      grpc::ChannelArguments args;
                                      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
                                      args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
                                      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
                                      return args;
                                    }()))),
      jwt_(std::move(jwt)),
      self_{std::move(subject), "accountability-service", Role::kService, ""} {}

std::unique_ptr<grpc::ClientContext> IssueRegistryClient::Context(absl::Time deadline) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(deadline));
  // A short-lived token per call: nothing long-lived to leak.
  ctx->AddMetadata("authorization",
                   "Bearer " + MintToken(jwt_, self_, absl::Now(), absl::Minutes(5)));
  return ctx;
}

absl::StatusOr<IssueRef> IssueRegistryClient::Lookup(int64_t issue_id, absl::Time deadline) {
  v1::GetIssueRequest req;
  req.set_id(issue_id);
  v1::Issue issue;
  // A worker waits for the answer: a registry that hangs may hold it for a few seconds at most,
  // not for the whole of the caller's deadline.
  grpc::Status s =
      stub_->GetIssue(Context(std::min(deadline, absl::Now() + kLookupTimeout)).get(), req, &issue);
  if (!s.ok()) return FromGrpcStatus(s);
  return IssueRef{issue.id(), issue.region_code()};
}

absl::Status IssueRegistryClient::Reopen(int64_t issue_id, int64_t case_id,
                                         const std::string& explanation, absl::Time deadline) {
  v1::ReopenIssueRequest req;
  req.set_id(issue_id);
  req.set_reason(v1::Reopening::ACCOUNTABILITY_FINDING);
  req.set_explanation(explanation);
  req.set_cause(absl::StrCat("cases/", case_id));
  // The same key on every attempt: a retry after a lost answer is answered, not repeated.
  req.set_request_id(absl::StrCat("reopen-case-", case_id, "-issue-", issue_id));
  v1::Issue out;
  auto ctx = Context(deadline);
  // A delivery may wait for the registry to (re)connect, up to its deadline.
  ctx->set_wait_for_ready(true);
  return FromGrpcStatus(stub_->ReopenIssue(ctx.get(), req, &out));
}

}  // namespace rectify::accountability

namespace rectify::accountability {

static_assert(static_cast<int>(RegionLevel::kProvince) == v1::Region::PROVINCE &&
              static_cast<int>(RegionLevel::kCity) == v1::Region::CITY &&
              static_cast<int>(RegionLevel::kCounty) == v1::Region::COUNTY);

absl::StatusOr<std::vector<std::pair<std::string, RegionLevel>>> IssueRegistryClient::RegionCodes(
    absl::Time deadline) {
  auto ctx = Context(deadline);
  // The registry may be starting at the same time: wait for it rather than fail at once.
  ctx->set_wait_for_ready(true);
  v1::ListRegionsRequest req;
  v1::ListRegionsResponse resp;
  grpc::Status status = stub_->ListRegions(ctx.get(), req, &resp);
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<std::pair<std::string, RegionLevel>> codes;
  for (const auto& r : resp.regions()) {
    codes.emplace_back(r.code(), static_cast<RegionLevel>(r.level()));
  }
  return codes;
}

}  // namespace rectify::accountability
