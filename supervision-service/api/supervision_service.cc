#include "supervision-service/api/supervision_service.h"

#include <map>

#include "common/event_proto.h"
#include "common/proto_types.h"
#include "common/status.h"
#include "supervision-service/api/convert.h"

namespace rectify::supervision {
namespace {

// A sweep's answer lists this many of what it raised (all of them can be listed).
constexpr int kRaisedShown = 100;

std::optional<absl::Time> OptionalTime(bool present, const google::protobuf::Timestamp& t) {
  if (!present) return std::nullopt;
  return FromProtoTime(t);
}

}  // namespace

grpc::ServerUnaryReactor* SupervisionService::GetSupervisionRecord(
    grpc::CallbackServerContext* ctx, const v1::GetSupervisionRecordRequest* req,
    v1::SupervisionRecord* resp) {
  return rpc_.Unary(ctx, "GetSupervisionRecord", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto r, desks_.board().GetRecord(call, req->issue_id()));
                      ToProto(r, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::ListSupervisionRecords(
    grpc::CallbackServerContext* ctx, const v1::ListSupervisionRecordsRequest* req,
    v1::ListSupervisionRecordsResponse* resp) {
  return rpc_.Unary(ctx, "ListSupervisionRecords", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(
                          auto page, desks_.board().ListRecords(call, req->page_size(),
                                                                req->page_token(), req->filter()));
                      for (const auto& r : page.items) ToProto(r, resp->add_records());
                      resp->set_next_page_token(page.next_page_token);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::GetSupervisionStatus(
    grpc::CallbackServerContext* ctx, const v1::GetSupervisionStatusRequest* req,
    v1::SupervisionStatus* resp) {
  return rpc_.Unary(ctx, "GetSupervisionStatus", req,
                    [this, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(SupervisionState state, desks_.status().Get(call));
                      ConsumerGauges g = consumer_();
                      resp->set_consumer_cursor(g.cursor);
                      resp->set_source_cursor(g.source_cursor);
                      resp->set_lag_events(std::max<int64_t>(0, g.source_cursor - g.cursor));
                      resp->set_lag_seconds(g.lag_seconds);
                      resp->set_policy_version(state.policy_version);
                      if (state.last_sweep.as_of != absl::InfinitePast()) {
                        *resp->mutable_last_sweep_as_of() = ToProtoTime(state.last_sweep.as_of);
                        resp->set_last_sweep_raised(state.last_sweep.raised);
                      }
                      resp->set_records(state.records.records);
                      resp->set_active_records(state.records.active);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::GetEscalationPolicy(
    grpc::CallbackServerContext* ctx, const v1::GetEscalationPolicyRequest* req,
    v1::EscalationPolicy* resp) {
  return rpc_.Unary(ctx, "GetEscalationPolicy", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto p, desks_.policies().GetPolicy(call, req->version()));
                      ToProto(p, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::UpdateEscalationPolicy(
    grpc::CallbackServerContext* ctx, const v1::UpdateEscalationPolicyRequest* req,
    v1::EscalationPolicy* resp) {
  return rpc_.Unary(ctx, "UpdateEscalationPolicy", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      if (!req->has_policy()) return InvalidField("policy", "is required");
                      ASSIGN_OR_RETURN(auto p, desks_.policies().UpdatePolicy(
                                                   call, FromProto(req->policy()), req->etag()));
                      ToProto(p, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::ListEscalationPolicies(
    grpc::CallbackServerContext* ctx, const v1::ListEscalationPoliciesRequest* req,
    v1::ListEscalationPoliciesResponse* resp) {
  return rpc_.Unary(ctx, "ListEscalationPolicies", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto page, desks_.policies().ListPolicies(
                                                      call, req->page_size(), req->page_token()));
                      for (const auto& p : page.policies) ToProto(p, resp->add_policies());
                      resp->set_next_page_token(page.next_page_token);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::RunSweep(grpc::CallbackServerContext* ctx,
                                                       const v1::RunSweepRequest* req,
                                                       v1::RunSweepResponse* resp) {
  return rpc_.Unary(
      ctx, "RunSweep", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto result, desks_.ladder().RunSweep(
                                          call, OptionalTime(req->has_as_of(), req->as_of())));
        std::map<std::string, int64_t> by_level;
        for (const auto& e : result.raised) {
          by_level[LevelName(e.level)]++;
          if (resp->raised_size() < kRaisedShown) ToProto(e, resp->add_raised());
        }
        resp->set_raised_count(static_cast<int64_t>(result.raised.size()));
        PutCounts(by_level, resp->mutable_raised_by_level());
        resp->set_evaluated(result.evaluated);
        resp->set_policy_version(result.policy_version);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::ListEscalations(grpc::CallbackServerContext* ctx,
                                                              const v1::ListEscalationsRequest* req,
                                                              v1::ListEscalationsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListEscalations", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page, desks_.ladder().ListEscalations(
                                        call, req->page_size(), req->page_token(), req->filter()));
        for (const auto& e : page.escalations) ToProto(e, resp->add_escalations());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::GetEscalation(grpc::CallbackServerContext* ctx,
                                                            const v1::GetEscalationRequest* req,
                                                            v1::Escalation* resp) {
  return rpc_.Unary(ctx, "GetEscalation", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto e, desks_.ladder().GetEscalation(call, req->id()));
                      ToProto(e, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::EscalateIssue(grpc::CallbackServerContext* ctx,
                                                            const v1::EscalateIssueRequest* req,
                                                            v1::Escalation* resp) {
  return rpc_.Unary(
      ctx, "EscalateIssue", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto e, desks_.ladder().EscalateIssue(call, req->issue_id(),
                                                               static_cast<Level>(req->level()),
                                                               req->reason(), req->skip_reason()));
        ToProto(e, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::RespondToEscalation(
    grpc::CallbackServerContext* ctx, const v1::RespondToEscalationRequest* req,
    v1::Escalation* resp) {
  return rpc_.Unary(
      ctx, "RespondToEscalation", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto e, desks_.ladder().Respond(call, req->id(), static_cast<ResponseKind>(req->kind()),
                                            req->text(), req->etag()));
        ToProto(e, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::ResolveEscalation(
    grpc::CallbackServerContext* ctx, const v1::ResolveEscalationRequest* req,
    v1::Escalation* resp) {
  return rpc_.Unary(
      ctx, "ResolveEscalation", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto e,
                         desks_.ladder().Resolve(call, req->id(), req->reason(), req->etag()));
        ToProto(e, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::GetCircular(grpc::CallbackServerContext* ctx,
                                                          const v1::GetCircularRequest* req,
                                                          v1::Circular* resp) {
  return rpc_.Unary(ctx, "GetCircular", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto c, desks_.ladder().Circular(call, req->period()));
                      resp->set_period(c.period);
                      for (const auto& e : c.notices) ToProto(e, resp->add_notices());
                      PutCounts(c.by_region, resp->mutable_by_region());
                      PutCounts(c.by_org, resp->mutable_by_org());
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::ListObligations(grpc::CallbackServerContext* ctx,
                                                              const v1::ListObligationsRequest* req,
                                                              v1::ListObligationsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListObligations", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page, desks_.obligations().ListObligations(
                                        call, req->page_size(), req->page_token(), req->filter()));
        for (const auto& o : page.items) ToProto(o, resp->add_obligations());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::SignObligation(grpc::CallbackServerContext* ctx,
                                                             const v1::SignObligationRequest* req,
                                                             v1::Obligation* resp) {
  return rpc_.Unary(ctx, "SignObligation", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto o, desks_.obligations().Sign(call, req->id()));
                      ToProto(o, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::CreateLinkageRequest(
    grpc::CallbackServerContext* ctx, const v1::CreateLinkageRequestRequest* req,
    v1::LinkageRequest* resp) {
  return rpc_.Unary(
      ctx, "CreateLinkageRequest", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_linkage()) return InvalidField("linkage", "is required");
        ASSIGN_OR_RETURN(auto l, desks_.linkage().Create(call, FromProto(req->linkage())));
        ToProto(l, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::RespondToLinkage(
    grpc::CallbackServerContext* ctx, const v1::RespondToLinkageRequest* req,
    v1::LinkageRequest* resp) {
  return rpc_.Unary(
      ctx, "RespondToLinkage", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto l, desks_.linkage().Respond(call, req->id(),
                                                          static_cast<LinkageAnswer>(req->answer()),
                                                          req->text(), req->etag()));
        ToProto(l, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::ListLinkageRequests(
    grpc::CallbackServerContext* ctx, const v1::ListLinkageRequestsRequest* req,
    v1::ListLinkageRequestsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListLinkageRequests", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page, desks_.linkage().List(call, req->page_size(), req->page_token(),
                                                          req->filter()));
        for (const auto& l : page.items) ToProto(l, resp->add_linkage_requests());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::CreateMeeting(grpc::CallbackServerContext* ctx,
                                                            const v1::CreateMeetingRequest* req,
                                                            v1::Meeting* resp) {
  return rpc_.Unary(
      ctx, "CreateMeeting", req, [this, req, resp](const CallContext& call) -> absl::Status {
        if (!req->has_meeting()) return InvalidField("meeting", "is required");
        ASSIGN_OR_RETURN(auto m, desks_.meetings().CreateMeeting(call, FromProto(req->meeting())));
        ToProto(m, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::GetMeeting(grpc::CallbackServerContext* ctx,
                                                         const v1::GetMeetingRequest* req,
                                                         v1::Meeting* resp) {
  return rpc_.Unary(ctx, "GetMeeting", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto m, desks_.meetings().GetMeeting(call, req->id()));
                      ToProto(m, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SupervisionService::ListMeetings(grpc::CallbackServerContext* ctx,
                                                           const v1::ListMeetingsRequest* req,
                                                           v1::ListMeetingsResponse* resp) {
  return rpc_.Unary(
      ctx, "ListMeetings", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page,
                         desks_.meetings().ListMeetings(call, req->page_size(), req->page_token()));
        for (const auto& m : page.items) ToProto(m, resp->add_meetings());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::ListDirectives(grpc::CallbackServerContext* ctx,
                                                             const v1::ListDirectivesRequest* req,
                                                             v1::ListDirectivesResponse* resp) {
  return rpc_.Unary(
      ctx, "ListDirectives", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto page, desks_.meetings().ListDirectives(
                                        call, req->page_size(), req->page_token(), req->filter()));
        for (const auto& d : page.items) ToProto(d, resp->add_directives());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::CompleteDirective(
    grpc::CallbackServerContext* ctx, const v1::CompleteDirectiveRequest* req,
    v1::Directive* resp) {
  return rpc_.Unary(
      ctx, "CompleteDirective", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto d, desks_.meetings().CompleteDirective(call, req->id(), req->note(), req->etag()));
        ToProto(d, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SupervisionService::GetBattleMap(grpc::CallbackServerContext* ctx,
                                                           const v1::GetBattleMapRequest* req,
                                                           v1::BattleMap* resp) {
  return rpc_.Unary(
      ctx, "GetBattleMap", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(auto map, desks_.map().Get(call, req->region_code(),
                                                    OptionalTime(req->has_as_of(), req->as_of())));
        resp->set_region_code(map.region_code);
        resp->set_as_of_date(map.as_of_date);
        ToProto(map.total, resp->mutable_total());
        for (const auto& t : map.tiles) ToProto(t, resp->add_tiles());
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::Event>* SupervisionService::WatchEvents(
    grpc::CallbackServerContext* ctx, const v1::WatchEventsRequest* req) {
  return StreamEvents(rpc_, ctx, events_, req, [](const Principal& caller) -> absl::Status {
    if (!SupervisionAccess::SeesEverything(caller)) {
      return PermissionDeniedError("ROLE_NOT_ALLOWED", "your role does not watch supervision");
    }
    return absl::OkStatus();
  });
}

}  // namespace rectify::supervision
