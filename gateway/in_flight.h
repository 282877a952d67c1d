// The calls and streams the gateway has under way. Their completions use the gateway (its routes,
// metrics, connections), so on shutdown it waits for them, and cancels what is still running when
// the wait is over.
#pragma once

#include <memory>
#include <set>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"

namespace rectify::gateway {

class InFlight {
  struct State {
    absl::Mutex mu;
    int under_way ABSL_GUARDED_BY(mu) = 0;
    std::set<grpc::ClientContext*> contexts ABSL_GUARDED_BY(mu);
  };

 public:
  // Held while one call or stream is under way; `context` (if any) may be cancelled meanwhile
  // and must outlive the ticket.
  class Ticket {
   public:
    Ticket(std::shared_ptr<State> state, grpc::ClientContext* context);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    std::shared_ptr<State> state_;
    grpc::ClientContext* context_;
  };

  std::unique_ptr<Ticket> Enter(grpc::ClientContext* context);
  // True when nothing was under way within `limit`.
  bool WaitIdle(absl::Duration limit);
  // Cancels every call and stream under way (their completions still run).
  void CancelAll();

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace rectify::gateway
