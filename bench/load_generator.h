// A closed-loop load generator: `in_flight` calls are kept in flight (each finished call starts
// the next) through gRPC's callback client API, so the generator needs no thread per call and
// takes as little of the machine's CPU from the servers it measures as it can. It runs a
// warm-up and then a measured period and reports requests per second and latency percentiles.
#pragma once

#include <functional>
#include <memory>
#include <string>

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

}  // namespace rectify::bench
