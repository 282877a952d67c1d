#include "issue-service/api/issue_registry_service.h"

#include "absl/strings/str_cat.h"
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

grpc::Status IssueRegistryService::ImportIssue(grpc::ServerContext* ctx,
                                               const v1::ImportIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "ImportIssue", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_issue()) return InvalidField("issue", "is required");
    Issue in = FromProto(req->issue());
    in.state = static_cast<IssueState>(req->issue().state());
    ASSIGN_OR_RETURN(Issue issue,
                     ledger_.ImportIssue(call, in, req->source_document(), req->closed_date()));
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
    return StreamEvents(events_, *req, ctx, writer);
  });
}

// ---- Closure acceptance -------------------------------------------------------------------------

grpc::Status IssueRegistryService::RequestAcceptance(grpc::ServerContext* ctx,
                                                     const v1::RequestAcceptanceRequest* req,
                                                     v1::Issue* resp) {
  return rpc_.Unary(ctx, "RequestAcceptance", *req, [&](const CallContext& call) -> absl::Status {
    std::vector<int64_t> evidence(req->evidence_ids().begin(), req->evidence_ids().end());
    ASSIGN_OR_RETURN(Issue issue, ledger_.RequestAcceptance(call, req->id(), req->self_check(),
                                                            evidence, req->stage(), req->etag()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ReviewAcceptance(grpc::ServerContext* ctx,
                                                    const v1::ReviewAcceptanceRequest* req,
                                                    v1::Issue* resp) {
  return rpc_.Unary(ctx, "ReviewAcceptance", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue, ledger_.ReviewAcceptance(call, req->id(),
                                                           static_cast<AcceptanceStep>(req->step()),
                                                           static_cast<Decision>(req->decision()),
                                                           req->reason(), req->etag()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::OpenPublicNotice(grpc::ServerContext* ctx,
                                                    const v1::OpenPublicNoticeRequest* req,
                                                    v1::Issue* resp) {
  return rpc_.Unary(ctx, "OpenPublicNotice", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue,
                     ledger_.OpenPublicNotice(call, req->id(), req->working_days(), req->etag()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::FileObjection(grpc::ServerContext* ctx,
                                                 const v1::FileObjectionRequest* req,
                                                 v1::Objection* resp) {
  return rpc_.Unary(ctx, "FileObjection", *req, [&](const CallContext& call) -> absl::Status {
    if (!req->has_objection()) return InvalidField("objection", "is required");
    Objection o;
    o.text = req->objection().text();
    o.contact = req->objection().contact();
    o.evidence_ids.assign(req->objection().evidence_ids().begin(),
                          req->objection().evidence_ids().end());
    ASSIGN_OR_RETURN(Objection saved, ledger_.FileObjection(call, req->issue_id(), o));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListObjections(grpc::ServerContext* ctx,
                                                  const v1::ListObjectionsRequest* req,
                                                  v1::ListObjectionsResponse* resp) {
  return rpc_.Unary(ctx, "ListObjections", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto list, ledger_.ListObjections(call, req->issue_id()));
    for (const auto& o : list) ToProto(o, resp->add_objections());
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::RuleOnObjection(grpc::ServerContext* ctx,
                                                   const v1::RuleOnObjectionRequest* req,
                                                   v1::Objection* resp) {
  return rpc_.Unary(ctx, "RuleOnObjection", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Objection o,
                     ledger_.RuleOnObjection(call, req->issue_id(), req->objection_id(),
                                             req->uphold(), req->ruling()));
    ToProto(o, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::CloseIssue(grpc::ServerContext* ctx,
                                              const v1::CloseIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "CloseIssue", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue, ledger_.CloseIssue(call, req->id(), req->etag()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ReopenIssue(grpc::ServerContext* ctx,
                                               const v1::ReopenIssueRequest* req, v1::Issue* resp) {
  return rpc_.Unary(ctx, "ReopenIssue", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue,
                     ledger_.ReopenIssue(call, req->id(), static_cast<ReopenReason>(req->reason()),
                                         req->explanation(), req->cause()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::RecordVerification(grpc::ServerContext* ctx,
                                                      const v1::RecordVerificationRequest* req,
                                                      v1::Issue* resp) {
  return rpc_.Unary(ctx, "RecordVerification", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(
        Issue issue,
        ledger_.RecordVerification(call, req->id(), static_cast<ComplaintFinding>(req->finding()),
                                   req->report()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::RecordFollowUp(grpc::ServerContext* ctx,
                                                  const v1::RecordFollowUpRequest* req,
                                                  v1::Issue* resp) {
  return rpc_.Unary(ctx, "RecordFollowUp", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Issue issue, ledger_.RecordFollowUp(call, req->id(), req->result()));
    Render(call, issue, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::RequestExtension(grpc::ServerContext* ctx,
                                                    const v1::RequestExtensionRequest* req,
                                                    v1::Extension* resp) {
  return rpc_.Unary(ctx, "RequestExtension", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(
        Extension e,
        ledger_.RequestExtension(call, req->issue_id(), req->requested_deadline(), req->reason()));
    ToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::DecideExtension(grpc::ServerContext* ctx,
                                                   const v1::DecideExtensionRequest* req,
                                                   v1::Extension* resp) {
  return rpc_.Unary(ctx, "DecideExtension", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Extension e,
                     ledger_.DecideExtension(call, req->issue_id(), req->extension_id(),
                                             req->approve(), req->reason()));
    ToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListExtensions(grpc::ServerContext* ctx,
                                                  const v1::ListExtensionsRequest* req,
                                                  v1::ListExtensionsResponse* resp) {
  return rpc_.Unary(ctx, "ListExtensions", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto list, ledger_.ListExtensions(call, req->issue_id()));
    for (const auto& e : list) ToProto(e, resp->add_extensions());
    return absl::OkStatus();
  });
}

// ---- The dossier --------------------------------------------------------------------------------

grpc::Status IssueRegistryService::UploadEvidence(
    grpc::ServerContext* ctx, grpc::ServerReader<v1::UploadEvidenceRequest>* reader,
    v1::Evidence* resp) {
  constexpr size_t kMaxChunk = 1 << 20;
  v1::UploadEvidenceRequest first;
  bool has_first = reader->Read(&first);
  std::string request_id = has_first && first.has_metadata() ? first.metadata().request_id() : "";
  return rpc_.Run(ctx, "UploadEvidence", request_id, "", [&](const CallContext& c) -> absl::Status {
    if (!has_first || !first.has_metadata()) {
      return InvalidField("metadata", "the first message carries the file's metadata");
    }
    const auto& md = first.metadata();
    Evidence meta;
    meta.issue_id = md.issue_id();
    meta.kind = static_cast<EvidenceKind>(md.kind());
    meta.file_name = md.file_name();
    meta.media_type = md.media_type();
    meta.progress_report_id = md.progress_report_id();
    meta.description = md.description();
    // Refuse early, before the content is read.
    RETURN_IF_ERROR(ledger_.CheckUpload(c, meta));
    std::string content;
    v1::UploadEvidenceRequest part;
    while (reader->Read(&part)) {
      if (!part.has_chunk() && part.has_metadata()) {
        return InvalidField("metadata", "only the first message carries metadata");
      }
      if (part.chunk().size() > kMaxChunk) return InvalidField("chunk", "at most 1 MiB per chunk");
      if (static_cast<int64_t>(content.size() + part.chunk().size()) >
          ledger_.max_evidence_bytes()) {
        // Nothing has been stored: the file is written in one transaction at the end.
        return MakeError(
            absl::StatusCode::kResourceExhausted, "FILE_TOO_LARGE",
            absl::StrCat("files are limited to ", ledger_.max_evidence_bytes(), " bytes"));
      }
      content += part.chunk();
    }
    if (ctx->IsCancelled()) return absl::CancelledError("the upload was interrupted");
    // The fingerprint covers the whole file, so a repeated request_id with other content is
    // refused rather than answered with the first file.
    CallContext call = c;
    call.request_fingerprint = RpcRunner::Fingerprint(
        "UploadEvidence", absl::StrCat(md.SerializeAsString(), content, "\n", c.principal.subject));
    ASSIGN_OR_RETURN(Evidence saved, ledger_.AddEvidence(call, meta, content));
    ToProto(saved, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::DownloadEvidence(grpc::ServerContext* ctx,
                                                    const v1::DownloadEvidenceRequest* req,
                                                    grpc::ServerWriter<v1::EvidenceChunk>* writer) {
  return rpc_.Unary(ctx, "DownloadEvidence", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Evidence e, ledger_.GetEvidence(call, req->issue_id(), req->evidence_id()));
    v1::EvidenceChunk chunk;
    ToProto(e, chunk.mutable_evidence());
    bool first = true;
    return ledger_.ReadEvidence(call, e.id, [&](const std::string& data) {
      if (!first) chunk.Clear();
      first = false;
      chunk.set_data(data);
      return writer->Write(chunk);
    });
  });
}

grpc::Status IssueRegistryService::GetEvidence(grpc::ServerContext* ctx,
                                               const v1::GetEvidenceRequest* req,
                                               v1::Evidence* resp) {
  return rpc_.Unary(ctx, "GetEvidence", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(Evidence e, ledger_.GetEvidence(call, req->issue_id(), req->evidence_id()));
    ToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::ListEvidence(grpc::ServerContext* ctx,
                                                const v1::ListEvidenceRequest* req,
                                                v1::ListEvidenceResponse* resp) {
  return rpc_.Unary(ctx, "ListEvidence", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto list, ledger_.ListEvidence(call, req->issue_id()));
    for (const auto& e : list) ToProto(e, resp->add_evidence());
    return absl::OkStatus();
  });
}

// ---- History ------------------------------------------------------------------------------------

grpc::Status IssueRegistryService::GetIssueHistory(grpc::ServerContext* ctx,
                                                   const v1::GetIssueHistoryRequest* req,
                                                   v1::GetIssueHistoryResponse* resp) {
  return rpc_.Unary(ctx, "GetIssueHistory", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto page, ledger_.GetIssueHistory(call, req->id(), req->page_size(),
                                                        req->page_token(), req->newest_first()));
    for (const auto& r : page.records) ToProto(r, resp->add_records());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status IssueRegistryService::VerifyIssueHistory(grpc::ServerContext* ctx,
                                                      const v1::VerifyIssueHistoryRequest* req,
                                                      v1::VerifyIssueHistoryResponse* resp) {
  return rpc_.Unary(ctx, "VerifyIssueHistory", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(auto v, ledger_.VerifyIssueHistory(call, req->id()));
    resp->set_ok(v.ok);
    resp->set_records_checked(v.records_checked);
    resp->set_evidence_checked(v.evidence_checked);
    resp->set_first_bad_seq(v.first_bad_seq);
    resp->set_problem(v.problem);
    return absl::OkStatus();
  });
}

// ---- Statistics ---------------------------------------------------------------------------------

grpc::Status IssueRegistryService::GetLedgerStats(grpc::ServerContext* ctx,
                                                  const v1::GetLedgerStatsRequest* req,
                                                  v1::LedgerStats* resp) {
  return rpc_.Unary(ctx, "GetLedgerStats", *req, [&](const CallContext& call) -> absl::Status {
    ASSIGN_OR_RETURN(LedgerStats st,
                     ledger_.GetLedgerStats(call, req->region_code(), req->inspection_id()));
    auto put = [](const std::map<std::string, int64_t>& m,
                  google::protobuf::RepeatedPtrField<v1::Count>* out) {
      for (const auto& [k, n] : m) {
        auto* c = out->Add();
        c->set_key(k);
        c->set_count(n);
      }
    };
    resp->set_total(st.total);
    put(st.by_state, resp->mutable_by_state());
    put(st.by_city, resp->mutable_by_city());
    put(st.by_category, resp->mutable_by_category());
    put(st.by_source, resp->mutable_by_source());
    put(st.by_class, resp->mutable_by_class());
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

grpc::Status IssueRegistryService::ExportLedger(grpc::ServerContext* ctx,
                                                const v1::ExportLedgerRequest* req,
                                                grpc::ServerWriter<v1::ExportChunk>* writer) {
  return rpc_.Unary(ctx, "ExportLedger", *req, [&](const CallContext& call) -> absl::Status {
    auto format = req->format() == v1::ExportLedgerRequest::XLSX  ? ExportFormat::kXlsx
                  : req->format() == v1::ExportLedgerRequest::CSV ? ExportFormat::kCsv
                                                                  : ExportFormat{0};
    bool first = true;
    return ledger_.ExportLedger(call, req->filter(), req->order_by(), format,
                                [&](const std::string& bytes) {
                                  v1::ExportChunk chunk;
                                  if (first) {
                                    chunk.set_file_name(ExportFileName(format, call.now));
                                    chunk.set_media_type(ExportMediaType(format));
                                    first = false;
                                  }
                                  chunk.set_data(bytes);
                                  return writer->Write(chunk);
                                });
  });
}

}  // namespace rectify::issues
