// Streaming calls on gRPC's callback API, framed like unary ones (common/rpc.h): the caller is
// authenticated from metadata before any message is read, each stream takes a slot of its
// principal's (and the service's) stream cap, blocking work runs on the workers, and a stream
// that waits (for the client, for a write to drain, for new events) holds no thread.
//
//   ProducerStream  server streaming: each next message is produced on a worker after the
//                   previous one was written, so a slow reader holds a slot, not a thread.
//   ConsumerStream  client streaming: the first message must arrive within a bound and is
//                   judged (scope, role) on a worker before any further message is read.
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/rpc.h"
#include "common/status.h"
#include "grpcpp/alarm.h"
#include "grpcpp/support/server_callback.h"

namespace rectify {

// What every streaming reactor shares: admission, the stream slot, finishing once with the
// call's log line and metrics, and a lifetime that outlasts work still queued for it.
class StreamCall {
 public:
  virtual ~StreamCall() = default;

 protected:
  StreamCall(const RpcRunner& rpc, grpc::CallbackServerContext* context, absl::string_view method)
      : rpc_(rpc), context_(context), method_(method), start_(absl::Now()) {}

  // Authenticates and takes a stream slot; on error the reactor must finish with it.
  absl::Status Open() {
    RETURN_IF_ERROR(rpc_.Admit(context_, rpc_.limits().max_stream_duration, &call_));
    authenticated_ = true;
    ASSIGN_OR_RETURN(slot_, rpc_.OpenStream(call_.principal));
    return absl::OkStatus();
  }
  // The context for one step of blocking work: the call's deadline capped per step.
  CallContext StepContext() const {
    CallContext step = call_;
    step.deadline = std::min(call_.deadline, absl::Now() + rpc_.limits().default_deadline);
    return step;
  }
  // Finishes the call with `status` (once); each reactor finishes in its own way.
  virtual void End(const absl::Status& status) = 0;

  // Runs `fn(turn)` on a worker, keeping this alive until it returns; when the workers refuse
  // it, the call ends with their refusal instead.
  void RunOnWorker(absl::AnyInvocable<void(absl::Status turn) &&> fn) {
    Hold();
    absl::Status queued = rpc_.Submit(call_.principal, StepContext().deadline,
                                      [this, fn = std::move(fn)](absl::Status turn) mutable {
                                        std::move(fn)(std::move(turn));
                                        Release();
                                      });
    if (!queued.ok()) {
      End(queued);
      Release();
    }
  }
  // Starts an operation (a read or a write) unless the call has finished.
  template <typename Start>
  bool IfOpen(Start start) {
    Hold();
    bool open;
    {
      absl::MutexLock lock(&op_mu_);
      open = !finished_;
      if (open) start();
    }
    Release();
    return open;
  }
  // Finishes the call once, with its log line and metrics; later calls do nothing.
  template <typename Finish>
  void FinishOnce(const absl::Status& status, Finish finish) {
    Hold();
    {
      absl::MutexLock lock(&op_mu_);
      if (!finished_) {
        finished_ = true;
        slot_.Release();
        finish(rpc_.Record(method_, start_, call_, authenticated_, status));
      }
    }
    Release();
  }
  // Whether the client cancelled; asked only while the call has not finished (afterwards gRPC may
  // have released the context), under the lock that Finish is called with.
  bool cancelled() {
    absl::MutexLock lock(&op_mu_);
    return !finished_ && context_->IsCancelled();
  }
  bool finished() {
    absl::MutexLock lock(&op_mu_);
    return finished_;
  }

  void Hold() {
    absl::MutexLock lock(&life_mu_);
    ++holds_;
  }
  void Release() {
    bool last;
    {
      absl::MutexLock lock(&life_mu_);
      last = --holds_ == 0 && done_;
    }
    if (last) delete this;
  }
  // From OnDone: gRPC is done with the call; delete once no work refers to it.
  void Done() {
    bool last;
    {
      absl::MutexLock lock(&life_mu_);
      done_ = true;
      last = holds_ == 0;
    }
    if (last) delete this;
  }

  const RpcRunner& rpc_;
  grpc::CallbackServerContext* const context_;
  const absl::string_view method_;
  const absl::Time start_;
  CallContext call_;

 private:
  bool authenticated_ = false;
  StreamLimiter::Slot slot_;
  absl::Mutex op_mu_;
  bool finished_ ABSL_GUARDED_BY(op_mu_) = false;
  absl::Mutex life_mu_;
  int holds_ ABSL_GUARDED_BY(life_mu_) = 0;
  bool done_ ABSL_GUARDED_BY(life_mu_) = false;
};

template <typename Message>
class ProducerStream final : public grpc::ServerWriteReactor<Message>, StreamCall {
 public:
  // On a worker: the next message, std::nullopt at the end, or the error that ends the stream.
  using Producer = absl::AnyInvocable<absl::StatusOr<std::optional<Message>>(const CallContext&)>;
  // On a worker, once, before anything is written: checks the call (permission, arguments) and
  // returns its producer.
  using Opener = absl::AnyInvocable<absl::StatusOr<Producer>(const CallContext&)>;

  static grpc::ServerWriteReactor<Message>* Start(const RpcRunner& rpc,
                                                  grpc::CallbackServerContext* context,
                                                  absl::string_view method, Opener open) {
    auto* stream = new ProducerStream(rpc, context, method, std::move(open));
    if (absl::Status opened = stream->Open(); !opened.ok()) {
      stream->End(opened);
    } else {
      stream->Produce();
    }
    return stream;
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(absl::CancelledError("the client went away"));
    } else {
      Produce();
    }
  }
  void OnDone() override { Done(); }

