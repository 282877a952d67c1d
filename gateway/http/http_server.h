// The gateway's HTTP/1.1 server on Boost.Beast: asynchronous (a slow or idle client holds a
// connection, never a thread), keep-alive, bounded headers and bodies, read and idle timeouts, a
// cap on connections, and a drain that lets answers in flight finish. What a request means is the
// handler's business: it gets the request and an Exchange to answer once, from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/http.hpp"

namespace rectify::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // A Content-Length among the headers is sent as it is (a HEAD's answer, whose body is empty);
  // otherwise the body's length.
  std::string body;
};

// One request's answer. Respond exactly once; the connection reads its next request after.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual void Respond(HttpResponse response) = 0;
  // Or a streamed answer (the connection closes after it): the head now, then each piece by
  // Send. Chunked, unless the head has a Content-Length. `on_close` runs once when the stream is
  // over for any reason: the client went away, a write failed or timed out, Finish or Abort.
  // While nothing is sent for the limits' stream_heartbeat, `heartbeat` (if any) is written (an
  // SSE comment, say).
  virtual void StartStream(HttpResponse head, std::string heartbeat,
                           std::function<void()> on_close) = 0;
  // `sent(ok)` runs on a server thread once the piece is written (false: the stream is over).
  // Send the next piece after the last one was written: a slow client slows its source.
  virtual void Send(std::string piece, std::function<void(bool ok)> sent) = 0;
  // Ends the streamed answer: complete after the pieces sent.
  virtual void Finish() = 0;
  // Ends it incomplete (the source failed midway): the connection closes without the last
  // chunk, so the client sees a truncated answer rather than a whole one.
  virtual void Abort() = 0;

  // A request whose body is streamed (see Handler): the next piece of it, at most
  // HttpLimits::body_piece_bytes, once read. `last` with the final piece (which may be empty).
  // A body over streamed_body_bytes ends with RESOURCE_EXHAUSTED, a client too slow to send a
  // piece within read_timeout with DEADLINE_EXCEEDED, one gone with CANCELLED, malformed
  // framing with INVALID_ARGUMENT. Ask for the next piece once done with this one: a slow
  // consumer slows the client.
  using BodyPiece = std::function<void(absl::Status status, std::string piece, bool last)>;
  virtual void ReadBody(BodyPiece on_piece) = 0;
  // The peer's address ("127.0.0.1"), for per-client limits.
  virtual const std::string& peer() const = 0;
};

// Called once a request has arrived. Its body is read whole first (body_bytes at most), unless
// `streams_body` says the handler reads it itself, piece by piece (Exchange::ReadBody): then the
// request comes with its headers only, as soon as they have arrived.
using Handler = std::function<void(HttpRequest&& request, std::shared_ptr<Exchange> exchange)>;
using RequestHead = boost::beast::http::request_header<>;
using StreamsBody = std::function<bool(const RequestHead& head)>;

struct HttpLimits {
  size_t header_bytes = 16 * 1024;
  size_t body_bytes = 1024 * 1024;
  // A streamed body (an upload), and the pieces it is read in.
  size_t streamed_body_bytes = size_t{64} << 20;
  size_t body_piece_bytes = size_t{1} << 20;
  // A whole request (headers and body) must arrive within this; a streamed body, each piece.
  absl::Duration read_timeout = absl::Seconds(15);
  // A kept-alive connection waits this long for its next request.
  absl::Duration idle_timeout = absl::Seconds(75);
  int max_connections = 10000;
  // A streamed answer writes its heartbeat after this long without a piece.
  absl::Duration stream_heartbeat = absl::Seconds(15);
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler handler, HttpLimits limits,
             StreamsBody streams_body = nullptr);
  ~HttpServer();

  // Binds "host:port" (port 0: any free one) and starts accepting.
  absl::Status Listen(const std::string& host_port);
  int port() const { return port_; }
  int open_connections() const { return shared_->open.load(); }
  // Stops accepting, closes idle connections, ends streamed answers, and lets each answer in
  // flight be written (its connection closes after).
  void Drain();

  class Session;

 private:
  void Accept();

  // What connections share with the server; they may outlive it (an answer still on its way
  // from a service when the server goes), so they hold it, not the server.
  struct Shared {
    Handler handler;
    StreamsBody streams_body;
    HttpLimits limits;
    std::atomic<int> open{0};
    std::atomic<bool> draining{false};
    std::mutex mu;
    std::set<Session*> sessions;  // each adds and removes itself
  };

  boost::asio::io_context& io_;
  std::shared_ptr<Shared> shared_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
};

}  // namespace rectify::gateway
