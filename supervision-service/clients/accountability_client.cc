#include "supervision-service/clients/accountability_client.h"

#include "common/grpc_status.h"

namespace rectify::supervision {

AccountabilityClient::AccountabilityClient(const std::string& address, JwtSettings jwt)
    : accountability_(address, std::move(jwt),
                      Principal{"supervision-service", "supervision-service", Role::kService, ""}),
      stub_(v1::Accountability::NewStub(accountability_.channel())) {}

absl::StatusOr<int64_t> AccountabilityClient::OpenCase(const CaseRequest& request,
                                                       absl::Time deadline) {
  v1::OpenCaseRequest req;
  auto* c = req.mutable_case_();
  c->set_source(v1::Case::TRANSFER);
  c->set_transfer_id(request.transfer_id);
  c->add_issue_ids(request.issue_id);
  // Still overdue long after listing: rectification not done as required (整改不到位); the
  // investigation finds the rest.
  c->add_failure_types(v1::Case::INADEQUATE);
  auto* subject = c->add_subjects();
  subject->set_kind(v1::Subject::ORG);
  subject->set_org_id(request.subject_org_id);
  c->set_summary(request.summary);
  // The same key on every attempt: a retry after a lost answer gets the same case.
  req.set_request_id(request.transfer_id);
  auto ctx = accountability_.Context(deadline);
  // A delivery may wait for accountability to (re)connect, up to its deadline.
  ctx->set_wait_for_ready(true);
  v1::Case opened;
  grpc::Status status = stub_->OpenCase(ctx.get(), req, &opened);
  if (!status.ok()) return FromGrpcStatus(status);
  return opened.id();
}

}  // namespace rectify::supervision
