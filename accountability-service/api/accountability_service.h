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

class AccountabilityService final : public v1::Accountability::Service {
 public:
  AccountabilityService(CaseDocket& docket, EventLog& events, ReopenDispatcher* dispatcher,
                        const RpcRunner& rpc)
      : docket_(docket), events_(events), dispatcher_(dispatcher), rpc_(rpc) {}

  grpc::Status OpenCase(grpc::ServerContext* ctx, const v1::OpenCaseRequest* req,
                        v1::Case* resp) override;
  grpc::Status GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* req,
                       v1::Case* resp) override;
  grpc::Status ListCases(grpc::ServerContext* ctx, const v1::ListCasesRequest* req,
                         v1::ListCasesResponse* resp) override;
  grpc::Status StartInvestigation(grpc::ServerContext* ctx,
                                  const v1::StartInvestigationRequest* req,
                                  v1::Case* resp) override;
  grpc::Status RecordFinding(grpc::ServerContext* ctx, const v1::RecordFindingRequest* req,
                             v1::Case* resp) override;
  grpc::Status DecideCase(grpc::ServerContext* ctx, const v1::DecideCaseRequest* req,
                          v1::Case* resp) override;
  grpc::Status CloseCase(grpc::ServerContext* ctx, const v1::CloseCaseRequest* req,
                         v1::Case* resp) override;
  grpc::Status DismissCase(grpc::ServerContext* ctx, const v1::DismissCaseRequest* req,
                           v1::Case* resp) override;
  grpc::Status GetAccountabilityStats(grpc::ServerContext* ctx,
                                      const v1::GetAccountabilityStatsRequest* req,
                                      v1::AccountabilityStats* resp) override;
  grpc::Status WatchEvents(grpc::ServerContext* ctx, const v1::WatchEventsRequest* req,
                           grpc::ServerWriter<v1::Event>* writer) override;

 private:
  CaseDocket& docket_;
  EventLog& events_;
  ReopenDispatcher* dispatcher_;  // may be null (tests drive delivery themselves)
  const RpcRunner& rpc_;
};

}  // namespace rectify::accountability
