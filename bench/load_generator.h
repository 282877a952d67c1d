// A closed-loop load generator: `in_flight` calls are kept in flight (each finished call starts
// the next) through gRPC's callback client API, so the generator needs no thread per call and
// takes as little of the machine's CPU from the servers it measures as it can. It runs a
// warm-up and then a measured period and reports requests per second and latency percentiles.
// HttpClient drives HTTP/1.1 servers (the gateway) through the same loop, one kept-alive
// connection per call in flight, so that both sides of a comparison are measured alike.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace rectify::bench {

struct LoadOptions {
  int in_flight = 16;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
};

struct LoadResult {
  double requests_per_second = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  int64_t ok = 0;
  int64_t errors = 0;
  std::string first_error;
};

using Done = std::function<void(const grpc::Status&)>;
// `start(slot, n, done)` starts the n-th call of a slot and arranges for `done` to be called
// with its status; it must not block.
using StartCall = std::function<void(int slot, int64_t n, Done done)>;

LoadResult RunLoad(const LoadOptions& options, const StartCall& start);

// Starts one unary call through a stub's async() interface; the context, request and response
// live until the call completes.
template <typename Request, typename Response, typename Method>
void StartUnary(Request request, const std::function<void(grpc::ClientContext&)>& prepare,
                Method method, Done done) {
  struct Call {
    grpc::ClientContext context;
    Request request;
    Response response;
  };
  auto call = std::make_shared<Call>();
  call->request = std::move(request);
  prepare(call->context);
  method(&call->context, &call->request, &call->response,
         [call, done = std::move(done)](grpc::Status status) { done(status); });
}

// HTTP/1.1 over `connections` kept-alive connections, the n-th carrying slot n's calls (at most
// one at a time, as RunLoad starts them), on asynchronous sockets served by `threads` threads:
// like gRPC's callback API, no thread per connection. A connection the server closes is opened
// again by its slot's next call.
class HttpClient {
 public:
  struct Options {
    std::string address;        // host:port
    int connections = 16;       // one per call in flight
    int threads = 1;            // threads serving the sockets
    std::string authorization;  // sent on every request when not empty
    absl::Duration deadline = absl::Seconds(10);
  };
  // Connects every connection before it returns, so that a measurement does not include them.
  static absl::StatusOr<std::unique_ptr<HttpClient>> Connect(const Options& options);
  ~HttpClient();

  // Starts one request on connection `slot` (a JSON body when `body` is not empty); `done` gets
  // OK for a 2xx answer, else the status and the start of the body. Must not be called again for
  // the slot before `done` was.
  void Start(int slot, const std::string& method, std::string target, std::string body, Done done);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Connections that a server has seen (each opened, sent one GET of `target` and read its
// answer, kept alive) and that then stay silent: what many idle browsers cost a server while it
// serves others. The process's open-file limit is raised to its hard limit first.
class IdleConnections {
 public:
  static absl::StatusOr<std::unique_ptr<IdleConnections>> Open(const std::string& address,
                                                               int count,
                                                               const std::string& target);
  ~IdleConnections();
  // How many are still open (the server has not closed them).
  int StillOpen() const;
  int count() const;

 private:
  struct Impl;
  explicit IdleConnections(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rectify::bench
