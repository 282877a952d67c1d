#include "issue-service/api/issue_registry_service.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/event_proto.h"
#include "common/proto_types.h"
#include "common/rpc_streams.h"
#include "common/status.h"
#include "issue-service/api/convert.h"
#include "issue-service/domain/lifecycle.h"
#include "issue-service/export/ledger_file.h"

namespace rectify::issues {

void IssueRegistryService::Render(const CallContext& call, const Issue& issue,
                                  v1::Issue* out) const {
  ToProto(issue, IsOverdue(issue, call.now), out);
}

grpc::ServerUnaryReactor* IssueRegistryService::ListRegions(grpc::CallbackServerContext* ctx,
                                                            const v1::ListRegionsRequest* req,
                                                            v1::ListRegionsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListRegions", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto regions, registry_.reference().ListRegions(call, req->under_code()));
        for (const auto& r : regions) ToProto(r, resp->add_regions());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListOrgs(grpc::CallbackServerContext* ctx,
                                                         const v1::ListOrgsRequest* req,
                                                         v1::ListOrgsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListOrgs", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto orgs,
                         registry_.reference().ListOrgs(call, static_cast<OrgKind>(req->kind()),
                                                        req->region_code()));
        for (const auto& o : orgs) ToProto(o, resp->add_orgs());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::UpsertOrg(grpc::CallbackServerContext* ctx,
                                                          const v1::UpsertOrgRequest* req,
                                                          v1::Org* resp) {
  return rpc_.Unary(
      ctx, "UpsertOrg", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_org()) return InvalidField("org", "is required");
        ASSIGN_OR_RETURN(Org org, registry_.reference().UpsertOrg(call, FromProto(req->org())));
        ToProto(org, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::CreateInspection(
    grpc::CallbackServerContext* ctx, const v1::CreateInspectionRequest* req,
    v1::Inspection* resp) {
  return rpc_.Unary(ctx, "CreateInspection", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      if (!req->has_inspection()) return InvalidField("inspection", "is required");
                      ASSIGN_OR_RETURN(Inspection i, registry_.inspections().CreateInspection(
                                                         call, FromProto(req->inspection())));
                      ToProto(i, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::GetInspection(grpc::CallbackServerContext* ctx,
                                                              const v1::GetInspectionRequest* req,
                                                              v1::Inspection* resp) {
  return rpc_.Unary(
      ctx, "GetInspection", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Inspection i, registry_.inspections().GetInspection(call, req->id()));
        ToProto(i, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListInspections(
    grpc::CallbackServerContext* ctx, const v1::ListInspectionsRequest* req,
    v1::ListInspectionsResponse* resp) {
  return rpc_.Unary(ctx, "ListInspections", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto page, registry_.inspections().ListInspections(
                                                      call, req->page_size(), req->page_token(),
                                                      static_cast<InspectionKind>(req->kind())));
                      for (const auto& i : page.inspections) ToProto(i, resp->add_inspections());
                      resp->set_next_page_token(page.next_page_token);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::CreateIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::CreateIssueRequest* req,
                                                            v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "CreateIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_issue()) return InvalidField("issue", "is required");
        ASSIGN_OR_RETURN(Issue issue,
                         registry_.ledger().CreateIssue(call, FromProto(req->issue())));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ImportIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::ImportIssueRequest* req,
                                                            v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "ImportIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_issue()) return InvalidField("issue", "is required");
        Issue in = FromProto(req->issue());
        in.state = static_cast<IssueState>(req->issue().state());
        ASSIGN_OR_RETURN(Issue issue, registry_.ledger().ImportIssue(
                                          call, in, req->source_document(), req->closed_date()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::GetIssue(grpc::CallbackServerContext* ctx,
                                                         const v1::GetIssueRequest* req,
                                                         v1::Issue* resp) {
  return rpc_.Unary(ctx, "GetIssue", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Issue issue, registry_.ledger().GetIssue(call, req->id()));
                      Render(call, issue, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListIssues(grpc::CallbackServerContext* ctx,
                                                           const v1::ListIssuesRequest* req,
                                                           v1::ListIssuesResponse* resp) {
  return rpc_.Unary(
      ctx, "ListIssues", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page,
                         registry_.ledger().ListIssues(call, req->page_size(), req->page_token(),
                                                       req->filter(), req->order_by()));
        for (const auto& issue : page.issues) Render(call, issue, resp->add_issues());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::UpdateIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdateIssueRequest* req,
                                                            v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "UpdateIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_issue()) return InvalidField("issue", "is required");
        std::vector<std::string> mask(req->update_mask().paths().begin(),
                                      req->update_mask().paths().end());
        ASSIGN_OR_RETURN(Issue issue, registry_.ledger().UpdateIssue(call, req->issue().id(),
                                                                     FromProto(req->issue()), mask,
                                                                     req->issue().etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::AssignIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::AssignIssueRequest* req,
                                                            v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "AssignIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
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
        a.deadline_already_passed = req->deadline_already_passed();
        a.deadline_reason = req->deadline_reason();
        ASSIGN_OR_RETURN(Issue issue, registry_.ledger().AssignIssue(call, a));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::AcknowledgeAssignment(
    grpc::CallbackServerContext* ctx, const v1::AcknowledgeAssignmentRequest* req,
    v1::Issue* resp) {
  return rpc_.Unary(ctx, "AcknowledgeAssignment", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Issue issue, registry_.ledger().AcknowledgeAssignment(
                                                        call, req->id(), req->etag()));
                      Render(call, issue, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::ReportProgress(grpc::CallbackServerContext* ctx,
                                                               const v1::ReportProgressRequest* req,
                                                               v1::ProgressReport* resp) {
  return rpc_.Unary(
      ctx, "ReportProgress", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_report()) return InvalidField("report", "is required");
        ASSIGN_OR_RETURN(ProgressReport r, registry_.ledger().ReportProgress(
                                               call, req->issue_id(), FromProto(req->report())));
        ToProto(r, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListProgressReports(
    grpc::CallbackServerContext* ctx, const v1::ListProgressReportsRequest* req,
    v1::ListProgressReportsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListProgressReports", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto page, registry_.ledger().ListProgressReports(call, req->issue_id(),
                                                              req->page_size(), req->page_token()));
        for (const auto& r : page.reports) ToProto(r, resp->add_reports());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::Event>* IssueRegistryService::WatchEvents(
    grpc::CallbackServerContext* ctx, const v1::WatchEventsRequest* req) {
  return StreamEvents(rpc_, ctx, events_, req, [](const Principal& caller) -> absl::Status {
    // The ledger's event stream carries every issue in full (without personal data): it is for
    // the suite's services and the office's tools, not for scoped users.
    auto role = caller.role;
    if (role != Role::kService && role != Role::kOffice && role != Role::kSupervisor) {
      return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                   "only services, the office and supervisors watch events");
    }
    return absl::OkStatus();
  });
}

// ---- Closure acceptance -------------------------------------------------------------------------

grpc::ServerUnaryReactor* IssueRegistryService::RequestAcceptance(
    grpc::CallbackServerContext* ctx, const v1::RequestAcceptanceRequest* req, v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "RequestAcceptance", req, [this, req, resp](const CallContext& call) -> absl::Status {
        std::vector<int64_t> evidence(req->evidence_ids().begin(), req->evidence_ids().end());
        ASSIGN_OR_RETURN(Issue issue, registry_.closure().RequestAcceptance(
                                          call, req->id(), req->self_check(), evidence,
                                          req->stage(), req->etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ReviewAcceptance(
    grpc::CallbackServerContext* ctx, const v1::ReviewAcceptanceRequest* req, v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "ReviewAcceptance", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue,
                         registry_.closure().ReviewAcceptance(
                             call, req->id(), static_cast<AcceptanceStep>(req->step()),
                             static_cast<Decision>(req->decision()), req->reason(), req->etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::OpenPublicNotice(
    grpc::CallbackServerContext* ctx, const v1::OpenPublicNoticeRequest* req, v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "OpenPublicNotice", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue, registry_.closure().OpenPublicNotice(
                                          call, req->id(), req->working_days(), req->etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::FileObjection(grpc::CallbackServerContext* ctx,
                                                              const v1::FileObjectionRequest* req,
                                                              v1::Objection* resp) {
  return rpc_.Unary(ctx, "FileObjection", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      if (!req->has_objection()) return InvalidField("objection", "is required");
                      Objection o;
                      o.text = req->objection().text();
                      o.contact = req->objection().contact();
                      o.evidence_ids.assign(req->objection().evidence_ids().begin(),
                                            req->objection().evidence_ids().end());
                      ASSIGN_OR_RETURN(Objection saved,
                                       registry_.closure().FileObjection(call, req->issue_id(), o));
                      ToProto(saved, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListObjections(grpc::CallbackServerContext* ctx,
                                                               const v1::ListObjectionsRequest* req,
                                                               v1::ListObjectionsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListObjections", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto list, registry_.closure().ListObjections(call, req->issue_id()));
        for (const auto& o : list) ToProto(o, resp->add_objections());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::RuleOnObjection(
    grpc::CallbackServerContext* ctx, const v1::RuleOnObjectionRequest* req, v1::Objection* resp) {
  return rpc_.Unary(ctx, "RuleOnObjection", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Objection o, registry_.closure().RuleOnObjection(
                                                        call, req->issue_id(), req->objection_id(),
                                                        req->uphold(), req->ruling()));
                      ToProto(o, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::CloseIssue(grpc::CallbackServerContext* ctx,
                                                           const v1::CloseIssueRequest* req,
                                                           v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "CloseIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue, registry_.closure().CloseIssue(call, req->id(), req->etag()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ReopenIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::ReopenIssueRequest* req,
                                                            v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "ReopenIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue, registry_.closure().ReopenIssue(
                                          call, req->id(), static_cast<ReopenReason>(req->reason()),
                                          req->explanation(), req->cause()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::RecordVerification(
    grpc::CallbackServerContext* ctx, const v1::RecordVerificationRequest* req, v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "RecordVerification", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            Issue issue,
            registry_.closure().RecordVerification(
                call, req->id(), static_cast<ComplaintFinding>(req->finding()), req->report()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::RecordFollowUp(grpc::CallbackServerContext* ctx,
                                                               const v1::RecordFollowUpRequest* req,
                                                               v1::Issue* resp) {
  return rpc_.Unary(
      ctx, "RecordFollowUp", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Issue issue,
                         registry_.closure().RecordFollowUp(call, req->id(), req->result()));
        Render(call, issue, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::RequestExtension(
    grpc::CallbackServerContext* ctx, const v1::RequestExtensionRequest* req, v1::Extension* resp) {
  return rpc_.Unary(
      ctx, "RequestExtension", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Extension e,
                         registry_.closure().RequestExtension(
                             call, req->issue_id(), req->requested_deadline(), req->reason()));
        ToProto(e, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::DecideExtension(
    grpc::CallbackServerContext* ctx, const v1::DecideExtensionRequest* req, v1::Extension* resp) {
  return rpc_.Unary(ctx, "DecideExtension", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Extension e, registry_.closure().DecideExtension(
                                                        call, req->issue_id(), req->extension_id(),
                                                        req->approve(), req->reason()));
                      ToProto(e, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListExtensions(grpc::CallbackServerContext* ctx,
                                                               const v1::ListExtensionsRequest* req,
                                                               v1::ListExtensionsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListExtensions", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto list, registry_.closure().ListExtensions(call, req->issue_id()));
        for (const auto& e : list) ToProto(e, resp->add_extensions());
        return absl::OkStatus();
      });
}

// ---- The dossier --------------------------------------------------------------------------------

namespace {

// One upload in progress: what its first message announced and the content received so far,
// counted against the service's budget for buffered uploads while it lives.
struct Upload {
  explicit Upload(std::atomic<int64_t>& buffered) : buffered(buffered) {}
  ~Upload() { buffered -= static_cast<int64_t>(content.size()); }
  std::atomic<int64_t>& buffered;
  v1::UploadEvidenceRequest::Metadata metadata;
  Evidence meta;
  std::string content;
};

}  // namespace

grpc::ServerReadReactor<v1::UploadEvidenceRequest>* IssueRegistryService::UploadEvidence(
    grpc::CallbackServerContext* ctx, v1::Evidence* resp) {
  constexpr size_t kMaxChunk = 1 << 20;
  auto upload = std::make_shared<Upload>(buffered_upload_bytes_);
  using Stream = ConsumerStream<v1::UploadEvidenceRequest, v1::Evidence>;
  Stream::Hooks hooks;
  // Scope and role are decided on the first message, before any chunk is accepted.
  hooks.first = [this, upload](const CallContext& call,
                               const v1::UploadEvidenceRequest& first) -> absl::Status {
    if (!first.has_metadata()) {
      return InvalidField("metadata", "the first message carries the file's metadata");
    }
    const auto& md = first.metadata();
    upload->metadata = md;
    Evidence& meta = upload->meta;
    meta.issue_id = md.issue_id();
    meta.kind = static_cast<EvidenceKind>(md.kind());
    meta.file_name = md.file_name();
    meta.media_type = md.media_type();
    meta.progress_report_id = md.progress_report_id();
    meta.description = md.description();
    if (md.request_id().size() > 128) {
      return InvalidField("metadata.request_id", "must be at most 128 characters");
    }
    return registry_.dossier().CheckUploadMayBegin(call, meta);
  };
  hooks.next = [this, upload](const v1::UploadEvidenceRequest& part) -> absl::Status {
    if (!part.has_chunk() && part.has_metadata()) {
      return InvalidField("metadata", "only the first message carries metadata");
    }
    if (part.chunk().size() > kMaxChunk) return InvalidField("chunk", "at most 1 MiB per chunk");
    if (static_cast<int64_t>(upload->content.size() + part.chunk().size()) >
        registry_.dossier().max_evidence_bytes()) {
      // Nothing has been stored: the file is written in one transaction at the end.
      return MakeError(absl::StatusCode::kResourceExhausted, "FILE_TOO_LARGE",
                       absl::StrCat("files are limited to ",
                                    registry_.dossier().max_evidence_bytes(), " bytes"));
    }
    int64_t size = static_cast<int64_t>(part.chunk().size());
    if (buffered_upload_bytes_.fetch_add(size) + size > max_buffered_upload_bytes_) {
      buffered_upload_bytes_ -= size;
      return MakeError(absl::StatusCode::kResourceExhausted, "UPLOADS_BUSY",
                       "the service is receiving too many files at once; retry with backoff");
    }
    upload->content += part.chunk();
    return absl::OkStatus();
  };
  hooks.finish = [this, upload](const CallContext& c, v1::Evidence* out) -> absl::Status {
    // The fingerprint covers the whole file, so a repeated request_id with other content is
    // refused rather than answered with the first file.
    CallContext call = c;
    call.request_id = upload->metadata.request_id();
    if (!call.request_id.empty()) {
      call.request_fingerprint = RpcRunner::Fingerprint(
          "UploadEvidence", absl::StrCat(upload->metadata.SerializeAsString(), upload->content,
                                         "\n", RpcRunner::OwnerKey(c.principal)));
    }
    ASSIGN_OR_RETURN(Evidence saved,
                     registry_.dossier().AddEvidence(call, upload->meta, upload->content));
    ToProto(saved, out);
    return absl::OkStatus();
  };
  return Stream::Start(rpc_, ctx, "UploadEvidence", resp, std::move(hooks));
}

grpc::ServerWriteReactor<v1::EvidenceChunk>* IssueRegistryService::DownloadEvidence(
    grpc::CallbackServerContext* ctx, const v1::DownloadEvidenceRequest* req) {
  using Stream = ProducerStream<v1::EvidenceChunk>;
  return Stream::Start(
      rpc_, ctx, "DownloadEvidence",
      [this, req](const CallContext& call) -> absl::StatusOr<Stream::Producer> {
        ASSIGN_OR_RETURN(
            Evidence e, registry_.dossier().GetEvidence(call, req->issue_id(), req->evidence_id()));
        // The first message carries the file's metadata; each one a stored chunk.
        return [this, e, seq = 0](const CallContext& step) mutable
               -> absl::StatusOr<std::optional<v1::EvidenceChunk>> {
          ASSIGN_OR_RETURN(auto data, registry_.dossier().ReadEvidenceChunk(step, e.id, seq));
          if (!data && seq > 0) return std::optional<v1::EvidenceChunk>();
          v1::EvidenceChunk chunk;
          if (seq == 0) ToProto(e, chunk.mutable_evidence());
          if (data) chunk.set_data(std::move(*data));
          ++seq;
          return std::optional<v1::EvidenceChunk>(std::move(chunk));
        };
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::GetEvidence(grpc::CallbackServerContext* ctx,
                                                            const v1::GetEvidenceRequest* req,
                                                            v1::Evidence* resp) {
  return rpc_.Unary(
      ctx, "GetEvidence", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            Evidence e, registry_.dossier().GetEvidence(call, req->issue_id(), req->evidence_id()));
        ToProto(e, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::ListEvidence(grpc::CallbackServerContext* ctx,
                                                             const v1::ListEvidenceRequest* req,
                                                             v1::ListEvidenceResponse* resp) {
  return rpc_.Unary(
      ctx, "ListEvidence", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto list, registry_.dossier().ListEvidence(call, req->issue_id()));
        for (const auto& e : list) ToProto(e, resp->add_evidence());
        return absl::OkStatus();
      });
}

// ---- History ------------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IssueRegistryService::GetIssueHistory(
    grpc::CallbackServerContext* ctx, const v1::GetIssueHistoryRequest* req,
    v1::GetIssueHistoryResponse* resp) {
  return rpc_.Unary(
      ctx, "GetIssueHistory", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto page, registry_.history().GetIssueHistory(call, req->id(), req->page_size(),
                                                           req->page_token(), req->newest_first()));
        for (const auto& r : page.records) ToProto(r, resp->add_records());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* IssueRegistryService::VerifyIssueHistory(
    grpc::CallbackServerContext* ctx, const v1::VerifyIssueHistoryRequest* req,
    v1::VerifyIssueHistoryResponse* resp) {
  return rpc_.Unary(
      ctx, "VerifyIssueHistory", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto v, registry_.history().VerifyIssueHistory(call, req->id()));
        resp->set_ok(v.ok);
        resp->set_records_checked(v.records_checked);
        resp->set_evidence_checked(v.evidence_checked);
        resp->set_first_bad_seq(v.first_bad_seq);
        resp->set_problem(v.problem);
        return absl::OkStatus();
      });
}

// ---- Statistics ---------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IssueRegistryService::GetLedgerStats(grpc::CallbackServerContext* ctx,
                                                               const v1::GetLedgerStatsRequest* req,
                                                               v1::LedgerStats* resp) {
  return rpc_.Unary(
      ctx, "GetLedgerStats", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(LedgerStats st, registry_.statistics().GetLedgerStats(
                                             call, req->region_code(), req->inspection_id()));
        resp->set_total(st.total);
        PutCounts(st.by_state, resp->mutable_by_state());
        PutCounts(st.by_city, resp->mutable_by_city());
        PutCounts(st.by_category, resp->mutable_by_category());
        PutCounts(st.by_source, resp->mutable_by_source());
        PutCounts(st.by_class, resp->mutable_by_class());
        resp->set_overdue(st.overdue);
        resp->set_rectification_completed(st.rectification_completed);
        resp->set_accepted_and_closed(st.accepted_and_closed);
        resp->set_acceptance_not_completed(st.acceptance_not_completed);
        resp->set_acceptance_not_applied(st.acceptance_not_applied);
        resp->set_completion_rate(st.completion_rate);
        resp->set_closure_rate(st.closure_rate);
        resp->set_as_of_date(st.as_of_date);
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::ExportChunk>* IssueRegistryService::ExportLedger(
    grpc::CallbackServerContext* ctx, const v1::ExportLedgerRequest* req) {
  using Stream = ProducerStream<v1::ExportChunk>;
  return Stream::Start(
      rpc_, ctx, "ExportLedger",
      [this, req](const CallContext& call) -> absl::StatusOr<Stream::Producer> {
        ExportFormat format;
        if (req->format() == v1::ExportLedgerRequest::XLSX) {
          format = ExportFormat::kXlsx;
        } else if (req->format() == v1::ExportLedgerRequest::CSV) {
          format = ExportFormat::kCsv;
        } else {
          return InvalidField("format", "CSV or XLSX");
        }
        // The file is made whole on this worker and then sent from it a chunk at a time: a slow
        // reader holds neither a worker nor a connection. It is removed once opened for sending
        // (and in every other case), so nothing of the ledger is left on disk.
        ASSIGN_OR_RETURN(auto temporary, TemporaryFile::Create("rectify-export"));
        ASSIGN_OR_RETURN(auto out, LedgerFile::Create(format, temporary->path()));
        RETURN_IF_ERROR(registry_.exporter().Export(
            call, req->filter(), req->order_by(),
            [&](const std::vector<std::string>& row) { return out->Add(row); }));
        RETURN_IF_ERROR(out->Finish());
        std::shared_ptr<std::FILE> file(std::fopen(temporary->path().c_str(), "rb"),
                                        [](std::FILE* f) {
                                          if (f) std::fclose(f);
                                        });
        if (!file) return absl::UnavailableError("cannot read the export file back");
        temporary.reset();
        return [file, format, now = call.now, first = true](
                   const CallContext&) mutable -> absl::StatusOr<std::optional<v1::ExportChunk>> {
          constexpr size_t kChunk = 1 << 20;
          v1::ExportChunk chunk;
          std::string* data = chunk.mutable_data();
          data->resize(kChunk);
          size_t n = std::fread(data->data(), 1, kChunk, file.get());
          if (n == 0 && !first) return std::optional<v1::ExportChunk>();
          data->resize(n);
          if (first) {
            chunk.set_file_name(ExportFileName(format, now));
            chunk.set_media_type(ExportMediaType(format));
            first = false;
          }
          return std::optional<v1::ExportChunk>(std::move(chunk));
        };
      });
}

}  // namespace rectify::issues
