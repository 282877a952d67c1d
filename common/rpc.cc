#include "common/rpc.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/status.h"

namespace rectify {

// ---- StreamLimiter ------------------------------------------------------------------------------

absl::StatusOr<StreamLimiter::Slot> StreamLimiter::Acquire(const std::string& owner) {
  std::function<void(bool)> notify;
  absl::Status refused;
  {
    absl::MutexLock lock(&mu_);
    if (open_ >= total_) {
      refused = MakeError(
          absl::StatusCode::kResourceExhausted, "TOO_MANY_STREAMS",
          absl::StrCat("the service has ", total_, " streams open, its limit; retry with backoff"));
      if (!saturated_) {
        saturated_ = true;
        notify = listener_;
      }
    } else {
      int& mine = by_owner_[owner];
      if (mine >= per_principal_) {
        return MakeError(absl::StatusCode::kResourceExhausted, "TOO_MANY_STREAMS_FOR_CALLER",
                         absl::StrCat("a caller may keep at most ", per_principal_,
                                      " streams open at once; close one first"));
      }
      ++mine;
      ++open_;
      return Slot(this, owner);
    }
  }
  if (notify) notify(true);
  return refused;
}

void StreamLimiter::Release(const std::string& owner) {
  std::function<void(bool)> notify;
  {
    absl::MutexLock lock(&mu_);
    auto it = by_owner_.find(owner);
    if (it != by_owner_.end() && --it->second <= 0) by_owner_.erase(it);
    --open_;
    // Serving again once a tenth of the streams have closed, so the state does not flap.
    if (saturated_ && open_ <= total_ - std::max(1, total_ / 10)) {
      saturated_ = false;
      notify = listener_;
    }
  }
  if (notify) notify(false);
}

int StreamLimiter::open() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

void StreamLimiter::OnSaturationChange(std::function<void(bool)> listener) {
  absl::MutexLock lock(&mu_);
  listener_ = std::move(listener);
}

// ---- RpcRunner ----------------------------------------------------------------------------------

RpcRunner::RpcRunner(JwtVerifier verifier, Metrics* metrics, const Clock& clock, RpcLimits limits)
    : verifier_(std::move(verifier)),
      metrics_(metrics),
      clock_(clock),
      limits_(limits),
      streams_(limits.streams_per_principal, limits.streams_total),
      workers_(std::make_unique<BlockingWorkers>(limits.workers, limits.max_queued,
                                                 limits.max_queued_per_caller)) {
  workers_->OnSaturationChange([this](bool saturated) {
    workers_saturated_ = saturated;
    UpdateServing();
  });
  streams_.OnSaturationChange([this](bool saturated) {
    streams_saturated_ = saturated;
    UpdateServing();
  });
  if (metrics_) {
    metrics_->WatchRuntime([this] {
      auto w = workers_->Stats();
      RuntimeGauges g;
      g.workers = w.threads;
      g.workers_busy = w.busy;
      g.calls_queued = w.queued;
      g.calls_expired_in_queue = w.expired;
      g.calls_refused_busy = w.refused;
      g.streams_open = streams_.open();
      g.saturated = workers_saturated_ || streams_saturated_;
      return g;
    });
  }
}

RpcRunner::~RpcRunner() {
  workers_->OnSaturationChange(nullptr);
  streams_.OnSaturationChange(nullptr);
}

void RpcRunner::StopWorkers() { workers_->Stop(); }

void RpcRunner::SetReady(bool ready) {
  ready_ = ready;
  UpdateServing();
}

void RpcRunner::OnServingChange(std::function<void(bool)> listener) {
  absl::MutexLock lock(&listener_mu_);
  serving_listener_ = std::move(listener);
}

void RpcRunner::UpdateServing() {
  bool serving = ready_ && !workers_saturated_ && !streams_saturated_;
  absl::MutexLock lock(&listener_mu_);
  if (serving_listener_) serving_listener_(serving);
}

std::string RpcRunner::Fingerprint(absl::string_view method, absl::string_view request_bytes) {
  return crypto::Sha256Hex(absl::StrCat(method, "\n", request_bytes));
}

std::string RpcRunner::OwnerKey(const Principal& p) { return PrincipalKey(p); }

absl::StatusOr<Principal> RpcRunner::Authenticate(absl::string_view header, absl::Time now) const {
  constexpr size_t kMaxCachedTokens = 10000;
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = verified_.find(header);
    if (it != verified_.end()) {
      if (now < it->second.expires_at) return it->second;
      verified_.erase(it);
    }
  }
  ASSIGN_OR_RETURN(Principal p, verifier_.VerifyAuthorizationHeader(header, now));
  absl::MutexLock lock(&cache_mu_);
  if (verified_.size() >= kMaxCachedTokens) verified_.clear();
  verified_.emplace(std::string(header), p);
  return p;
}