 private:
  ProducerStream(const RpcRunner& rpc, grpc::CallbackServerContext* context,
                 absl::string_view method, Opener open)
      : StreamCall(rpc, context, method), open_(std::move(open)) {}

  void Produce() {
    RunOnWorker([this](absl::Status turn) { Step(std::move(turn)); });
  }

  void Step(absl::Status turn) {
    // Once finished, gRPC may be done with the call and its context: touch neither.
    if (finished()) return;
    if (!turn.ok()) return End(turn);
    if (cancelled()) return End(absl::CancelledError("the client cancelled the call"));
    CallContext step = StepContext();
    if (!producer_) {
      auto producer = open_(step);
      if (!producer.ok()) return End(producer.status());
      producer_ = std::move(*producer);
    }
    auto next = producer_(step);
    if (!next.ok()) return End(next.status());
    if (!next->has_value()) return End(absl::OkStatus());
    message_ = std::move(**next);
    IfOpen([this] { this->StartWrite(&message_); });
  }

  void End(const absl::Status& status) override {
    FinishOnce(status, [this](const grpc::Status& wire) { this->Finish(wire); });
  }

  Opener open_;
  Producer producer_;
  Message message_;
};

template <typename Request, typename Response>
class ConsumerStream final : public grpc::ServerReadReactor<Request>, StreamCall {
 public:
  struct Hooks {
    // On a worker, with the first message: whether the stream may go on (scope, role, what the
    // message announces). Nothing after the first message is read before it says yes.
    absl::AnyInvocable<absl::Status(const CallContext&, const Request&)> first;
    // On gRPC's thread, so it must not block: takes each further message.
    absl::AnyInvocable<absl::Status(const Request&)> next;
    // On a worker, after the client has sent everything: does the work and fills the response.
    absl::AnyInvocable<absl::Status(const CallContext&, Response*)> finish;
  };

  static grpc::ServerReadReactor<Request>* Start(const RpcRunner& rpc,
                                                 grpc::CallbackServerContext* context,
                                                 absl::string_view method, Response* response,
                                                 Hooks hooks) {
    auto* stream = new ConsumerStream(rpc, context, method, response, std::move(hooks));
    if (absl::Status opened = stream->Open(); !opened.ok()) {
      stream->End(opened);
      return stream;
    }
    // The first message must come soon; the rest within the stream's deadline.
    stream->Arm(&stream->first_alarm_,
                std::min(stream->call_.deadline, absl::Now() + rpc.limits().first_message_timeout),
                "no first message arrived in time");
    stream->Arm(&stream->deadline_alarm_, stream->call_.deadline,
                "the stream's deadline passed before it ended");
    stream->IfOpen([stream] { stream->StartRead(&stream->request_); });
    return stream;
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      if (!has_first_) {
        return End(InvalidField("metadata", "the stream ended before its first message"));
      }
      // Into a response of our own: the client may cancel meanwhile, and gRPC frees the call's
      // (with `response_`) once it has finished. It is handed over only when finishing with OK.
      return Work([this](const CallContext& step) { return hooks_.finish(step, &result_); });
    }
    if (!has_first_) {
      has_first_ = true;
      first_alarm_.Cancel();  // set before the first read was started
      return Work(
          [this](const CallContext& step) -> absl::Status {
            RETURN_IF_ERROR(hooks_.first(step, request_));
            IfOpen([this] { this->StartRead(&request_); });
            return absl::OkStatus();
          },
          /*finish_on_ok=*/false);
    }
    if (absl::Status taken = hooks_.next(request_); !taken.ok()) return End(taken);
    IfOpen([this] { this->StartRead(&request_); });
  }
  void OnCancel() override { End(absl::CancelledError("the client cancelled the call")); }
  void OnDone() override { Done(); }

 private:
  ConsumerStream(const RpcRunner& rpc, grpc::CallbackServerContext* context,
                 absl::string_view method, Response* response, Hooks hooks)
      : StreamCall(rpc, context, method), response_(response), hooks_(std::move(hooks)) {}

  void Arm(grpc::Alarm* alarm, absl::Time when, const char* what) {
    Hold();
    ++armed_;
    alarm->Set(absl::ToChronoTime(when), [this, what](bool fired) {
      if (fired) End(MakeError(absl::StatusCode::kDeadlineExceeded, "STREAM_TIMEOUT", what));
      Release();
    });
  }

  void Work(absl::AnyInvocable<absl::Status(const CallContext&)> fn, bool finish_on_ok = true) {
    RunOnWorker([this, fn = std::move(fn), finish_on_ok](absl::Status turn) mutable {
      if (finished()) return;  // timed out or cancelled while it waited: store nothing
      if (turn.ok() && cancelled()) turn = absl::CancelledError("the client cancelled");
      if (turn.ok()) turn = fn(StepContext());
      if (!turn.ok() || finish_on_ok) End(turn);
    });
  }

  void End(const absl::Status& status) override {
    FinishOnce(status, [this](const grpc::Status& wire) {
      // Only alarms that were set may be cancelled; a fired or cancelled one ignores it.
      if (armed_ > 0) first_alarm_.Cancel();
      if (armed_ > 1) deadline_alarm_.Cancel();
      if (wire.ok()) *response_ = std::move(result_);
      this->Finish(wire);
    });
  }

  Response* response_;
  Response result_;
  Hooks hooks_;
  Request request_;
  bool has_first_ = false;
  int armed_ = 0;  // set once, before any callback can run
  grpc::Alarm first_alarm_;
  grpc::Alarm deadline_alarm_;
};

}  // namespace rectify
