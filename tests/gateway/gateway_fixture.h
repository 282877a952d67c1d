// The gateway in front of the three services running in process on their test databases, and
// the raw HTTP helpers its tests share.
#pragma once

#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/accountability_process.h"
#include "tests/support/gateway_process.h"
#include "tests/support/issue_service_harness.h"
#include "tests/support/supervision_process.h"

namespace rectify::testing {

using nlohmann::json;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = IssueServiceHarness::Start(
        absl::FromCivil(absl::CivilSecond(2023, 3, 1, 9, 0, 0), absl::FixedTimeZone(8 * 3600)),
        RpcLimits{}, MaxEvidenceBytes());
    if (!h_) GTEST_SKIP();
    sup_db_ = TestDatabase::Create(SupervisionMigrations());
    acc_db_ = TestDatabase::Create(AccountabilityMigrations());
    if (!sup_db_ || !acc_db_) GTEST_SKIP();
    a_ = std::make_unique<AccountabilityProcess>(acc_db_->service_account(), h_->address(),
                                                 h_->clock());
    std::string acc = "127.0.0.1:" + std::to_string(a_->host.port());
    s_ = std::make_unique<SupervisionProcess>(sup_db_->service_account(), h_->address(), acc,
                                              h_->clock());
    addresses_ = {{"rectify.v1.IssueRegistry", h_->address()},
                  {"rectify.v1.Supervision", "127.0.0.1:" + std::to_string(s_->host.port())},
                  {"rectify.v1.Accountability", acc}};
    g_ = std::make_unique<GatewayProcess>(addresses_, Limits(), Options());
    office_ = "Bearer " + h_->Office();
  }
  virtual gateway::GatewayOptions Options() { return {}; }
  virtual int64_t MaxEvidenceBytes() { return kTestMaxEvidenceBytes; }
  virtual gateway::HttpLimits Limits() {
    gateway::HttpLimits l;
    l.body_bytes = 64 * 1024;
    l.header_bytes = 8 * 1024;
    return l;
  }

  HttpAnswer Call(const std::string& method, const std::string& target,
                  const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    if (!headers.count("Authorization")) headers["Authorization"] = office_;
    return HttpClient(g_->port()).Send(method, target, body, headers);
  }

  json CreateIssue(const std::string& key = "") {
    json issue = {{"title", "网关测试：城区黑臭水体"},
                  {"source", "FEEDBACK"},
                  {"category", "WATER"},
                  {"regionCode", "230102"},
                  {"measures", {{{"description", "截污纳管"}}}}};
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Idempotency-Key"] = key;
    auto r = Call("POST", "/v1/issues", issue.dump(), headers);
    EXPECT_EQ(r.status, 200u) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::unique_ptr<TestDatabase> sup_db_, acc_db_;
  std::unique_ptr<AccountabilityProcess> a_;
  std::unique_ptr<SupervisionProcess> s_;
  std::map<std::string, std::string> addresses_;
  std::unique_ptr<GatewayProcess> g_;
  std::string office_;
};

// Reads a server-sent event stream until it holds `events` events (or the server stops sending
// for ten seconds); returns what came, headers included.
inline std::string ReadEvents(int port, const std::string& target, const std::string& headers,
                              int events) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  timeval timeout{10, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n" + headers + "\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string out;
  char chunk[4096];
  auto count = [&] {
    int n = 0;
    for (size_t at = out.find("\nid: "); at != std::string::npos; at = out.find("\nid: ", at + 1)) {
      ++n;
    }
    return n;
  };
  boost::system::error_code ec;
  auto enough = [&] {
    return events == 0 ? out.find("\r\n\r\n") != std::string::npos : count() >= events;
  };
  while (!enough() && !ec) {
    size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
    out.append(chunk, n);
  }
  return out;
}

inline std::vector<int64_t> IdsIn(const std::string& text) {
  std::vector<int64_t> ids;
  for (size_t at = text.find("\nid: "); at != std::string::npos; at = text.find("\nid: ", at + 1)) {
    ids.push_back(std::stoll(text.substr(at + 5, text.find('\n', at + 5) - at - 5)));
  }
  return ids;
}

// A raw connection with a receive timeout: what the gateway sends until it closes (or ten
// seconds pass without a byte, which fails the caller's expectation).
struct RawConnection {
  explicit RawConnection(int port) : socket(io) {
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    timeval timeout{10, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  void Send(const std::string& bytes) { boost::asio::write(socket, boost::asio::buffer(bytes)); }
  // Reads until the peer closes; false when it did not within the timeout.
  bool ReadUntilClosed(std::string& out) {
    char chunk[4096];
    boost::system::error_code ec;
    while (!ec) {
      size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
      out.append(chunk, n);
    }
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }
  // Reads on until `out` holds `what`; false when the peer closed or stopped sending first.
  bool ReadUntil(const std::string& what, std::string& out) {
    char chunk[4096];
    boost::system::error_code ec;
    while (out.find(what) == std::string::npos && !ec) {
      size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
      out.append(chunk, n);
    }
    return out.find(what) != std::string::npos;
  }
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket;
};

}  // namespace rectify::testing
