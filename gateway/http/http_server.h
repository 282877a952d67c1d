// The gateway's HTTP/1.1 server on Boost.Beast: asynchronous (a slow or idle client holds a
// connection, never a thread), keep-alive, bounded headers and bodies, read and idle timeouts, a
// cap on connections, and a drain that lets answers in flight finish. What a request means is the
// handler's business: it gets the request and an Exchange to answer once, from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
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
  std::string body;
};

// One request's answer. Respond exactly once; the connection reads its next request after.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual void Respond(HttpResponse response) = 0;
  // Or a streamed answer (chunked, the connection closes after it): the head now, then each
  // piece by Send. `on_close` runs once when the stream is over for any reason: the client went
  // away, a write failed or timed out, or Finish. While nothing is sent for the limits'
  // stream_heartbeat, `heartbeat` is written (an SSE comment, say).
  virtual void StartStream(HttpResponse head, std::string heartbeat,
                           std::function<void()> on_close) = 0;
  // `sent(ok)` runs on a server thread once the piece is written (false: the stream is over).
  // Send the next piece after the last one was written: a slow client slows its source.
  virtual void Send(std::string piece, std::function<void(bool ok)> sent) = 0;
  virtual void Finish() = 0;
  // The peer's address ("127.0.0.1"), for per-client limits.
  virtual const std::string& peer() const = 0;
};

using Handler = std::function<void(HttpRequest&& request, std::shared_ptr<Exchange> exchange)>;

struct HttpLimits {
  size_t header_bytes = 16 * 1024;
  size_t body_bytes = 1024 * 1024;
  // A whole request (headers and body) must arrive within this.
  absl::Duration read_timeout = absl::Seconds(15);
  // A kept-alive connection waits this long for its next request.
  absl::Duration idle_timeout = absl::Seconds(75);
  int max_connections = 10000;
  // A streamed answer writes its heartbeat after this long without a piece.
  absl::Duration stream_heartbeat = absl::Seconds(15);
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler handler, HttpLimits limits);
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
