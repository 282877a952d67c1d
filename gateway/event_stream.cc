#include "gateway/event_stream.h"

#include <atomic>
#include <map>
#include <mutex>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/event_wire.h"
#include "common/json_codec.h"
#include "gateway/transcode/http_response.h"
#include "gateway/transcode/json_printer.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/alarm.h"
#include "grpcpp/support/client_callback.h"
#include "grpcpp/support/stub_options.h"
#include "nlohmann/json.hpp"
#include "rectify/v1/events.pb.h"

namespace rectify::gateway {
namespace {

constexpr char kHeartbeat[] = ": heartbeat\n\n";

// Where a watch's events go. Each call comes from a gRPC thread; `written` must be run once the
// event is written to the client (true) or cannot be (false): the next event is read only then.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // The service accepted the watch.
  virtual void Opened(size_t part) = 0;
  virtual void Deliver(size_t part, const v1::Event& event,
                       std::function<void(bool written)> written) = 0;
  // The watch is over: refused (`opened` false), ended by the service, or cancelled.
  virtual void Ended(size_t part, bool opened, const grpc::Status& status) = 0;
};

// One service's WatchEvents, read one event at a time into a sink.
class Watch final : public PacedStreamReader {
 public:
  Watch(std::shared_ptr<EventSink> sink, size_t part, InFlight* in_flight)
      : sink_(std::move(sink)), part_(part) {
    if (in_flight != nullptr) ticket_ = in_flight->Enter(&context_);
  }
  // The sink (and the connection it holds) goes before the ticket, the ticket before the
  // context it names: shutdown waits for tickets, then stops what the connection needs.
  ~Watch() override {
    sink_.reset();
    ticket_.reset();
  }

  // Prepared, to be started by Go (outside the caller's locks: a reaction may run inline).
  // Deletes itself when the call is over.
  static Watch* Create(grpc::GenericStub& stub, const StreamCall& call,
                       const google::protobuf::Message& request, std::shared_ptr<EventSink> sink,
                       size_t part) {
    auto* watch = new Watch(std::move(sink), part, call.in_flight);
    call.Prepare(watch->context_);
    watch->request_ = ToByteBuffer(request);
    stub.PrepareBidiStreamingCall(&watch->context_, call.route->grpc_path, grpc::StubOptions(),
                                  watch);
    return watch;
  }
  void Go() {
    StartWriteLast(&request_, grpc::WriteOptions());
    StartCall();
  }

  void Cancel() { context_.TryCancel(); }

  void OnReadInitialMetadataDone(bool ok) override {
    if (!ok) return;  // the call failed first: OnDone says how
    opened_ = true;
    sink_->Opened(part_);
    StartRead(&response_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended: OnDone follows
    v1::Event event;
    if (!FromByteBuffer(response_, event)) {
      context_.TryCancel();
      return;
    }
    sink_->Deliver(part_, event, ReadNextWhenWritten());
  }

  void OnWriteDone(bool) override {}

  void OnDone(const grpc::Status& status) override {
    sink_->Ended(part_, opened_.load(), status);
    delete this;
  }

 private:
  std::shared_ptr<EventSink> sink_;
  size_t part_;
  std::atomic<bool> opened_{false};
  std::unique_ptr<InFlight::Ticket> ticket_;
};

std::string EventJson(const v1::Event& event) { return PrintJson(event); }

HttpResponse StreamHead(const std::string& request_id) {
  return HttpResponse{
      200,
      "text/event-stream; charset=utf-8",
      {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}, {"X-Request-Id", request_id}},
      ""};
}

// ---- One service's events ----

class SingleStream final : public EventSink, public std::enable_shared_from_this<SingleStream> {
 public:
  SingleStream(StreamCall call, std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics)
      : call_(std::move(call)), exchange_(std::move(exchange)), metrics_(metrics) {}

  void Start(grpc::GenericStub& stub) {
    Watch* watch = Watch::Create(stub, call_, *call_.request, shared_from_this(), 0);
    {
      std::lock_guard lock(mu_);
      watch_ = watch;
    }
    watch->Go();
  }

  void Opened(size_t) override {
    metrics_.RecordRequest(call_.Label(), 200, 0);
    metrics_.StreamOpened();
    std::weak_ptr<SingleStream> weak = weak_from_this();
    GatewayMetrics* metrics = &metrics_;
    exchange_->StartStream(StreamHead(call_.request_id), kHeartbeat, [weak, metrics] {
      metrics->StreamClosed();
      // The client went away (or the stream is over): stop the call if it still runs.
      if (auto self = weak.lock()) self->CancelWatch();
    });
    // The retry hint and a first comment, so the client sees the stream open at once.
    exchange_->Send("retry: 3000\n: open\n\n", nullptr);
  }

  void Deliver(size_t, const v1::Event& event, std::function<void(bool)> written) override {
    exchange_->Send(absl::StrCat("id: ", event.cursor(), "\nevent: ", event.type(),
                                 "\ndata: ", EventJson(event), "\n\n"),
                    std::move(written));
  }

