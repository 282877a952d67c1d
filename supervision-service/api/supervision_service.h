// rectify.v1.Supervision over gRPC: each handler maps the request to the domain, calls one of
// Supervision's desks and maps the answer back. Authentication, deadlines, logging, metrics and
// error mapping happen in RpcRunner.
#pragma once

#include <functional>

#include "common/metrics.h"
#include "common/outbox.h"
#include "common/rpc.h"
#include "rectify/v1/supervision.grpc.pb.h"
#include "supervision-service/domain/supervision.h"

namespace rectify::supervision {

class SupervisionService final : public v1::Supervision::CallbackService {
 public:
  // `consumer` tells where the consumer of the registry's events stands.
  SupervisionService(Supervision& desks, EventLog& events, const RpcRunner& rpc,
                     std::function<ConsumerGauges()> consumer)
      : desks_(desks), events_(events), rpc_(rpc), consumer_(std::move(consumer)) {}

  grpc::ServerUnaryReactor* GetSupervisionRecord(grpc::CallbackServerContext* ctx,
                                                 const v1::GetSupervisionRecordRequest* req,
                                                 v1::SupervisionRecord* resp) override;
  grpc::ServerUnaryReactor* ListSupervisionRecords(
      grpc::CallbackServerContext* ctx, const v1::ListSupervisionRecordsRequest* req,
      v1::ListSupervisionRecordsResponse* resp) override;
  grpc::ServerUnaryReactor* GetSupervisionStatus(grpc::CallbackServerContext* ctx,
                                                 const v1::GetSupervisionStatusRequest* req,
                                                 v1::SupervisionStatus* resp) override;
  grpc::ServerUnaryReactor* GetEscalationPolicy(grpc::CallbackServerContext* ctx,
                                                const v1::GetEscalationPolicyRequest* req,
                                                v1::EscalationPolicy* resp) override;
  grpc::ServerUnaryReactor* UpdateEscalationPolicy(grpc::CallbackServerContext* ctx,
                                                   const v1::UpdateEscalationPolicyRequest* req,
                                                   v1::EscalationPolicy* resp) override;
  grpc::ServerUnaryReactor* ListEscalationPolicies(
      grpc::CallbackServerContext* ctx, const v1::ListEscalationPoliciesRequest* req,
      v1::ListEscalationPoliciesResponse* resp) override;
  grpc::ServerUnaryReactor* RunSweep(grpc::CallbackServerContext* ctx,
                                     const v1::RunSweepRequest* req,
                                     v1::RunSweepResponse* resp) override;
  grpc::ServerUnaryReactor* ListEscalations(grpc::CallbackServerContext* ctx,
                                            const v1::ListEscalationsRequest* req,
                                            v1::ListEscalationsResponse* resp) override;
  grpc::ServerUnaryReactor* GetEscalation(grpc::CallbackServerContext* ctx,
                                          const v1::GetEscalationRequest* req,
                                          v1::Escalation* resp) override;
  grpc::ServerUnaryReactor* EscalateIssue(grpc::CallbackServerContext* ctx,
                                          const v1::EscalateIssueRequest* req,
                                          v1::Escalation* resp) override;
  grpc::ServerUnaryReactor* RespondToEscalation(grpc::CallbackServerContext* ctx,
                                                const v1::RespondToEscalationRequest* req,
                                                v1::Escalation* resp) override;
  grpc::ServerUnaryReactor* ResolveEscalation(grpc::CallbackServerContext* ctx,
                                              const v1::ResolveEscalationRequest* req,
                                              v1::Escalation* resp) override;
  grpc::ServerUnaryReactor* GetCircular(grpc::CallbackServerContext* ctx,
                                        const v1::GetCircularRequest* req,
                                        v1::Circular* resp) override;
  grpc::ServerUnaryReactor* ListObligations(grpc::CallbackServerContext* ctx,
                                            const v1::ListObligationsRequest* req,
                                            v1::ListObligationsResponse* resp) override;
  grpc::ServerUnaryReactor* SignObligation(grpc::CallbackServerContext* ctx,
                                           const v1::SignObligationRequest* req,
                                           v1::Obligation* resp) override;
  grpc::ServerUnaryReactor* CreateLinkageRequest(grpc::CallbackServerContext* ctx,
                                                 const v1::CreateLinkageRequestRequest* req,
                                                 v1::LinkageRequest* resp) override;
  grpc::ServerUnaryReactor* RespondToLinkage(grpc::CallbackServerContext* ctx,
                                             const v1::RespondToLinkageRequest* req,
                                             v1::LinkageRequest* resp) override;
  grpc::ServerUnaryReactor* ListLinkageRequests(grpc::CallbackServerContext* ctx,
                                                const v1::ListLinkageRequestsRequest* req,
                                                v1::ListLinkageRequestsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateMeeting(grpc::CallbackServerContext* ctx,
                                          const v1::CreateMeetingRequest* req,
                                          v1::Meeting* resp) override;
  grpc::ServerUnaryReactor* GetMeeting(grpc::CallbackServerContext* ctx,
                                       const v1::GetMeetingRequest* req,
                                       v1::Meeting* resp) override;
  grpc::ServerUnaryReactor* ListMeetings(grpc::CallbackServerContext* ctx,
                                         const v1::ListMeetingsRequest* req,
                                         v1::ListMeetingsResponse* resp) override;
  grpc::ServerUnaryReactor* ListDirectives(grpc::CallbackServerContext* ctx,
                                           const v1::ListDirectivesRequest* req,
                                           v1::ListDirectivesResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteDirective(grpc::CallbackServerContext* ctx,
                                              const v1::CompleteDirectiveRequest* req,
                                              v1::Directive* resp) override;
  grpc::ServerUnaryReactor* GetBattleMap(grpc::CallbackServerContext* ctx,
                                         const v1::GetBattleMapRequest* req,
                                         v1::BattleMap* resp) override;
  grpc::ServerWriteReactor<v1::Event>* WatchEvents(grpc::CallbackServerContext* ctx,
                                                   const v1::WatchEventsRequest* req) override;

 private:
  Supervision& desks_;
  EventLog& events_;
  const RpcRunner& rpc_;
  std::function<ConsumerGauges()> consumer_;
};

}  // namespace rectify::supervision
