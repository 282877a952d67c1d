// The frame every RPC runs in, on gRPC's callback API: authenticate the caller from metadata
// before anything else, bound the work by the call's deadline, run the blocking part (the
// handler) on the fixed set of worker threads, map its absl::Status to a grpc::Status in the one
// place that does it, and write one structured log line and the metrics for the call.
//
// No gRPC thread ever blocks: a unary call is admitted on the thread that received it and
// finished from a worker; streams (common/rpc_streams.h) hold no thread while they wait.
// Streams are capped per principal and in total; when the workers' queue or the stream cap is
// full the service reports itself NOT_SERVING in health until it has drained.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/blocking_workers.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace rectify {

class Metrics;

// The longest request_id a call may carry (printable ASCII).
inline constexpr size_t kMaxRequestIdLength = 128;

struct RpcLimits {
  // Threads for blocking work; size like the database pool (one connection per worker at most).
  int workers = 16;
  // Calls waiting for a worker beyond which new calls are refused (RESOURCE_EXHAUSTED), in all
  // and for one caller.
  int max_queued = 10000;
  int max_queued_per_caller = 1000;
  // Concurrent streams (uploads, downloads, exports, watches) per principal and in total.
  int streams_per_principal = 8;
  int streams_total = 1024;
  // How long a client stream may take to send its first message.
  absl::Duration first_message_timeout = absl::Seconds(10);
  // The longest a call may run when its client sets no earlier deadline.
  absl::Duration default_deadline = absl::Seconds(30);
  // The longest a stream (a watch, an upload, an export) may stay open.
  absl::Duration max_stream_duration = absl::Hours(24);
};

// Counts open streams per principal and in total.
class StreamLimiter {
 public:
  // Returns the slot with its release; release exactly once.
  class Slot {
   public:
    Slot() = default;
    Slot(StreamLimiter* limiter, std::string owner) : limiter_(limiter), owner_(std::move(owner)) {}
    Slot(Slot&& o) noexcept : limiter_(std::exchange(o.limiter_, nullptr)), owner_(o.owner_) {}
    Slot& operator=(Slot&& o) noexcept {
      Release();
      limiter_ = std::exchange(o.limiter_, nullptr);
      owner_ = std::move(o.owner_);
      return *this;
    }
    ~Slot() { Release(); }
    void Release() {
      if (limiter_) std::exchange(limiter_, nullptr)->Release(owner_);
    }

   private:
    StreamLimiter* limiter_ = nullptr;
    std::string owner_;
  };

  StreamLimiter(int per_principal, int total) : per_principal_(per_principal), total_(total) {}
  absl::StatusOr<Slot> Acquire(const std::string& owner);
  int open() const;
  void OnSaturationChange(std::function<void(bool)> listener);

 private:
  void Release(const std::string& owner);

  const int per_principal_;
  const int total_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> by_owner_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  bool saturated_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void(bool)> listener_ ABSL_GUARDED_BY(mu_);
};

class RpcRunner {
 public:
  using Handler = absl::AnyInvocable<absl::Status(const CallContext&)>;

  RpcRunner(JwtVerifier verifier, Metrics* metrics, const Clock& clock, RpcLimits limits = {});
  ~RpcRunner();
  // After the server stopped taking calls: finishes the workers, so that nothing a call holds
  // (a stream and what it captured of a service) is released after the services are gone.
  void StopWorkers();

  // A unary call: admitted here, `handler` run on a worker, finished from there. The handler
  // may use `request` and the response until it returns (gRPC keeps them until Finish).
  template <typename Request>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, absl::string_view method,
                                  const Request* request, Handler handler) const {
    absl::AnyInvocable<std::string()> fingerprint;
    absl::string_view request_id;
    if constexpr (requires { request->request_id(); }) {
      request_id = request->request_id();
      if (!request_id.empty()) {
        fingerprint = [request, method] { return FingerprintOf(method, *request); };
      }
    }
    return StartUnary(context, method, request_id, std::move(fingerprint), std::move(handler));
  }

  // ---- For streams (common/rpc_streams.h) ----

  // Authenticates from metadata and checks readiness; fills `call` (deadline capped by
  // `longest`). Reads no message.
  absl::Status Admit(grpc::CallbackServerContext* context, absl::Duration longest,
                     CallContext* call) const;
  absl::StatusOr<StreamLimiter::Slot> OpenStream(const Principal& principal) const;
  // Queues blocking work for the principal (see BlockingWorkers).
  absl::Status Submit(const Principal& principal, absl::Time deadline,
                      BlockingWorkers::Work work) const;
  // Metrics and the log line of a finished call; returns the status for the wire.
  grpc::Status Record(absl::string_view method, absl::Time start, const CallContext& call,
                      bool authenticated, const absl::Status& status) const;

  const Clock& clock() const { return clock_; }
  const RpcLimits& limits() const { return limits_; }
  // Until ready (and again while draining) calls are refused with UNAVAILABLE.
  void SetReady(bool ready);
  // Called with whether the service should report SERVING: ready and not saturated.
  void OnServingChange(std::function<void(bool serving)> listener);
  WorkerStats worker_stats() const { return workers_->Stats(); }
  int open_streams() const { return streams_.open(); }

  static std::string Fingerprint(absl::string_view method, absl::string_view request_bytes);
  // Whose calls are queued together and capped together: the whole principal.
  static std::string OwnerKey(const Principal& principal);

 private:
  template <typename Request>
  static std::string FingerprintOf(absl::string_view method, const Request& request) {
    // Deterministic serialisation: equal requests give equal fingerprints.
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      request.SerializeToCodedStream(&coded);
    }
    return Fingerprint(method, bytes);
  }

  grpc::ServerUnaryReactor* StartUnary(grpc::CallbackServerContext* context,
                                       absl::string_view method, absl::string_view request_id,
                                       absl::AnyInvocable<std::string()> fingerprint,
                                       Handler handler) const;
  // Verifies a token, remembering verified tokens until they expire: HMAC and JSON parsing are a
  // large part of a cheap call's cost, and clients reuse one token for many calls.
  absl::StatusOr<Principal> Authenticate(absl::string_view header, absl::Time now) const;
  void UpdateServing();

  JwtVerifier verifier_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, Principal> verified_ ABSL_GUARDED_BY(cache_mu_);
  Metrics* metrics_;
  const Clock& clock_;
  const RpcLimits limits_;
  std::atomic<bool> ready_{true};
  std::atomic<bool> workers_saturated_{false};
  std::atomic<bool> streams_saturated_{false};
  absl::Mutex listener_mu_;
  std::function<void(bool)> serving_listener_ ABSL_GUARDED_BY(listener_mu_);
  mutable StreamLimiter streams_;
  // Last member: destroyed (joined) first, while everything its work may touch still exists.
  std::unique_ptr<BlockingWorkers> workers_;
};

}  // namespace rectify
