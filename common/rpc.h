// The frame every RPC handler runs in: authenticate the caller, bound the work by the call's
// deadline, run the handler, map its absl::Status to a grpc::Status in the one place that does
// it, and write one structured log line and the metrics for the call.
#pragma once

#include "absl/strings/string_view.h"
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/clock.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace rectify {

class Metrics;

struct CallContext {
  Principal principal;
  // When the work must be done: the client's deadline, capped by the server's default.
  absl::Time deadline;
  // The time the call is handled at; every timestamp a call writes uses it.
  absl::Time now;
  std::string request_id;
};

class RpcRunner {
 public:
  RpcRunner(JwtVerifier verifier, Metrics* metrics, const Clock& clock,
            absl::Duration default_deadline = absl::Seconds(30))
      : verifier_(std::move(verifier)),
        metrics_(metrics),
        clock_(clock),
        default_deadline_(default_deadline) {}

  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   absl::string_view request_id,
                   absl::FunctionRef<absl::Status(const CallContext&)> handler) const;

  template <typename Request>
  grpc::Status Unary(grpc::ServerContext* context, absl::string_view method,
                     const Request& request,
                     absl::FunctionRef<absl::Status(const CallContext&)> handler) const {
    if constexpr (requires { request.request_id(); }) {
      return Run(context, method, request.request_id(), handler);
    } else {
      return Run(context, method, "", handler);
    }
  }

  const Clock& clock() const { return clock_; }

 private:
  JwtVerifier verifier_;
  Metrics* metrics_;
  const Clock& clock_;
  absl::Duration default_deadline_;
};

}  // namespace rectify
