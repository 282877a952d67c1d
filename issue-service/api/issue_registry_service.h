// rectify.v1.IssueRegistry over gRPC: each handler validates the transport-level parts of the
// request, maps it to the domain, calls IssueLedger and maps the answer back. Authentication,
// deadlines, logging, metrics and error mapping happen in RpcRunner.
#pragma once

#include "common/outbox.h"
#include "common/rpc.h"
#include "issue-service/domain/issue_ledger.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

namespace rectify::issues {

class IssueRegistryService final : public v1::IssueRegistry::Service {
 public:
  IssueRegistryService(IssueLedger& ledger, EventLog& events, const RpcRunner& rpc)
      : ledger_(ledger), events_(events), rpc_(rpc) {}

  grpc::Status ListRegions(grpc::ServerContext* ctx, const v1::ListRegionsRequest* req,
                           v1::ListRegionsResponse* resp) override;
  grpc::Status ListOrgs(grpc::ServerContext* ctx, const v1::ListOrgsRequest* req,
                        v1::ListOrgsResponse* resp) override;
  grpc::Status UpsertOrg(grpc::ServerContext* ctx, const v1::UpsertOrgRequest* req,
                         v1::Org* resp) override;
  grpc::Status CreateInspection(grpc::ServerContext* ctx, const v1::CreateInspectionRequest* req,
                                v1::Inspection* resp) override;
  grpc::Status GetInspection(grpc::ServerContext* ctx, const v1::GetInspectionRequest* req,
                             v1::Inspection* resp) override;
  grpc::Status ListInspections(grpc::ServerContext* ctx, const v1::ListInspectionsRequest* req,
                               v1::ListInspectionsResponse* resp) override;
  grpc::Status CreateIssue(grpc::ServerContext* ctx, const v1::CreateIssueRequest* req,
                           v1::Issue* resp) override;
  grpc::Status GetIssue(grpc::ServerContext* ctx, const v1::GetIssueRequest* req,
                        v1::Issue* resp) override;
  grpc::Status ImportIssue(grpc::ServerContext* ctx, const v1::ImportIssueRequest* req,
                           v1::Issue* resp) override;
  grpc::Status ListIssues(grpc::ServerContext* ctx, const v1::ListIssuesRequest* req,
                          v1::ListIssuesResponse* resp) override;
  grpc::Status UpdateIssue(grpc::ServerContext* ctx, const v1::UpdateIssueRequest* req,
                           v1::Issue* resp) override;
  grpc::Status AssignIssue(grpc::ServerContext* ctx, const v1::AssignIssueRequest* req,
                           v1::Issue* resp) override;
  grpc::Status AcknowledgeAssignment(grpc::ServerContext* ctx,
                                     const v1::AcknowledgeAssignmentRequest* req,
                                     v1::Issue* resp) override;
  grpc::Status ReportProgress(grpc::ServerContext* ctx, const v1::ReportProgressRequest* req,
                              v1::ProgressReport* resp) override;
  grpc::Status ListProgressReports(grpc::ServerContext* ctx,
                                   const v1::ListProgressReportsRequest* req,
                                   v1::ListProgressReportsResponse* resp) override;
  grpc::Status RequestAcceptance(grpc::ServerContext* ctx, const v1::RequestAcceptanceRequest* req,
                                 v1::Issue* resp) override;
  grpc::Status ReviewAcceptance(grpc::ServerContext* ctx, const v1::ReviewAcceptanceRequest* req,
                                v1::Issue* resp) override;
  grpc::Status OpenPublicNotice(grpc::ServerContext* ctx, const v1::OpenPublicNoticeRequest* req,
                                v1::Issue* resp) override;
  grpc::Status FileObjection(grpc::ServerContext* ctx, const v1::FileObjectionRequest* req,
                             v1::Objection* resp) override;
  grpc::Status ListObjections(grpc::ServerContext* ctx, const v1::ListObjectionsRequest* req,
                              v1::ListObjectionsResponse* resp) override;
  grpc::Status RuleOnObjection(grpc::ServerContext* ctx, const v1::RuleOnObjectionRequest* req,
                               v1::Objection* resp) override;
  grpc::Status CloseIssue(grpc::ServerContext* ctx, const v1::CloseIssueRequest* req,
                          v1::Issue* resp) override;
  grpc::Status ReopenIssue(grpc::ServerContext* ctx, const v1::ReopenIssueRequest* req,
                           v1::Issue* resp) override;
  grpc::Status RecordVerification(grpc::ServerContext* ctx,
                                  const v1::RecordVerificationRequest* req,
                                  v1::Issue* resp) override;
  grpc::Status RecordFollowUp(grpc::ServerContext* ctx, const v1::RecordFollowUpRequest* req,
                              v1::Issue* resp) override;
  grpc::Status RequestExtension(grpc::ServerContext* ctx, const v1::RequestExtensionRequest* req,
                                v1::Extension* resp) override;
  grpc::Status DecideExtension(grpc::ServerContext* ctx, const v1::DecideExtensionRequest* req,
                               v1::Extension* resp) override;
  grpc::Status ListExtensions(grpc::ServerContext* ctx, const v1::ListExtensionsRequest* req,
                              v1::ListExtensionsResponse* resp) override;
  grpc::Status UploadEvidence(grpc::ServerContext* ctx,
                              grpc::ServerReader<v1::UploadEvidenceRequest>* reader,
                              v1::Evidence* resp) override;
  grpc::Status DownloadEvidence(grpc::ServerContext* ctx, const v1::DownloadEvidenceRequest* req,
                                grpc::ServerWriter<v1::EvidenceChunk>* writer) override;
  grpc::Status GetEvidence(grpc::ServerContext* ctx, const v1::GetEvidenceRequest* req,
                           v1::Evidence* resp) override;
  grpc::Status ListEvidence(grpc::ServerContext* ctx, const v1::ListEvidenceRequest* req,
                            v1::ListEvidenceResponse* resp) override;
  grpc::Status GetIssueHistory(grpc::ServerContext* ctx, const v1::GetIssueHistoryRequest* req,
                               v1::GetIssueHistoryResponse* resp) override;
  grpc::Status VerifyIssueHistory(grpc::ServerContext* ctx,
                                  const v1::VerifyIssueHistoryRequest* req,
                                  v1::VerifyIssueHistoryResponse* resp) override;
  grpc::Status GetLedgerStats(grpc::ServerContext* ctx, const v1::GetLedgerStatsRequest* req,
                              v1::LedgerStats* resp) override;
  grpc::Status ExportLedger(grpc::ServerContext* ctx, const v1::ExportLedgerRequest* req,
                            grpc::ServerWriter<v1::ExportChunk>* writer) override;
  grpc::Status WatchEvents(grpc::ServerContext* ctx, const v1::WatchEventsRequest* req,
                           grpc::ServerWriter<v1::Event>* writer) override;

 private:
  void Render(const CallContext& call, const Issue& issue, v1::Issue* out) const;

  IssueLedger& ledger_;
  EventLog& events_;
  const RpcRunner& rpc_;
};

}  // namespace rectify::issues
