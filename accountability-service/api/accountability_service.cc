#include "accountability-service/api/accountability_service.h"

#include "common/etag.h"
#include "common/event_proto.h"
#include "common/proto_types.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"

namespace rectify::accountability {

// The domain's enums are cast to and from the API's: every value must mean the same on both
// sides, or the build fails here.
static_assert(static_cast<int>(CaseState::kOpen) == v1::Case::OPEN);
static_assert(static_cast<int>(CaseState::kInvestigating) == v1::Case::INVESTIGATING);
static_assert(static_cast<int>(CaseState::kDecided) == v1::Case::DECIDED);
static_assert(static_cast<int>(CaseState::kClosed) == v1::Case::CLOSED);
static_assert(static_cast<int>(CaseState::kDismissed) == v1::Case::DISMISSED);
static_assert(v1::Case::State_MAX == static_cast<int>(CaseState::kDismissed));
static_assert(static_cast<int>(CaseSource::kTransfer) == v1::Case::TRANSFER);
static_assert(static_cast<int>(CaseSource::kLookBack) == v1::Case::LOOK_BACK);
static_assert(static_cast<int>(CaseSource::kInspection) == v1::Case::INSPECTION);
static_assert(static_cast<int>(CaseSource::kComplaint) == v1::Case::COMPLAINT);
static_assert(static_cast<int>(CaseSource::kOther) == v1::Case::OTHER);
static_assert(v1::Case::Source_MAX == kMaxCaseSource);
static_assert(static_cast<int>(FailureType::kIncomplete) == v1::Case::INCOMPLETE);
static_assert(static_cast<int>(FailureType::kInadequate) == v1::Case::INADEQUATE);
static_assert(static_cast<int>(FailureType::kLowStandard) == v1::Case::LOW_STANDARD);
static_assert(static_cast<int>(FailureType::kPerfunctory) == v1::Case::PERFUNCTORY);
static_assert(static_cast<int>(FailureType::kFalse) == v1::Case::FALSE);
static_assert(static_cast<int>(FailureType::kSuperficial) == v1::Case::SUPERFICIAL);
static_assert(v1::Case::FailureType_MAX == kMaxFailureType);
static_assert(v1::Sanction_MAX == kMaxSanction);
static_assert(static_cast<int>(SubjectKind::kOrg) == v1::Subject::ORG);
static_assert(static_cast<int>(SubjectKind::kOfficial) == v1::Subject::OFFICIAL);

void ToProto(const Case& c, v1::Case* out) {
  out->set_id(c.id);
  out->set_state(static_cast<v1::Case::State>(c.state));
  out->set_source(static_cast<v1::Case::Source>(c.source));
  for (int64_t i : c.issue_ids) out->add_issue_ids(i);
  for (auto f : c.failure_types) out->add_failure_types(static_cast<v1::Case::FailureType>(f));
  for (const auto& s : c.subjects) {
    auto* ps = out->add_subjects();
    ps->set_kind(static_cast<v1::Subject::Kind>(s.kind));
    ps->set_org_id(s.org_id);
    ps->set_name(s.name);
    ps->set_post(s.post);
    ps->set_sanction(static_cast<v1::Sanction>(s.sanction));
  }
  out->set_summary(c.summary);
  out->set_transfer_id(c.transfer_id);
  out->set_region_code(c.region_code);
  if (c.finding) {
    auto* f = out->mutable_finding();
    f->set_facts(c.finding->facts);
    for (auto t : c.finding->confirmed) f->add_confirmed(static_cast<v1::Case::FailureType>(t));
    for (const auto& e : c.finding->evidence_refs) f->add_evidence_refs(e);
    f->set_recorded_by(c.finding->recorded_by);
    *f->mutable_time() = ToProtoTime(c.finding->time);
  }
  out->set_decided_by(c.decided_by);
  out->set_decision_date(c.decision_date);
  out->set_dismissal_reason(c.dismissal_reason);
  for (const auto& r : c.reopens) {
    auto* pr = out->add_reopens();
    pr->set_issue_id(r.issue_id);
    pr->set_state(static_cast<v1::ReopenDelivery::State>(r.state));
    pr->set_attempts(r.attempts);
    pr->set_last_error(r.last_error);
  }
  *out->mutable_create_time() = ToProtoTime(c.create_time);
  *out->mutable_update_time() = ToProtoTime(c.update_time);
  out->set_etag(EtagOf(c.version));
}

Case FromProto(const v1::Case& in) {
  Case c;
  c.source = static_cast<CaseSource>(in.source());
  c.issue_ids.assign(in.issue_ids().begin(), in.issue_ids().end());
  for (int f : in.failure_types()) c.failure_types.push_back(static_cast<FailureType>(f));
  for (const auto& s : in.subjects()) {
    c.subjects.push_back({static_cast<SubjectKind>(s.kind()), s.org_id(), s.name(), s.post(), 0});
  }
  c.summary = in.summary();
  c.transfer_id = in.transfer_id();
  return c;
}

grpc::ServerUnaryReactor* AccountabilityService::OpenCase(grpc::CallbackServerContext* ctx,
                                                          const v1::OpenCaseRequest* req,
                                                          v1::Case* resp) {
  return rpc_.Unary(ctx, "OpenCase", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      if (!req->has_case_()) return InvalidField("case", "is required");
                      ASSIGN_OR_RETURN(Case c, docket_.OpenCase(call, FromProto(req->case_())));
                      ToProto(c, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* AccountabilityService::GetCase(grpc::CallbackServerContext* ctx,
                                                         const v1::GetCaseRequest* req,
                                                         v1::Case* resp) {
  return rpc_.Unary(ctx, "GetCase", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Case c, docket_.GetCase(call, req->id()));
                      ToProto(c, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* AccountabilityService::ListCases(grpc::CallbackServerContext* ctx,
                                                           const v1::ListCasesRequest* req,
                                                           v1::ListCasesResponse* resp) {
  return rpc_.Unary(
      ctx, "ListCases", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto page, docket_.ListCases(call, req->page_size(), req->page_token(), req->filter()));
        for (const auto& c : page.cases) ToProto(c, resp->add_cases());
        resp->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccountabilityService::StartInvestigation(
    grpc::CallbackServerContext* ctx, const v1::StartInvestigationRequest* req, v1::Case* resp) {
  return rpc_.Unary(
      ctx, "StartInvestigation", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Case c, docket_.StartInvestigation(call, req->id(), req->etag()));
        ToProto(c, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccountabilityService::RecordFinding(grpc::CallbackServerContext* ctx,
                                                               const v1::RecordFindingRequest* req,
                                                               v1::Case* resp) {
  return rpc_.Unary(
      ctx, "RecordFinding", req, [this, req, resp](const CallContext& call) -> absl::Status {
        Finding f;
        f.facts = req->finding().facts();
        for (int t : req->finding().confirmed()) f.confirmed.push_back(static_cast<FailureType>(t));
        f.evidence_refs.assign(req->finding().evidence_refs().begin(),
                               req->finding().evidence_refs().end());
        ASSIGN_OR_RETURN(Case c, docket_.RecordFinding(call, req->id(), f, req->etag()));
        ToProto(c, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccountabilityService::DecideCase(grpc::CallbackServerContext* ctx,
                                                            const v1::DecideCaseRequest* req,
                                                            v1::Case* resp) {
  return rpc_.Unary(ctx, "DecideCase", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      Decision d;
                      for (const auto& s : req->sanctions())
                        d.sanctions.push_back({s.subject_index(), s.sanction()});
                      d.decided_by = req->decided_by();
                      d.decision_date = req->decision_date();
                      ASSIGN_OR_RETURN(Case c, docket_.DecideCase(call, req->id(), d, req->etag()));
                      // Reopenings were stored with the decision; wake the dispatcher to deliver
                      // them now.
                      if (dispatcher_ && !c.reopens.empty()) dispatcher_->Notify();
                      ToProto(c, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* AccountabilityService::CloseCase(grpc::CallbackServerContext* ctx,
                                                           const v1::CloseCaseRequest* req,
                                                           v1::Case* resp) {
  return rpc_.Unary(ctx, "CloseCase", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(Case c, docket_.CloseCase(call, req->id(), req->etag()));
                      ToProto(c, resp);
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* AccountabilityService::DismissCase(grpc::CallbackServerContext* ctx,
                                                             const v1::DismissCaseRequest* req,
                                                             v1::Case* resp) {
  return rpc_.Unary(
      ctx, "DismissCase", req, [this, req, resp](const CallContext& call) -> absl::Status {
        ASSIGN_OR_RETURN(Case c, docket_.DismissCase(call, req->id(), req->reason(), req->etag()));
        ToProto(c, resp);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AccountabilityService::GetAccountabilityStats(
    grpc::CallbackServerContext* ctx, const v1::GetAccountabilityStatsRequest* req,
    v1::AccountabilityStats* resp) {
  return rpc_.Unary(ctx, "GetAccountabilityStats", req,
                    [this, req, resp](const CallContext& call) -> absl::Status {
                      ASSIGN_OR_RETURN(auto st, docket_.GetStats(call, req->region_code(),
                                                                 req->from_date(), req->to_date()));
                      resp->set_cases(st.cases);
                      resp->set_transferred_cases(st.transferred_cases);
                      resp->set_transferred_problems(st.transferred_problems);
                      resp->set_officials_held_accountable(st.officials_held_accountable);
                      resp->set_orgs_held_accountable(st.orgs_held_accountable);
                      PutCounts(st.by_region, resp->mutable_by_region());
                      PutCounts(st.by_failure_type, resp->mutable_by_failure_type());
                      PutCounts(st.by_sanction, resp->mutable_by_sanction());
                      PutCounts(st.by_source, resp->mutable_by_source());
                      PutCounts(st.by_state, resp->mutable_by_state());
                      return absl::OkStatus();
                    });
}

grpc::ServerWriteReactor<v1::Event>* AccountabilityService::WatchEvents(
    grpc::CallbackServerContext* ctx, const v1::WatchEventsRequest* req) {
  return StreamEvents(rpc_, ctx, events_, req, [](const Principal& caller) -> absl::Status {
    auto role = caller.role;
    if (role != Role::kService && role != Role::kOffice && role != Role::kDiscipline &&
        role != Role::kSupervisor) {
      return PermissionDeniedError("ROLE_NOT_ALLOWED", "your role does not watch case events");
    }
    return absl::OkStatus();
  });
}

}  // namespace rectify::accountability
