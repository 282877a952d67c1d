// rectify.v1.Accountability over gRPC: thin adapters over CaseDocket.
#pragma once

#include "accountability-service/domain/case_docket.h"
#include "accountability-service/domain/reopen_dispatcher.h"
#include "common/outbox.h"
#include "common/rpc.h"
#include "rectify/v1/accountability.grpc.pb.h"

namespace rectify::accountability {

void ToProto(const Case& c, v1::Case* out);
Case FromProto(const v1::Case& in);

class AccountabilityService final : public v1::Accountability::CallbackService {
 public:
  AccountabilityService(CaseDocket& docket, EventLog& events, ReopenDispatcher* dispatcher,
                        const RpcRunner& rpc)
      : docket_(docket), events_(events), dispatcher_(dispatcher), rpc_(rpc) {}

  grpc::ServerUnaryReactor* OpenCase(grpc::CallbackServerContext* ctx,
                                     const v1::OpenCaseRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* ctx, const v1::GetCaseRequest* req,
                                    v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* ctx,
                                      const v1::ListCasesRequest* req,
                                      v1::ListCasesResponse* resp) override;
  grpc::ServerUnaryReactor* StartInvestigation(grpc::CallbackServerContext* ctx,
                                               const v1::StartInvestigationRequest* req,
                                               v1::Case* resp) override;
  grpc::ServerUnaryReactor* RecordFinding(grpc::CallbackServerContext* ctx,
                                          const v1::RecordFindingRequest* req,
                                          v1::Case* resp) override;
  grpc::ServerUnaryReactor* DecideCase(grpc::CallbackServerContext* ctx,
                                       const v1::DecideCaseRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* ctx,
                                      const v1::CloseCaseRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* DismissCase(grpc::CallbackServerContext* ctx,
                                        const v1::DismissCaseRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* GetAccountabilityStats(grpc::CallbackServerContext* ctx,
                                                   const v1::GetAccountabilityStatsRequest* req,
                                                   v1::AccountabilityStats* resp) override;
  grpc::ServerWriteReactor<v1::Event>* WatchEvents(grpc::CallbackServerContext* ctx,
                                                   const v1::WatchEventsRequest* req) override;

 private:
  CaseDocket& docket_;
  EventLog& events_;
  ReopenDispatcher* dispatcher_;  // may be null (tests drive delivery themselves)
  const RpcRunner& rpc_;
};

}  // namespace rectify::accountability
