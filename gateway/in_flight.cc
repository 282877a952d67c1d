#include "gateway/in_flight.h"

namespace rectify::gateway {

InFlight::Ticket::Ticket(std::shared_ptr<State> state, grpc::ClientContext* context)
    : state_(std::move(state)), context_(context) {
  absl::MutexLock lock(&state_->mu);
  ++state_->under_way;
  if (context_ != nullptr) state_->contexts.insert(context_);
}

InFlight::Ticket::~Ticket() {
  absl::MutexLock lock(&state_->mu);
  --state_->under_way;
  if (context_ != nullptr) state_->contexts.erase(context_);
}

std::unique_ptr<InFlight::Ticket> InFlight::Enter(grpc::ClientContext* context) {
  return std::make_unique<Ticket>(state_, context);
}

bool InFlight::WaitIdle(absl::Duration limit) {
  State& s = *state_;
  absl::MutexLock lock(&s.mu);
  auto idle = [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) { return s.under_way == 0; };
  return s.mu.AwaitWithTimeout(absl::Condition(&idle), limit);
}

void InFlight::CancelAll() {
  absl::MutexLock lock(&state_->mu);
  for (grpc::ClientContext* context : state_->contexts) context->TryCancel();
}

}  // namespace rectify::gateway
