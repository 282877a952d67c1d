#include "issue-service/api/issue_registry_service.h"

#include "common/event_proto.h"
#include "common/status.h"
#include "issue-service/api/convert.h"

namespace rectify::issues {

void IssueRegistryService::Render(const CallContext& call, const Issue& issue,
                                  v1::Issue* out) const {
  ToProto(issue, ledger_.IsOverdue(issue, call.now), out);
}

grpc::Status IssueRegistryService::ListRegions(grpc::ServerContext* ctx,
                                               const v1::ListRegionsRequest* req,
                                               v1::ListRegionsResponse* resp) {
  return rpc_.Unary(ctx, "ListRegions", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto regions, ledger_.ListRegions(call, req->under_code()));
    for (const auto& r : regions) ToProto(r, resp->add_regions());
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListOrgs(grpc::ServerContext* ctx,
                                            const v1::ListOrgsRequest* req,
                                            v1::ListOrgsResponse* resp) {
  return rpc_.Unary(ctx, "ListOrgs", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto orgs,
                     ledger_.ListOrgs(call, static_cast<OrgKind>(req->kind()), req->region_code()));
    for (const auto& o : orgs) ToProto(o, resp->add_orgs());
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::UpsertOrg(grpc::ServerContext* ctx,
                                             const v1::UpsertOrgRequest* req, v1::Org* resp) {
  return rpc_.Unary(ctx, "UpsertOrg", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_org()) return InvalidField("org", "is required");
    ASSIGN_OR_RETURN(Org org, ledger_.UpsertOrg(call, FromProto(req->org())));
    ToProto(org, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::CreateInspection(grpc::ServerContext* ctx,
                                                    const v1::CreateInspectionRequest* req,
                                                    v1::Inspection* resp) {
  return rpc_.Unary(ctx, "CreateInspection", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_inspection()) return InvalidField("inspection", "is required");
    ASSIGN_OR_RETURN(Inspection i, ledger_.CreateInspection(call, FromProto(req->inspection())));
    ToProto(i, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::GetInspection(grpc::ServerContext* ctx,
                                                 const v1::GetInspectionRequest* req,
                                                 v1::Inspection* resp) {
  return rpc_.Unary(ctx, "GetInspection", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Inspection i, ledger_.GetInspection(call, req->id()));
    ToProto(i, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListInspections(grpc::ServerContext* ctx,
                                                   const v1::ListInspectionsRequest* req,
                                                   v1::ListInspectionsResponse* resp) {
  return rpc_.Unary(ctx, "ListInspections", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, ledger_.ListInspections(call, req->page_size(), req->page_token(),
                                                        static_cast<InspectionKind>(req->kind())));
    for (const auto& i : page.inspections) ToProto(i, resp->add_inspections());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::CreateIssue(grpc::ServerContext* ctx,
                                               const v1::CreateIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "CreateIssue", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_issue()) return InvalidField("issue", "is required");
    ASSIGN_OR_RETURN(Issue issue, ledger_.CreateIssue(call, FromProto(req->issue())));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::GetIssue(grpc::ServerContext* ctx,
                                            const v1::GetIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "GetIssue", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue, ledger_.GetIssue(call, req->id()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListIssues(grpc::ServerContext* ctx,
                                              const v1::ListIssuesRequest* req,
                                              v1::ListIssuesResponse* resp) {
  return rpc_.Unary(ctx, "ListIssues", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, ledger_.ListIssues(call, req->page_size(), req->page_token(),
                                                   req->filter(), req->order_by()));
    for (const auto& issue : page.issues) Render(call, issue, resp->add_issues());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::UpdateIssue(grpc::ServerContext* ctx,
                                               const v1::UpdateIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "UpdateIssue", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_issue()) return InvalidField("issue", "is required");
    std::vector<std::string> mask(req->update_mask().paths().begin(),
                                  req->update_mask().paths().end());
    ASSIGN_OR_RETURN(Issue issue,
                     ledger_.UpdateIssue(call, req->issue().id(), FromProto(req->issue()), mask,
                                         req->issue().etag()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::AssignIssue(grpc::ServerContext* ctx,
                                               const v1::AssignIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "AssignIssue", *req, [&](const CallContext& call) -> absl::Status {
    Assignment a;
    a.issue_id = req->id();
    a.lead_org_id = req->lead_org_id();
    a.responsible_org_ids.assign(req->responsible_org_ids().begin(),
                                 req->responsible_org_ids().end());
    a.acceptance_org_id = req->acceptance_org_id();
    a.joint_reviewer_org_ids.assign(req->joint_reviewer_org_ids().begin(),
                                    req->joint_reviewer_org_ids().end());
    a.deadline = req->deadline();
    a.rectification_class = static_cast<RectificationClass>(req->rectification_class());
    a.responsible_official = req->responsible_official();
    a.etag = req->etag();
    ASSIGN_OR_RETURN(Issue issue, ledger_.AssignIssue(call, a));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::AcknowledgeAssignment(
    grpc::ServerContext* ctx, const v1::AcknowledgeAssignmentRequest* req, v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "AcknowledgeAssignment", *req, [&](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue, ledger_.AcknowledgeAssignment(call, req->id(), req->etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::Status IssueRegistryService::ReportProgress(grpc::ServerContext* ctx,
                                                  const v1::ReportProgressRequest* req,
                                                  v1::ProgressReport* resp) {
  return rpc_.Unary(ctx, "ReportProgress", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_report()) return InvalidField("report", "is required");
    ASSIGN_OR_RETURN(ProgressReport r,
                     ledger_.ReportProgress(call, req->issue_id(), FromProto(req->report())));
    ToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListProgressReports(grpc::ServerContext* ctx,
                                                       const v1::ListProgressReportsRequest* req,
                                                       v1::ListProgressReportsResponse* resp) {
  return rpc_.Unary(ctx, "ListProgressReports", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, ledger_.ListProgressReports(call, req->issue_id(), req->page_size(),
                                                            req->page_token()));
    for (const auto& r : page.reports) ToProto(r, resp->add_reports());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::WatchEvents(grpc::ServerContext* ctx,
                                               const v1::WatchEventsRequest* req,
                                               grpc::ServerWriter<v1::Event>* writer) {
  return rpc_.Unary(ctx, "WatchEvents", *req, [&](const CallContext& call) -> absl::Status {
    // The ledger's event stream carries every issue in full (without personal data): it is for
    // the suite's services and the office's tools, not for scoped users.
    auto role = call.principal.role;
    if (role != Role::kService && role != Role::kOffice && role != Role::kSupervisor) {
      return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                   "only services, the office and supervisors watch events");
    }
    WatchOptions options;
    options.after_cursor = req->after_cursor();
    options.types.assign(req->types().begin(), req->types().end());
    v1::Event event;
    return ServeWatch(
        events_, options,
        [&](const OutboxEvent& e) {
          event.Clear();
          ToProto(e, &event);
          return writer->Write(event);
        },
        [&] { return ctx->IsCancelled(); });
  });
}

}  // namespace rectify::issues
