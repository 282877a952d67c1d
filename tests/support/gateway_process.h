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
#include "gateway/gateway_server.h"
#include "gtest/gtest.h"

namespace rectify::testing {

struct GatewayProcess {
  explicit GatewayProcess(const std::map<std::string, std::string>& addresses,
                          gateway::HttpLimits limits = {}, gateway::GatewayOptions options = {}) {
    gateway::GatewayConfig config;
    config.addresses = addresses;
    config.limits = limits;
    config.options = std::move(options);
    auto started = gateway::GatewayServer::Start(std::move(config));
    EXPECT_TRUE(started.ok()) << started.status();
    if (started.ok()) server = *std::move(started);
  }
  ~GatewayProcess() {
    // Answers still on their way from a service use the gateway: they land first.
    if (server != nullptr) server->Stop(absl::Seconds(5));
  }
  int port() const { return server->port(); }

  std::unique_ptr<gateway::GatewayServer> server;
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
    if (!body.empty() && !headers.count("Content-Type")) {
      req.set(http::field::content_type, "application/json");
    }
    req.body() = body;
    req.prepare_payload();
    if (req.method() == http::verb::unknown) req.method_string(method);
    boost::beast::error_code ec;
    http::write(stream_, req, ec);
    HttpAnswer out;
    if (ec) return out;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    if (method == "HEAD") parser.skip(true);  // an answer to HEAD has no body
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
