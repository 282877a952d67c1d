#include "common/event_proto.h"

#include <algorithm>
#include <deque>

#include "common/event_wire.h"
#include "common/proto_types.h"
#include "common/rpc_streams.h"

namespace rectify {

void ToProto(const OutboxEvent& e, v1::Event* out) {
  out->set_cursor(e.cursor);
  out->set_type(e.type);
  out->set_resource(e.resource);
  out->set_actor(e.actor);
  out->set_actor_org(e.actor_org);
  out->set_payload_json(e.payload_json);
  *out->mutable_create_time() = ToProtoTime(e.create_time);
}

OutboxEvent FromProto(const v1::Event& e) {
  OutboxEvent out;
  out.cursor = e.cursor();
  out.type = e.type();
  out.resource = e.resource();
  out.actor = e.actor();
  out.actor_org = e.actor_org();
  out.payload_json = e.payload_json();
  out.create_time = FromProtoTime(e.create_time());
  return out;
}

namespace {

// Reads a batch on a worker, writes it event by event, and when it has caught up subscribes to
// the log's next commit. Exactly one of these is under way at a time: a read, a write, a wait.
class EventWatch final : public grpc::ServerWriteReactor<v1::Event>, StreamCall {
 public:
  EventWatch(const RpcRunner& rpc, grpc::CallbackServerContext* context, EventLog& log,
             WatchOptions options)
      : StreamCall(rpc, context, "WatchEvents"), log_(log), options_(std::move(options)) {}

  void Begin(absl::AnyInvocable<absl::Status(const Principal&)> allow) {
    absl::Status status = Open();
    if (status.ok()) status = allow(call_.principal);
    if (status.ok() && options_.after_cursor < 0) {
      status = InvalidField("after_cursor", "must not be negative");
    }
    if (status.ok() && options_.from_now && options_.after_cursor != 0) {
      status = InvalidField("after_cursor", "must be 0 with from_now");
    }
    if (!status.ok()) return End(status);
    // Accepted: the client learns it now, not with the first event (which may be a while).
    StartSendInitialMetadata();
    cursor_ = options_.after_cursor;
    if (options_.from_now) {
      // Everything up to the horizon is settled: the stream starts after it, and says so first.
      cursor_ = log_.Horizon();
      v1::Event& bookmark = pending_.emplace_back();
      bookmark.set_cursor(cursor_);
      bookmark.set_type(kBookmarkEventType);
      return WriteNextOrWait();
    }
    Read();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return End(absl::CancelledError("the client went away"));
    WriteNextOrWait();
  }
  void OnCancel() override {
    int64_t id = subscription_.exchange(0);
    if (id != 0 && log_.Unsubscribe(id)) {
      // The wake will never run: finish here and drop the hold it kept.
      End(absl::CancelledError("the client cancelled the watch"));
      Release();
    }
  }
  void OnDone() override { Done(); }

 private:
  void Read() {
    RunOnWorker([this](absl::Status turn) { Fill(std::move(turn)); });
  }

  void Fill(absl::Status turn) {
    // Once finished, gRPC may be done with the call and its context: touch neither.
    if (finished()) return;
    if (!turn.ok()) return End(turn);
    if (cancelled()) return End(absl::CancelledError("the client cancelled the watch"));
    auto batch = log_.ReadAfter(cursor_, options_.batch_size, StepContext().deadline);
    if (!batch.ok()) return End(batch.status());
    for (const auto& event : *batch) {
      cursor_ = event.cursor;
      if (options_.types.empty() || std::find(options_.types.begin(), options_.types.end(),
                                              event.type) != options_.types.end()) {
        ToProto(event, &pending_.emplace_back());
      }
    }
    more_ = static_cast<int>(batch->size()) == options_.batch_size;
    WriteNextOrWait();
  }

  void WriteNextOrWait() {
    if (!pending_.empty()) {
      message_ = std::move(pending_.front());
      pending_.pop_front();
      IfOpen([this] { StartWrite(&message_); });
    } else if (more_) {
      Read();
    } else {
      Hold();  // released by the wake, or by OnCancel when it removes the wake
      int64_t id = log_.Subscribe(cursor_, [this] {
        subscription_ = 0;
        if (log_.IsShutdown()) {
          End(MakeError(absl::StatusCode::kUnavailable, "SHUTTING_DOWN",
                        "the service is shutting down; resume from the last cursor"));
        } else {
          Read();
        }
        Release();
      });
      // A wake that already ran left nothing to remove; OnCancel then finds id 0 or a stale id
      // that Unsubscribe does not know.
      if (id != 0) subscription_ = id;
      if (cancelled()) OnCancel();
    }
  }

  void End(const absl::Status& status) override {
    FinishOnce(status, [this](const grpc::Status& wire) { Finish(wire); });
  }

  EventLog& log_;
  const WatchOptions options_;
  int64_t cursor_ = 0;
  bool more_ = false;
  std::deque<v1::Event> pending_;
  v1::Event message_;
  std::atomic<int64_t> subscription_{0};
};

}  // namespace

grpc::ServerWriteReactor<v1::Event>* StreamEvents(
    const RpcRunner& rpc, grpc::CallbackServerContext* context, EventLog& log,
    const v1::WatchEventsRequest* request,
    absl::AnyInvocable<absl::Status(const Principal&)> allow) {
  WatchOptions options;
  options.after_cursor = request->after_cursor();
  options.from_now = request->from_now();
  options.types.assign(request->types().begin(), request->types().end());
  auto* watch = new EventWatch(rpc, context, log, std::move(options));
  watch->Begin(std::move(allow));
  return watch;
}

}  // namespace rectify
