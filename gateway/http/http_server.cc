#include "gateway/http/http_server.h"

#include <array>
#include <chrono>
#include <deque>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "common/json_codec.h"
#include "common/logging.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr char kInternalError[] =
    R"({"error":{"code":500,"message":"the gateway failed on this request",)"
    R"("status":"INTERNAL","details":[]}})";

std::chrono::milliseconds Millis(absl::Duration d) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(d));
}

}  // namespace

class HttpServer::Session : public std::enable_shared_from_this<HttpServer::Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<HttpServer::Shared> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = endpoint.address().to_string();
    std::lock_guard lock(server_->mu);
    server_->sessions.insert(this);
  }
  ~Session() {
    {
      std::lock_guard lock(server_->mu);
      server_->sessions.erase(this);
    }
    server_->open.fetch_sub(1);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

  // From any thread: closes the connection if it waits for a request; one answering closes after.
  void Drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (self->streaming_) return self->StreamOver();
      if (!self->busy_) self->Close();
    });
  }

  void Answer(HttpResponse r) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), r = std::move(r)]() mutable {
      self->Write(std::move(r));
    });
  }

  const std::string& peer() const { return peer_; }

  // ---- Streamed answers (all on the connection's strand) ----
  void BeginStream(HttpResponse r, std::string heartbeat, std::function<void()> on_close) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), r = std::move(r),
                                        heartbeat = std::move(heartbeat),
                                        on_close = std::move(on_close)]() mutable {
      self->streaming_ = true;
      self->heartbeat_ = std::move(heartbeat);
      self->on_close_ = std::move(on_close);
      if (self->draining_ || self->server_->draining) return self->StreamOver();
      auto head = std::make_shared<http::response<http::empty_body>>(
          static_cast<http::status>(r.status), self->version_ == 0 ? 11 : self->version_);
      head->set(http::field::server, "rectify-gateway");
      if (!r.content_type.empty()) head->set(http::field::content_type, r.content_type);
      for (auto& [name, value] : r.headers) head->set(name, value);
      // A known length is sent as such (a download's progress bar), otherwise in chunks.
      self->chunked_ = head->find(http::field::content_length) == head->end();
      // (chunked() also drops Content-Length, so it is called only when chunked.)
      if (self->chunked_) head->chunked(true);
      head->keep_alive(false);
      auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
      self->stream_.expires_after(Millis(self->server_->limits.read_timeout));
      self->writing_ = true;  // pieces queued meanwhile wait for the head
      http::async_write_header(self->stream_, *serializer,
                               [self, head, serializer](beast::error_code ec, std::size_t) {
                                 self->writing_ = false;
                                 if (ec) return self->StreamOver();
                                 self->stream_.expires_never();
                                 self->WatchPeer();
                                 self->Beat();
                                 self->Flush();
                               });
    });
  }

  void Queue(std::string piece, std::function<void(bool)> sent) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), piece = std::move(piece),
                                        sent = std::move(sent)]() mutable {
      if (self->stream_over_) {
        if (sent) sent(false);
        return;
      }
      self->pieces_.emplace_back(std::move(piece), std::move(sent));
      self->Flush();
    });
  }

  void EndStream() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->finishing_ = true;
      self->Flush();
    });
  }

  void AbortStream() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->streaming_) self->StreamOver();
    });
  }

 private:
  void Flush() {
    if (writing_ || stream_over_ || !streaming_) return;
    if (pieces_.empty()) {
      if (!finishing_) return;
      if (!chunked_) return StreamOver();
      writing_ = true;
      stream_.expires_after(Millis(server_->limits.read_timeout));
      asio::async_write(stream_, http::make_chunk_last(),
                        [self = shared_from_this()](beast::error_code, std::size_t) {
                          self->writing_ = false;
                          self->StreamOver();
                        });
      return;
    }
    writing_ = true;
    auto piece = std::make_shared<std::pair<std::string, std::function<void(bool)>>>(
        std::move(pieces_.front()));
    pieces_.pop_front();
    last_write_ = std::chrono::steady_clock::now();
    // A client that stops reading is dropped when a write cannot finish in time.
    stream_.expires_after(Millis(server_->limits.read_timeout));
    auto written = [self = shared_from_this(), piece](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) {
        if (piece->second) piece->second(false);
        return self->StreamOver();
      }
      self->stream_.expires_never();
      if (piece->second) piece->second(true);
      self->Flush();
    };
    if (chunked_) {
      asio::async_write(stream_, http::make_chunk(asio::buffer(piece->first)), std::move(written));
    } else {
      asio::async_write(stream_, asio::buffer(piece->first), std::move(written));
    }
  }

  // Reads (and drops) whatever the client sends while it is streamed to: the read ends when
  // it goes away.
  void WatchPeer() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->StreamOver();
                              self->WatchPeer();
                            });
  }

  void Beat() {
    if (!timer_) timer_.emplace(stream_.get_executor());
    timer_->expires_after(Millis(server_->limits.stream_heartbeat));
    timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->stream_over_) return;
      auto idle = std::chrono::steady_clock::now() - self->last_write_;
      if (!self->heartbeat_.empty() && !self->writing_ && self->pieces_.empty() &&
          idle >= Millis(self->server_->limits.stream_heartbeat)) {
        self->pieces_.emplace_back(self->heartbeat_, nullptr);
        self->Flush();
      }
      self->Beat();
    });
  }

  void StreamOver() {
    if (stream_over_) return;
    stream_over_ = true;
    if (timer_) timer_->cancel();
    for (auto& [piece, sent] : pieces_) {
      if (sent) sent(false);
    }
    pieces_.clear();
    Close();
    if (auto on_close = std::move(on_close_)) on_close();
  }

  class SessionExchange : public Exchange {
   public:
    explicit SessionExchange(std::shared_ptr<Session> s) : session_(std::move(s)) {}
    ~SessionExchange() override {
      // Never answered (a handler bug): the client still gets an answer.
      if (!answered_.exchange(true)) {
        session_->Answer(HttpResponse{500,
                                      "application/json",
                                      {},
                                      R"({"error":{"code":500,"message":"no answer",)"
                                      R"("status":"INTERNAL","details":[]}})"});
      }
    }
    void Respond(HttpResponse response) override {
      if (answered_.exchange(true)) return;
      session_->Answer(std::move(response));
    }
    const std::string& peer() const override { return session_->peer(); }
    void StartStream(HttpResponse head, std::string heartbeat,
                     std::function<void()> on_close) override {
      if (answered_.exchange(true)) return;
      session_->BeginStream(std::move(head), std::move(heartbeat), std::move(on_close));
    }
    void Send(std::string piece, std::function<void(bool)> sent) override {
      session_->Queue(std::move(piece), std::move(sent));
    }
    void Finish() override { session_->EndStream(); }
    void Abort() override { session_->AbortStream(); }
    void ReadBody(BodyPiece on_piece) override { session_->ReadBodyPiece(std::move(on_piece)); }

   private:
    std::shared_ptr<Session> session_;
    std::atomic<bool> answered_{false};
  };

  // Between requests a kept-alive connection may idle (idle_timeout); once a request begins, it
  // must arrive whole within read_timeout.
  void Read() {
    if (first_ || buffer_.size() > 0) return ReadRequest();
    stream_.expires_after(Millis(server_->limits.idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadRequest();
                            });
  }

  // The headers first; then the body whole (most requests), or streamed to the handler.
  void ReadRequest() {
    head_parser_.emplace();
    head_parser_->header_limit(static_cast<std::uint32_t>(server_->limits.header_bytes));
    // The body's limit depends on the route, known once the headers are in (OnHeader).
    head_parser_->body_limit(
        std::max(server_->limits.body_bytes, server_->limits.streamed_body_bytes));
    stream_.expires_after(Millis(server_->limits.read_timeout));
    http::async_read_header(stream_, buffer_, *head_parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  static bool ClientGone(beast::error_code ec) {
    return ec == http::error::end_of_stream || ec == beast::error::timeout ||
           ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
           ec == asio::error::eof;
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    first_ = false;
    if (ClientGone(ec)) return Close();
    if (ec) return Refuse(ec);
    auto& head = head_parser_->get();
    version_ = head.version();
    bool expects_continue = absl::EqualsIgnoreCase(
        absl::string_view(head[http::field::expect].data(), head[http::field::expect].size()),
        "100-continue");
    if (server_->streams_body && server_->streams_body(head.base())) {
      HttpRequest request(head.base());
      size_t limit = server_->limits.streamed_body_bytes;
      if (head_parser_->content_length().value_or(0) > limit)
        return Refuse(http::error::body_limit);
      body_parser_.emplace(std::move(*head_parser_));
      body_parser_->body_limit(limit);
      continue_ = expects_continue;
      unread_body_ = !body_parser_->is_done();
      // The connection closes after the answer: the handler may answer before the body's end.
      return Dispatch(std::move(request), /*keep_alive=*/false);
    }
    if (head_parser_->content_length().value_or(0) > server_->limits.body_bytes) {
      return Refuse(http::error::body_limit);
    }
    parser_.emplace(std::move(*head_parser_));
    parser_->body_limit(server_->limits.body_bytes);
    if (parser_->is_done()) return OnRead({}, 0);
    auto read = [self = shared_from_this()] {
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       beast::bind_front_handler(&Session::OnRead, self));
    };
    if (!expects_continue) return read();
    WriteContinue(std::move(read));
  }

  // "100 Continue" to a client that waits for it before sending its body.
  template <typename Next>
  void WriteContinue(Next next) {
    auto interim =
        std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
    http::async_write(stream_, *interim,
                      [self = shared_from_this(), interim, next = std::move(next)](
                          beast::error_code ec, std::size_t) mutable {
                        if (ec) return self->Close();
                        next();
                      });
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ClientGone(ec)) return Close();
    if (ec) return Refuse(ec);
    HttpRequest request = parser_->release();
    Dispatch(std::move(request), request.keep_alive());
  }

  // Malformed or too large: say so, then close (the stream's framing is lost).
  void Refuse(beast::error_code ec) {
    unsigned status = 400;
    std::string why = ec.message();
    if (ec == http::error::body_limit) status = 413, why = "the body is too large";
    if (ec == http::error::header_limit) status = 431, why = "the headers are too large";
    keep_alive_ = false;
    busy_ = true;
    unread_body_ = true;
    nlohmann::json error = {{"error",
                             {{"code", status},
                              {"message", why},
                              {"status", status == 400 ? "INVALID_ARGUMENT" : "RESOURCE_EXHAUSTED"},
                              {"details", nlohmann::json::array()}}}};
    Write(HttpResponse{status, "application/json", {}, Dump(error)});
  }

  void Dispatch(HttpRequest&& request, bool keep_alive) {
    keep_alive_ = keep_alive && !draining_ && !server_->draining;
    busy_ = true;
    // A request being handled has no read deadline; the handler's own deadline bounds it.
    stream_.expires_never();
    auto exchange = std::make_shared<SessionExchange>(shared_from_this());
    try {
      server_->handler(std::move(request), exchange);
    } catch (const std::exception& e) {
      // A handler's bug answers this request, not the process.
      log::Error("handler threw", {{"what", e.what()}});
      exchange->Respond(HttpResponse{500, "application/json", {}, kInternalError});
    }
  }

  // ---- A streamed request body (on the connection's strand) ----
  void ReadBodyPiece(Exchange::BodyPiece on_piece) {
    asio::post(stream_.get_executor(), [self = shared_from_this(),
                                        on_piece = std::move(on_piece)]() mutable {
      if (!self->body_parser_) {
        return on_piece(absl::FailedPreconditionError("this request's body is not streamed"), "",
                        true);
      }
      if (self->body_parser_->is_done()) return on_piece(absl::OkStatus(), "", true);
      if (self->continue_) {
        self->continue_ = false;
        return self->WriteContinue(
            [self, on_piece = std::move(on_piece)]() mutable { self->ReadBodyPiece(on_piece); });
      }
      self->piece_.resize(self->server_->limits.body_piece_bytes);
      auto& body = self->body_parser_->get().body();
      body.data = self->piece_.data();
      body.size = self->piece_.size();
      self->stream_.expires_after(Millis(self->server_->limits.read_timeout));
      self->body_read_pending_ = true;
      http::async_read(
          self->stream_, self->buffer_, *self->body_parser_,
          [self, on_piece = std::move(on_piece)](beast::error_code ec, std::size_t) {
            self->body_read_pending_ = false;
            self->stream_.expires_never();
            if (ec == http::error::need_buffer) ec = {};
            if (ec) {
              self->body_parser_.reset();
              if (ec == http::error::body_limit) {
                return on_piece(absl::ResourceExhaustedError("the body is too large"), "", true);
              }
              if (ec == beast::error::timeout) {
                return on_piece(absl::DeadlineExceededError("the body came too slowly"), "", true);
              }
              if (ClientGone(ec))
                return on_piece(absl::CancelledError("the client went"), "", true);
              return on_piece(absl::InvalidArgumentError(ec.message()), "", true);
            }
            size_t got = self->piece_.size() - self->body_parser_->get().body().size;
            if (self->body_parser_->is_done()) self->unread_body_ = false;
            on_piece(absl::OkStatus(), self->piece_.substr(0, got), self->body_parser_->is_done());
          });
    });
  }

  void Write(HttpResponse r) {
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_ == 0 ? 11 : version_);
    response->set(http::field::server, "rectify-gateway");
    if (!r.content_type.empty()) response->set(http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) response->set(name, value);
    response->body() = std::move(r.body);
    response->keep_alive(keep_alive_ && !draining_ && !server_->draining);
    if (response->find(http::field::content_length) == response->end()) {
      response->prepare_payload();
    }
    stream_.expires_after(Millis(server_->limits.read_timeout));
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        self->busy_ = false;
                        if (ec) return self->Close();
                        if (!response->keep_alive()) return self->Linger();
                        self->Read();
                      });
  }

  // Closes after an answer given before the request's body was read (a 413, an upload the
  // service refused): the rest of the body is read and dropped for a few seconds first, since
  // closing with unread data would reset the connection, and the client could lose the answer.
  void Linger() {
    if (!unread_body_ || body_read_pending_) return Close();
    unread_body_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(Millis(std::min(server_->limits.read_timeout, absl::Seconds(5))));
    piece_.resize(64 * 1024);
    Discard();
  }
  void Discard() {
    stream_.async_read_some(asio::buffer(piece_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Discard();
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Shared> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> head_parser_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::buffer_body>> body_parser_;
  std::string piece_;               // a streamed body's piece being read
  bool continue_ = false;           // the client waits for "100 Continue" before its streamed body
  bool unread_body_ = false;        // the request's body was not read to its end
  bool body_read_pending_ = false;  // a streamed body's piece is being read
  std::string peer_;
  unsigned version_ = 11;
  // A streamed answer.
  bool streaming_ = false, writing_ = false, finishing_ = false, stream_over_ = false;
  bool chunked_ = true;
  std::string heartbeat_;
  std::function<void()> on_close_;
  std::deque<std::pair<std::string, std::function<void(bool)>>> pieces_;
  std::optional<asio::steady_timer> timer_;
  std::array<char, 512> scratch_;
  std::chrono::steady_clock::time_point last_write_ = std::chrono::steady_clock::now();
  bool keep_alive_ = true;
  bool first_ = true;
  bool busy_ = false;
  bool draining_ = false;
};

HttpServer::HttpServer(asio::io_context& io, Handler handler, HttpLimits limits,
                       StreamsBody streams_body)
    : io_(io), shared_(std::make_shared<Shared>()), acceptor_(asio::make_strand(io)) {
  shared_->handler = std::move(handler);
  shared_->streams_body = std::move(streams_body);
  shared_->limits = limits;
}

HttpServer::~HttpServer() = default;

absl::Status HttpServer::Listen(const std::string& host_port) {
  std::pair<std::string, std::string> hp = absl::StrSplit(host_port, absl::MaxSplits(':', 1));
  int port = 0;
  if (!absl::SimpleAtoi(hp.second, &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("listen address \"", host_port, "\""));
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(hp.first.empty() ? "0.0.0.0" : hp.first, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("listen host: ", ec.message()));
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("listen on ", host_port, ": ", ec.message()));
  port_ = acceptor_.local_endpoint().port();
  Accept();
  return absl::OkStatus();
}

void HttpServer::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || shared_->draining) return;
    if (!ec) {
      if (shared_->open.load() >= shared_->limits.max_connections) {
        // Over the cap: refused at once rather than queued.
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        shared_->open.fetch_add(1);
        auto session = std::make_shared<Session>(std::move(socket), shared_);
        session->Start();
      }
    }
    Accept();
  });
}

void HttpServer::Drain() {
  if (shared_->draining.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  // Taken under the lock, let go outside it: a session that ends here erases itself.
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(shared_->mu);
    for (Session* s : shared_->sessions) {
      if (auto alive = s->weak_from_this().lock()) open.push_back(std::move(alive));
    }
  }
  for (auto& s : open) s->Drain();
}

}  // namespace rectify::gateway
