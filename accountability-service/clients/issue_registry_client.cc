#include "accountability-service/clients/issue_registry_client.h"

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "common/status.h"

namespace rectify::accountability {
namespace {
constexpr absl::Duration kLookupTimeout = absl::Seconds(5);
}  // namespace

IssueRegistryClient::IssueRegistryClient(const std::string& address, JwtSettings jwt,
                                         std::string subject)
    : registry_(address, std::move(jwt),
                Principal{std::move(subject), "accountability-service", Role::kService, ""}),
      stub_(v1::IssueRegistry::NewStub(registry_.channel())) {}

absl::StatusOr<IssueRef> IssueRegistryClient::Lookup(int64_t issue_id, absl::Time deadline) {
  v1::GetIssueRequest req;
  req.set_id(issue_id);
  v1::Issue issue;
  // A worker waits for the answer: a registry that hangs may hold it for a few seconds at most,
  // not for the whole of the caller's deadline.
  grpc::Status s = stub_->GetIssue(
      registry_.Context(std::min(deadline, absl::Now() + kLookupTimeout)).get(), req, &issue);
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
  auto ctx = registry_.Context(deadline);
  // A delivery may wait for the registry to (re)connect, up to its deadline.
  ctx->set_wait_for_ready(true);
  return FromGrpcStatus(stub_->ReopenIssue(ctx.get(), req, &out));
}

}  // namespace rectify::accountability

namespace rectify::accountability {

absl::StatusOr<std::vector<std::pair<std::string, RegionLevel>>> IssueRegistryClient::RegionCodes(
    absl::Time deadline) {
  ASSIGN_OR_RETURN(auto regions, LoadRegistryRegions(registry_, deadline));
  return RegionCodesOf(regions);
}

}  // namespace rectify::accountability