absl::Status RpcRunner::Admit(grpc::CallbackServerContext* context, absl::Duration longest,
                              CallContext* call) const {
  absl::Time start = absl::Now();
  call->now = clock_.Now();
  call->deadline = start + longest;
  auto client_deadline = absl::FromChrono(context->deadline());
  if (client_deadline < call->deadline) call->deadline = client_deadline;
  if (!ready_) {
    return MakeError(absl::StatusCode::kUnavailable, "NOT_READY",
                     "the service is starting or shutting down; retry");
  }
  absl::string_view header;
  auto it = context->client_metadata().find("authorization");
  if (it != context->client_metadata().end()) header = {it->second.data(), it->second.size()};
  // Tokens expire in real time, whatever time the handlers are told it is.
  ASSIGN_OR_RETURN(call->principal, Authenticate(header, start));
  return absl::OkStatus();
}

absl::StatusOr<StreamLimiter::Slot> RpcRunner::OpenStream(const Principal& principal) const {
  return streams_.Acquire(OwnerKey(principal));
}

absl::Status RpcRunner::Submit(const Principal& principal, absl::Time deadline,
                               BlockingWorkers::Work work) const {
  return workers_->Submit(OwnerKey(principal), deadline, std::move(work));
}

grpc::Status RpcRunner::Record(absl::string_view method, absl::Time start, const CallContext& call,
                               bool authenticated, const absl::Status& status) const {
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (metrics_) metrics_->RecordRpc(method, status.code(), seconds);
  bool failed =
      status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown;
  if (failed || log::InfoEnabled()) {
    log::Fields fields = {{"rpc", std::string(method)},
                          {"code", absl::StatusCodeToString(status.code())},
                          {"latency_ms", seconds * 1000},
                          {"sub", call.principal.subject},
                          {"org", call.principal.org},
                          {"role", authenticated ? std::string(RoleName(call.principal.role)) : ""},
                          {"request_id", call.request_id}};
    if (!status.ok()) fields["error"] = std::string(status.message());
    if (failed) {
      log::Error("rpc", fields);
    } else {
      log::Info("rpc", fields);
    }
  }
  return ToGrpcStatus(status);
}

namespace {

// What a unary call carries from its admission to its worker.
struct UnaryCall {
  absl::string_view method;
  absl::Time start;
  CallContext call;
  absl::AnyInvocable<std::string()> fingerprint;
  RpcRunner::Handler handler;
};

}  // namespace

grpc::ServerUnaryReactor* RpcRunner::StartUnary(grpc::CallbackServerContext* context,
                                                absl::string_view method,
                                                absl::string_view request_id,
                                                absl::AnyInvocable<std::string()> fingerprint,
                                                Handler handler) const {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto unary = std::make_shared<UnaryCall>();
  unary->method = method;
  unary->start = absl::Now();
  unary->fingerprint = std::move(fingerprint);
  unary->handler = std::move(handler);
  absl::Status admitted = Admit(context, limits_.default_deadline, &unary->call);
  if (admitted.ok() && request_id.size() > kMaxRequestIdLength) {
    admitted = InvalidField("request_id",
                            absl::StrCat("must be at most ", kMaxRequestIdLength, " characters"));
  }
  bool authenticated = admitted.ok();
  if (admitted.ok()) {
    unary->call.request_id = std::string(request_id);
    admitted =
        Submit(unary->call.principal, unary->call.deadline,
               [this, context, reactor, unary](absl::Status turn) mutable {
                 absl::Status status = std::move(turn);
                 // A call whose client gave up while it waited does no work.
                 if (status.ok() && context->IsCancelled()) {
                   status = absl::CancelledError("the client cancelled the call");
                 }
                 if (status.ok()) {
                   CallContext& call = unary->call;
                   // A request_id belongs to its caller: another principal reusing it gets no one
                   // else's answer.
                   if (unary->fingerprint) {
                     call.request_fingerprint = crypto::Sha256Hex(
                         absl::StrCat(unary->fingerprint(), "\n", OwnerKey(call.principal)));
                   }
                   status = unary->handler(call);
                   if (status.ok() && context->IsCancelled()) {
                     status = absl::CancelledError("the client cancelled the call");
                   }
                 }
                 reactor->Finish(Record(unary->method, unary->start, unary->call, true, status));
               });
  }
  if (!admitted.ok()) {
    reactor->Finish(Record(method, unary->start, unary->call, authenticated, admitted));
  }
  return reactor;
}

}  // namespace rectify
