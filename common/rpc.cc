#include "common/rpc.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "common/status.h"

namespace rectify {

std::string RpcRunner::Fingerprint(absl::string_view method, absl::string_view request_bytes) {
  return crypto::Sha256Hex(absl::StrCat(method, "\n", request_bytes));
}

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

grpc::Status RpcRunner::Run(grpc::ServerContext* context, absl::string_view method,
                            absl::string_view request_id, absl::string_view fingerprint,
                            absl::FunctionRef<absl::Status(const CallContext&)> handler) const {
  absl::Time start = absl::Now();
  CallContext call;
  call.now = clock_.Now();
  call.request_id = std::string(request_id);
  call.request_fingerprint = std::string(fingerprint);
  call.deadline = start + default_deadline_;
  auto client_deadline = absl::FromChrono(context->deadline());
  if (client_deadline < call.deadline) call.deadline = client_deadline;

  absl::Status status;
  std::string header;
  auto it = context->client_metadata().find("authorization");
  if (it != context->client_metadata().end())
    header = std::string(it->second.data(), it->second.size());
  // Tokens expire in real time, whatever time the handlers are told it is.
  auto principal = Authenticate(header, absl::Now());
  if (!ready_) {
    status = MakeError(absl::StatusCode::kUnavailable, "NOT_READY",
                       "the service is starting or shutting down; retry");
  } else if (!principal.ok()) {
    status = principal.status();
  } else if (request_id.size() > 128) {
    status = InvalidField("request_id", "must be at most 128 characters");
  } else {
    call.principal = *std::move(principal);
    // A request_id belongs to its caller: another principal reusing it gets no one else's answer.
    if (!call.request_fingerprint.empty()) {
      call.request_fingerprint =
          crypto::Sha256Hex(absl::StrCat(call.request_fingerprint, "\n", call.principal.subject));
    }
    status = handler(call);
  }
  if (status.ok() && context->IsCancelled()) {
    status = absl::CancelledError("the client cancelled the call");
  }

  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (metrics_) metrics_->RecordRpc(method, status.code(), seconds);
  bool failed =
      status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown;
  if (failed || log::InfoEnabled()) {
    log::Fields fields = {
        {"rpc", std::string(method)},
        {"code", absl::StatusCodeToString(status.code())},
        {"latency_ms", seconds * 1000},
        {"sub", call.principal.subject},
        {"org", call.principal.org},
        {"role", principal.ok() ? std::string(RoleName(call.principal.role)) : ""},
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

}  // namespace rectify