  void Ended(size_t, bool opened, const grpc::Status& status) override {
    {
      std::lock_guard lock(mu_);
      watch_ = nullptr;
    }
    if (!opened) {
      // Refused before it was accepted: an ordinary HTTP error.
      unsigned http = static_cast<unsigned>(HttpStatusOf(status.error_code()));
      metrics_.RecordRequest(call_.Label(), http, 0);
      exchange_->Respond(HttpResponse{
          http, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(status)});
      return;
    }
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      // The stream ended on the service's side: the last word is an error event (the client
      // resumes from its last id).
      exchange_->Send(absl::StrCat("event: error\ndata: ", ErrorJson(status), "\n\n"), nullptr);
    }
    exchange_->Finish();
  }

 private:
  void CancelWatch() {
    std::lock_guard lock(mu_);
    if (watch_ != nullptr) watch_->Cancel();
  }

  StreamCall call_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  std::mutex mu_;
  Watch* watch_ = nullptr;  // until Ended
};

// ---- Every service's events, merged ----

class MergedFeed final : public EventSink, public std::enable_shared_from_this<MergedFeed> {
 public:
  MergedFeed(std::vector<FeedSource> sources, const std::map<std::string, int64_t>& after,
             bool from_now, std::vector<std::string> types, StreamCall call,
             std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics)
      : call_(std::move(call)),
        exchange_(std::move(exchange)),
        metrics_(metrics),
        types_(std::move(types)) {
    for (auto& source : sources) {
      Part part;
      part.source = std::move(source);
      auto it = after.find(part.source.name);
      part.cursor = it == after.end() ? 0 : it->second;
      part.from_now = from_now;
      parts_.push_back(std::move(part));
    }
  }

