// The gateway in a test: its routes, backends and HTTP server on a free port, served by two
// threads; and a small keep-alive HTTP/1.1 client to call it with.
#pragma once

#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gateway/backends.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/routing/route_table.h"
#include "gtest/gtest.h"

namespace rectify::testing {

struct GatewayProcess {
  explicit GatewayProcess(const std::map<std::string, std::string>& addresses,
                          gateway::HttpLimits limits = {})
      : routes(Routes(addresses)),
        backends(addresses),
        handler(routes, backends, metrics, gateway::GatewayOptions{}),
        server(
            io,
            [this](gateway::HttpRequest&& r, std::shared_ptr<gateway::Exchange> e) {
              handler.Handle(std::move(r), std::move(e));
            },
            limits),
        work(boost::asio::make_work_guard(io)) {
    metrics.WatchConnections([this] { return server.open_connections(); });
    EXPECT_TRUE(server.Listen("127.0.0.1:0").ok());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~GatewayProcess() {
    server.Drain();
    // Answers still on their way from a service use the gateway: let them land first.
    if (!handler.in_flight().WaitIdle(absl::Seconds(5))) {
      handler.in_flight().CancelAll();
      EXPECT_TRUE(handler.in_flight().WaitIdle(absl::Seconds(30)));
    }
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
  }
  static gateway::RouteTable Routes(const std::map<std::string, std::string>& addresses) {
    std::vector<std::string> services;
    for (const auto& [s, a] : addresses) services.push_back(s);
    auto table = gateway::RouteTable::FromServices(services);
    EXPECT_TRUE(table.ok()) << table.status();
    return *std::move(table);
  }
  int port() const { return server.port(); }

  gateway::RouteTable routes;
  gateway::Backends backends;
  gateway::GatewayMetrics metrics;
  gateway::Gateway handler;
  boost::asio::io_context io;
  gateway::HttpServer server;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::vector<std::thread> threads;
};

struct HttpAnswer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One keep-alive connection; reconnects when the server closed it.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port), stream_(io_) {}

  HttpAnswer Send(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    if (!stream_.socket().is_open() && !Connect()) return {};
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    if (req.method() == http::verb::unknown) req.method_string(method);
    boost::beast::error_code ec;
    http::write(stream_, req, ec);
    HttpAnswer out;
    if (ec) return out;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream_, buffer_, parser, ec);
    if (ec) {
      stream_.close();
      return out;
    }
    auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
    out.body = res.body();
    if (!res.keep_alive()) stream_.close();
    return out;
  }

  // Raw bytes in, whatever comes back until the server closes (or 1 MiB).
  std::string Raw(const std::string& bytes) {
    if (!Connect()) return "";
    boost::beast::error_code ec;
    boost::asio::write(stream_.socket(), boost::asio::buffer(bytes), ec);
    std::string out;
    char chunk[4096];
    while (!ec && out.size() < (1 << 20)) {
      size_t n = stream_.socket().read_some(boost::asio::buffer(chunk), ec);
      out.append(chunk, n);
    }
    stream_.close();
    return out;
  }

 private:
  bool Connect() {
    boost::asio::ip::tcp::resolver resolver(io_);
    stream_.close();
    boost::beast::error_code ec;
    stream_.connect(resolver.resolve("127.0.0.1", std::to_string(port_)), ec);
    if (ec) return false;  // refused: nothing listens (Send answers status 0)
    // A gateway that stops answering fails the test instead of hanging it.
    timeval timeout{10, 0};
    setsockopt(stream_.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(stream_.socket().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    buffer_.clear();
    return true;
  }

  int port_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace rectify::testing
