// rectify.v1.IssueRegistry over gRPC: each handler validates the transport-level parts of the
// request, maps it to the domain, calls the registry's desks and maps the answer back.
// Authentication, deadlines, logging, metrics and error mapping happen in RpcRunner.
#pragma once

#include <atomic>

#include "common/outbox.h"
#include "common/rpc.h"
#include "issue-service/domain/issue_registry.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

namespace rectify::issues {

class IssueRegistryService final : public v1::IssueRegistry::CallbackService {
 public:
  IssueRegistryService(IssueRegistry& registry, EventLog& events, const RpcRunner& rpc)
      : registry_(registry), events_(events), rpc_(rpc) {}

  grpc::ServerUnaryReactor* ListRegions(grpc::CallbackServerContext* ctx,
                                        const v1::ListRegionsRequest* req,
                                        v1::ListRegionsResponse* resp) override;
  grpc::ServerUnaryReactor* ListOrgs(grpc::CallbackServerContext* ctx,
                                     const v1::ListOrgsRequest* req,
                                     v1::ListOrgsResponse* resp) override;
  grpc::ServerUnaryReactor* UpsertOrg(grpc::CallbackServerContext* ctx,
                                      const v1::UpsertOrgRequest* req, v1::Org* resp) override;
  grpc::ServerUnaryReactor* CreateInspection(grpc::CallbackServerContext* ctx,
                                             const v1::CreateInspectionRequest* req,
                                             v1::Inspection* resp) override;
  grpc::ServerUnaryReactor* GetInspection(grpc::CallbackServerContext* ctx,
                                          const v1::GetInspectionRequest* req,
                                          v1::Inspection* resp) override;
  grpc::ServerUnaryReactor* ListInspections(grpc::CallbackServerContext* ctx,
                                            const v1::ListInspectionsRequest* req,
                                            v1::ListInspectionsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateIssue(grpc::CallbackServerContext* ctx,
                                        const v1::CreateIssueRequest* req,
                                        v1::Issue* resp) override;
  grpc::ServerUnaryReactor* GetIssue(grpc::CallbackServerContext* ctx,
                                     const v1::GetIssueRequest* req, v1::Issue* resp) override;
  grpc::ServerUnaryReactor* ImportIssue(grpc::CallbackServerContext* ctx,
                                        const v1::ImportIssueRequest* req,
                                        v1::Issue* resp) override;
  grpc::ServerUnaryReactor* ListIssues(grpc::CallbackServerContext* ctx,
                                       const v1::ListIssuesRequest* req,
                                       v1::ListIssuesResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateIssue(grpc::CallbackServerContext* ctx,
                                        const v1::UpdateIssueRequest* req,
                                        v1::Issue* resp) override;
  grpc::ServerUnaryReactor* AssignIssue(grpc::CallbackServerContext* ctx,
                                        const v1::AssignIssueRequest* req,
                                        v1::Issue* resp) override;
  grpc::ServerUnaryReactor* AcknowledgeAssignment(grpc::CallbackServerContext* ctx,
                                                  const v1::AcknowledgeAssignmentRequest* req,
                                                  v1::Issue* resp) override;
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext* ctx,
                                           const v1::ReportProgressRequest* req,
                                           v1::ProgressReport* resp) override;
  grpc::ServerUnaryReactor* ListProgressReports(grpc::CallbackServerContext* ctx,
                                                const v1::ListProgressReportsRequest* req,
                                                v1::ListProgressReportsResponse* resp) override;
  grpc::ServerUnaryReactor* RequestAcceptance(grpc::CallbackServerContext* ctx,
                                              const v1::RequestAcceptanceRequest* req,
                                              v1::Issue* resp) override;
  grpc::ServerUnaryReactor* ReviewAcceptance(grpc::CallbackServerContext* ctx,
                                             const v1::ReviewAcceptanceRequest* req,
                                             v1::Issue* resp) override;
  grpc::ServerUnaryReactor* OpenPublicNotice(grpc::CallbackServerContext* ctx,
                                             const v1::OpenPublicNoticeRequest* req,
                                             v1::Issue* resp) override;
  grpc::ServerUnaryReactor* FileObjection(grpc::CallbackServerContext* ctx,
                                          const v1::FileObjectionRequest* req,
                                          v1::Objection* resp) override;
  grpc::ServerUnaryReactor* ListObjections(grpc::CallbackServerContext* ctx,
                                           const v1::ListObjectionsRequest* req,
                                           v1::ListObjectionsResponse* resp) override;
  grpc::ServerUnaryReactor* RuleOnObjection(grpc::CallbackServerContext* ctx,
                                            const v1::RuleOnObjectionRequest* req,
                                            v1::Objection* resp) override;
  grpc::ServerUnaryReactor* CloseIssue(grpc::CallbackServerContext* ctx,
                                       const v1::CloseIssueRequest* req, v1::Issue* resp) override;
  grpc::ServerUnaryReactor* ReopenIssue(grpc::CallbackServerContext* ctx,
                                        const v1::ReopenIssueRequest* req,
                                        v1::Issue* resp) override;
  grpc::ServerUnaryReactor* RecordVerification(grpc::CallbackServerContext* ctx,
                                               const v1::RecordVerificationRequest* req,
                                               v1::Issue* resp) override;
  grpc::ServerUnaryReactor* RecordFollowUp(grpc::CallbackServerContext* ctx,
                                           const v1::RecordFollowUpRequest* req,
                                           v1::Issue* resp) override;
  grpc::ServerUnaryReactor* RequestExtension(grpc::CallbackServerContext* ctx,
                                             const v1::RequestExtensionRequest* req,
                                             v1::Extension* resp) override;
  grpc::ServerUnaryReactor* DecideExtension(grpc::CallbackServerContext* ctx,
                                            const v1::DecideExtensionRequest* req,
                                            v1::Extension* resp) override;
  grpc::ServerUnaryReactor* ListExtensions(grpc::CallbackServerContext* ctx,
                                           const v1::ListExtensionsRequest* req,
                                           v1::ListExtensionsResponse* resp) override;
  grpc::ServerReadReactor<v1::UploadEvidenceRequest>* UploadEvidence(
      grpc::CallbackServerContext* ctx, v1::Evidence* resp) override;
  grpc::ServerWriteReactor<v1::EvidenceChunk>* DownloadEvidence(
      grpc::CallbackServerContext* ctx, const v1::DownloadEvidenceRequest* req) override;
  grpc::ServerUnaryReactor* GetEvidence(grpc::CallbackServerContext* ctx,
                                        const v1::GetEvidenceRequest* req,
                                        v1::Evidence* resp) override;
  grpc::ServerUnaryReactor* ListEvidence(grpc::CallbackServerContext* ctx,
                                         const v1::ListEvidenceRequest* req,
                                         v1::ListEvidenceResponse* resp) override;
  grpc::ServerUnaryReactor* GetIssueHistory(grpc::CallbackServerContext* ctx,
                                            const v1::GetIssueHistoryRequest* req,
                                            v1::GetIssueHistoryResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyIssueHistory(grpc::CallbackServerContext* ctx,
                                               const v1::VerifyIssueHistoryRequest* req,
                                               v1::VerifyIssueHistoryResponse* resp) override;
  grpc::ServerUnaryReactor* GetLedgerStats(grpc::CallbackServerContext* ctx,
                                           const v1::GetLedgerStatsRequest* req,
                                           v1::LedgerStats* resp) override;
  grpc::ServerWriteReactor<v1::ExportChunk>* ExportLedger(
      grpc::CallbackServerContext* ctx, const v1::ExportLedgerRequest* req) override;
  grpc::ServerWriteReactor<v1::Event>* WatchEvents(grpc::CallbackServerContext* ctx,
                                                   const v1::WatchEventsRequest* req) override;

 private:
  void Render(const CallContext& call, const Issue& issue, v1::Issue* out) const;

  IssueRegistry& registry_;
  EventLog& events_;
  const RpcRunner& rpc_;
  // Uploads are kept in memory until they are stored whole, in one transaction; this bounds what
  // all uploads in progress may hold together.
  std::atomic<int64_t> buffered_upload_bytes_{0};
  int64_t max_buffered_upload_bytes_ = int64_t{1} << 30;
};

}  // namespace rectify::issues