  void Start() {
    std::vector<Watch*> opened;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < parts_.size(); ++i) opened.push_back(Open(i));
    }
    for (Watch* w : opened) w->Go();
  }

  void Opened(size_t i) override {
    std::lock_guard lock(mu_);
    parts_[i].state = Part::kOpen;
    parts_[i].failures = 0;
    if (started_) {
      Announce(i, "available", nullptr);
    } else {
      MaybeStart();
    }
  }

  void Deliver(size_t i, const v1::Event& event, std::function<void(bool)> written) override {
    std::lock_guard lock(mu_);
    parts_[i].cursor = event.cursor();
    if (event.type() == kBookmarkEventType) {
      // Where this service's part starts: the client's next Last-Event-ID, with no event.
      parts_[i].from_now = false;
      exchange_->Send(absl::StrCat("id: ", Cursors(), "\n\n"), std::move(written));
      return;
    }
    nlohmann::json data = nlohmann::json::parse(EventJson(event), nullptr, false);
    data["service"] = parts_[i].source.name;
    // The id names every service's cursor as of this event: Last-Event-ID resumes them all.
    exchange_->Send(
        absl::StrCat("id: ", Cursors(), "\nevent: ", event.type(), "\ndata: ", Dump(data), "\n\n"),
        std::move(written));
  }

  void Ended(size_t i, bool opened, const grpc::Status& status) override {
    std::lock_guard lock(mu_);
    Part& part = parts_[i];
    part.watch = nullptr;
    part.state = Part::kDown;
    if (closed_) {
      if (--running_ == 0) self_.reset();  // may delete this after the lock is let go
      return;
    }
    --running_;
    if (!opened) part.refusal = status;
    // A service that is down is tried again (backing off, up to a minute); one that refuses
    // this caller is not.
    bool retry = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                 status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                 status.error_code() == grpc::StatusCode::OK ||
                 status.error_code() == grpc::StatusCode::INTERNAL ||
                 status.error_code() == grpc::StatusCode::UNKNOWN;
    if (started_) {
      Announce(i, "unavailable", &status);
    } else {
      part.settled = true;
      MaybeStart();
      if (!started_ && closed_) return;
    }
    if (retry) Retry(i);
  }

 private:
  struct Part {
    FeedSource source;
    int64_t cursor = 0;
    bool from_now = false;  // until the service's bookmark says where it starts
    enum State { kDown, kOpening, kOpen } state = kDown;
    Watch* watch = nullptr;
    bool settled = false;  // opened or failed once, before the stream started
    int failures = 0;
    std::optional<grpc::Status> refusal;
    std::unique_ptr<grpc::Alarm> alarm;
  };

  // Under mu_; the caller starts the watch after letting go of it.
  Watch* Open(size_t i) {
    Part& part = parts_[i];
    part.state = Part::kOpening;
    v1::WatchEventsRequest request;
    if (part.from_now) {
      request.set_from_now(true);
    } else {
      request.set_after_cursor(part.cursor);
    }
    for (const auto& t : types_) request.add_types(t);
    StreamCall call{part.source.route, nullptr,         call_.authorization,
                    call_.request_id,  call_.in_flight, ""};
    ++running_;
    if (!self_) self_ = shared_from_this();
    part.watch = Watch::Create(*part.source.stub, call, request, shared_from_this(), i);
    return part.watch;
  }

  void Retry(size_t i) {
    Part& part = parts_[i];
    int failures = ++part.failures;
    absl::Duration wait =
        std::min(absl::Seconds(60), absl::Seconds(1) * (1 << std::min(6, failures - 1)));
    part.alarm = std::make_unique<grpc::Alarm>();
    std::weak_ptr<MergedFeed> weak = weak_from_this();
    part.alarm->Set(absl::ToChronoTime(absl::Now() + wait), [weak, i](bool fired) {
      auto self = weak.lock();
      if (!fired || !self) return;
      Watch* watch = nullptr;
      {
        std::lock_guard lock(self->mu_);
        if (!self->closed_ && self->parts_[i].state == Part::kDown) watch = self->Open(i);
      }
      if (watch != nullptr) watch->Go();
    });
  }

  // Once every part has opened or failed: the stream starts if any opened, else the first
  // refusal is the answer.
  void MaybeStart() {
    bool all = true, any_open = false;
    for (auto& p : parts_) {
      all = all && (p.settled || p.state == Part::kOpen);
      any_open = any_open || p.state == Part::kOpen;
    }
    if (!all) return;
    if (!any_open) {
      closed_ = true;
      grpc::Status refusal(grpc::StatusCode::UNAVAILABLE, "no service's events are available");
      for (auto& p : parts_) {
        if (p.refusal && p.refusal->error_code() != grpc::StatusCode::UNAVAILABLE) {
          refusal = *p.refusal;
          break;
        }
      }
      unsigned http = static_cast<unsigned>(HttpStatusOf(refusal.error_code()));
      metrics_.RecordRequest(call_.Label(), http, 0);
      exchange_->Respond(HttpResponse{
          http, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(refusal)});
      for (auto& p : parts_) p.alarm.reset();
      if (running_ == 0) self_.reset();
      return;
    }
    started_ = true;
    metrics_.RecordRequest(call_.Label(), 200, 0);
    metrics_.StreamOpened();
    std::weak_ptr<MergedFeed> weak = weak_from_this();
    GatewayMetrics* metrics = &metrics_;
    exchange_->StartStream(StreamHead(call_.request_id), kHeartbeat, [weak, metrics] {
      metrics->StreamClosed();
      if (auto self = weak.lock()) self->Close();
    });
    exchange_->Send("retry: 3000\n: open\n\n", nullptr);
    for (size_t i = 0; i < parts_.size(); ++i) {
      if (parts_[i].state != Part::kOpen) {
        grpc::Status s = parts_[i].refusal.value_or(grpc::Status());
        Announce(i, "unavailable", &s);
      }
    }
  }

  // A part's coming or going, as its own event (no id: it moves no cursor).
  void Announce(size_t i, const char* what, const grpc::Status* status) {
    nlohmann::json data = {{"service", parts_[i].source.name}};
    if (status != nullptr && !status->ok()) {
      data["error"] = nlohmann::json::parse(ErrorJson(*status), nullptr, false)["error"];
    }
    exchange_->Send(absl::StrCat("event: ", what, "\ndata: ", Dump(data), "\n\n"), nullptr);
  }

  std::string Cursors() const {
    std::vector<std::string> out;
    for (const auto& p : parts_) out.push_back(absl::StrCat(p.source.name, "=", p.cursor));
    return absl::StrJoin(out, ",");
  }

  // The client went: every watch is cancelled, no retry runs.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (auto& p : parts_) {
      p.alarm.reset();
      if (p.watch != nullptr) p.watch->Cancel();
    }
    if (running_ == 0) self_.reset();
  }

  StreamCall call_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  std::vector<std::string> types_;
  std::mutex mu_;
  std::vector<Part> parts_;
  int running_ = 0;
  bool started_ = false, closed_ = false;
  std::shared_ptr<MergedFeed> self_;  // while watches run or a retry waits
};

}  // namespace

bool IsEventStream(const Route& route) {
  return route.server_streaming() && route.method->output_type() == v1::Event::descriptor();
}

void StartEventStream(grpc::GenericStub& stub, StreamCall call, std::shared_ptr<Exchange> exchange,
                      GatewayMetrics& metrics) {
  auto stream = std::make_shared<SingleStream>(std::move(call), std::move(exchange), metrics);
  stream->Start(stub);
}

absl::StatusOr<std::map<std::string, int64_t>> ParseFeedCursors(
    absl::string_view text, const std::vector<FeedSource>& sources) {
  std::map<std::string, int64_t> out;
  if (text.empty()) return out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    int64_t cursor = 0;
    bool known = false;
    for (const auto& s : sources) known = known || s.name == kv.first;
    if (!known || !absl::SimpleAtoi(kv.second, &cursor) || cursor < 0 ||
        !out.emplace(std::string(kv.first), cursor).second) {
      return absl::InvalidArgumentError(
          "a feed's id: service=cursor pairs separated by commas, each service once");
    }
  }
  return out;
}

void StartMergedFeed(std::vector<FeedSource> sources, const std::map<std::string, int64_t>& after,
                     bool from_now, std::vector<std::string> types, StreamCall call,
                     std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics) {
  auto feed = std::make_shared<MergedFeed>(std::move(sources), after, from_now, std::move(types),
                                           std::move(call), std::move(exchange), metrics);
  feed->Start();
}

}  // namespace rectify::gateway
