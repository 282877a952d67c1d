// The frame every RPC handler runs in: authenticate the caller, bound the work by the call's
// deadline, run the handler, map its absl::Status to a grpc::Status in the one place that does
// it, and write one structured log line and the metrics for the call.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace rectify {

class Metrics;

class RpcRunner {
 public:
  RpcRunner(JwtVerifier verifier, Metrics* metrics, const Clock& clock,
            absl::Duration default_deadline = absl::Seconds(30))
      : verifier_(std::move(verifier)),
        metrics_(metrics),
        clock_(clock),
        default_deadline_(default_deadline) {}

  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   absl::string_view request_id, absl::string_view fingerprint,
                   absl::FunctionRef<absl::Status(const CallContext&)> handler) const;

  template <typename Request>
  grpc::Status Unary(grpc::ServerContext* context, absl::string_view method, const Request& request,
                     absl::FunctionRef<absl::Status(const CallContext&)> handler) const {
    if constexpr (requires { request.request_id(); }) {
      if (request.request_id().empty()) return Run(context, method, "", "", handler);
      // Deterministic serialisation: equal requests give equal fingerprints.
      std::string bytes;
      {
        google::protobuf::io::StringOutputStream stream(&bytes);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        request.SerializeToCodedStream(&coded);
      }
      return Run(context, method, request.request_id(), Fingerprint(method, bytes), handler);
    } else {
      return Run(context, method, "", "", handler);
    }
  }

  const Clock& clock() const { return clock_; }
  // Until ready (and again while draining) calls are refused with UNAVAILABLE.
  void SetReady(bool ready) { ready_ = ready; }
  static std::string Fingerprint(absl::string_view method, absl::string_view request_bytes);

 private:
  // Verifies a token, remembering verified tokens until they expire: HMAC and JSON parsing are a
  // large part of a cheap call's cost, and clients reuse one token for many calls.
  absl::StatusOr<Principal> Authenticate(absl::string_view header, absl::Time now) const;

  JwtVerifier verifier_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, Principal> verified_ ABSL_GUARDED_BY(cache_mu_);
  Metrics* metrics_;
  const Clock& clock_;
  absl::Duration default_deadline_;
  std::atomic<bool> ready_{true};
};

}  // namespace rectify
