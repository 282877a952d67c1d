#include "gateway/event_stream.h"

#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "gateway/transcode/http_response.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/stub_options.h"
#include "rectify/v1/events.pb.h"

namespace rectify::gateway {
namespace {

class EventStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
                          public std::enable_shared_from_this<EventStream> {
 public:
  EventStream(EventStreamCall call, std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics)
      : call_(std::move(call)), exchange_(std::move(exchange)), metrics_(metrics) {}

  // The connection is let go before the ticket (shutdown waits for tickets, then stops the
  // io_context the connection's socket needs), and the ticket before the context it names.
  ~EventStream() override {
    exchange_.reset();
    ticket_.reset();
  }

  void Start(grpc::GenericStub& stub) {
    self_ = shared_from_this();
    if (call_.in_flight != nullptr) ticket_ = call_.in_flight->Enter(&context_);
    if (!call_.authorization.empty()) context_.AddMetadata("authorization", call_.authorization);
    context_.AddMetadata("x-request-id", call_.request_id);
    std::string bytes = call_.request->SerializeAsString();
    grpc::Slice slice(bytes);
    request_ = grpc::ByteBuffer(&slice, 1);
    stub.PrepareBidiStreamingCall(&context_, call_.route->grpc_path, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartCall();
  }

  void OnReadInitialMetadataDone(bool ok) override {
    if (!ok) return;  // the call failed first: OnDone answers with its status
    Open();
    StartRead(&response_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended: OnDone follows
    v1::Event event;
    grpc::ProtoBufferReader reader(&response_);
    std::string data;
    if (!event.ParseFromZeroCopyStream(&reader) ||
        !google::protobuf::util::MessageToJsonString(event, &data).ok()) {
      context_.TryCancel();
      return;
    }
    std::string frame =
        absl::StrCat("id: ", event.cursor(), "\nevent: ", event.type(), "\ndata: ", data, "\n\n");
    // The write completes on a server thread, outside any reaction: the hold keeps the call
    // (and this) until the next read is started or the call is cancelled.
    AddHold();
    exchange_->Send(std::move(frame), [this](bool sent) {
      if (sent) {
        StartRead(&response_);
      } else {
        context_.TryCancel();
      }
      RemoveHold();
    });
  }

  void OnWriteDone(bool) override {}

  void OnDone(const grpc::Status& status) override {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    if (!opened_.load()) {
      // Refused before it was accepted: an ordinary HTTP error.
      metrics_.RecordRequest(Label(), static_cast<unsigned>(HttpStatusOf(status.error_code())), 0);
      exchange_->Respond(HttpResponse{static_cast<unsigned>(HttpStatusOf(status.error_code())),
                                      "application/json",
                                      {{"X-Request-Id", call_.request_id}},
                                      ErrorJson(status)});
    } else {
      if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
        // The stream ended on the service's side: the last word is an error event (the client
        // resumes from its last id).
        exchange_->Send(absl::StrCat("event: error\ndata: ", ErrorJson(status), "\n\n"), nullptr);
      }
      exchange_->Finish();
    }
    self_.reset();  // may delete this
  }

 private:
  std::string Label() const {
    return absl::StrCat(call_.route->http_method, " ", call_.route->path.text());
  }

  void Open() {
    opened_ = true;
    metrics_.RecordRequest(Label(), 200, 0);
    metrics_.StreamOpened();
    std::weak_ptr<EventStream> weak = weak_from_this();
    GatewayMetrics* metrics = &metrics_;
    exchange_->StartStream(HttpResponse{200,
                                        "text/event-stream; charset=utf-8",
                                        {{"Cache-Control", "no-cache"},
                                         {"X-Accel-Buffering", "no"},
                                         {"X-Request-Id", call_.request_id}},
                                        ""},
                           ": heartbeat\n\n", [weak, metrics] {
                             metrics->StreamClosed();
                             // The client went away (or the stream is over): stop the call if it
                             // still runs.
                             if (auto self = weak.lock()) {
                               std::lock_guard lock(self->mu_);
                               if (!self->done_) self->context_.TryCancel();
                             }
                           });
    // The retry hint and a first comment, so the client sees the stream open at once.
    exchange_->Send("retry: 3000\n: open\n\n", nullptr);
  }

  EventStreamCall call_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_, response_;
  std::shared_ptr<EventStream> self_;
  std::atomic<bool> opened_{false};
  std::mutex mu_;
  bool done_ = false;
  std::unique_ptr<InFlight::Ticket> ticket_;
};

}  // namespace

bool IsEventStream(const Route& route) {
  return route.server_streaming() && route.method->output_type() == v1::Event::descriptor();
}

void StartEventStream(grpc::GenericStub& stub, EventStreamCall call,
                      std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics) {
  auto stream = std::make_shared<EventStream>(std::move(call), std::move(exchange), metrics);
  stream->Start(stub);
}

}  // namespace rectify::gateway
