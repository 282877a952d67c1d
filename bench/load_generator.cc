#include "bench/load_generator.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace rectify::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// One slot: a chain of calls, each started when the previous one finished.
struct Slot {
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;
  int64_t n = 0;
  absl::Time started;
};

// host:port, resolved once.
absl::StatusOr<tcp::resolver::results_type> Resolve(asio::io_context& io,
                                                    const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("\"", address, "\" is not host:port"));
  }
  beast::error_code ec;
  auto endpoints =
      tcp::resolver(io).resolve(address.substr(0, colon), address.substr(colon + 1), ec);
  if (ec) return absl::UnavailableError(absl::StrCat("resolving ", address, ": ", ec.message()));
  return endpoints;
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const StartCall& start) {
  const absl::Time begin = absl::Now();
  const absl::Time measure_from = begin + options.warmup;
  const absl::Time stop = measure_from + options.duration;
  std::vector<Slot> slots(options.in_flight);
  absl::Mutex mu;
  int running = options.in_flight;

  std::function<void(int)> next = [&](int s) {
    Slot& slot = slots[s];
    slot.started = absl::Now();
    if (slot.started >= stop) {
      absl::MutexLock lock(&mu);
      --running;
      return;
    }
    start(s, slot.n++, [&, s](const grpc::Status& status) {
      Slot& mine = slots[s];
      absl::Time end = absl::Now();
      if (mine.started >= measure_from) {
        if (status.ok()) {
          mine.latencies_ms.push_back(absl::ToDoubleMilliseconds(end - mine.started));
        } else {
          if (mine.errors++ == 0) mine.first_error = status.error_message();
        }
      }
      next(s);
    });
  };
  for (int s = 0; s < options.in_flight; ++s) {
    slots[s].latencies_ms.reserve(100000);
    next(s);
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* r) { return *r == 0; }, &running));
  }

  std::vector<double> all;
  LoadResult r;
  for (auto& slot : slots) {
    all.insert(all.end(), slot.latencies_ms.begin(), slot.latencies_ms.end());
    r.errors += slot.errors;
    if (r.first_error.empty()) r.first_error = slot.first_error;
  }
  std::sort(all.begin(), all.end());
  r.ok = static_cast<int64_t>(all.size());
  r.requests_per_second = r.ok / absl::ToDoubleSeconds(options.duration);
  auto pct = [&](double p) {
    return all.empty() ? 0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  r.p50_ms = pct(0.50);
  r.p90_ms = pct(0.90);
  r.p99_ms = pct(0.99);
  r.max_ms = all.empty() ? 0 : all.back();
  return r;
}

// ---- HttpClient ----

struct HttpClient::Impl {
  // One slot's connection; its operations run on its strand, one request at a time.
  struct Connection {
    explicit Connection(asio::io_context& io) : stream(asio::make_strand(io)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    bool open = false;
    Done done;
  };

  Options options;
  std::string host;  // the Host header
  asio::io_context io;
  tcp::resolver::results_type endpoints;
  std::vector<std::unique_ptr<Connection>> connections;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;

  void Opened(Connection& c) {
    c.open = true;
    c.buffer.clear();
    // As gRPC does: a request written in pieces must not wait for the previous one's ACK.
    beast::error_code ignored;
    c.stream.socket().set_option(tcp::no_delay(true), ignored);
  }

  void Close(Connection& c) {
    beast::error_code ignored;
    c.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    c.stream.close();
    c.open = false;
  }

  void Complete(Connection& c, grpc::Status status) {
    Done done = std::move(c.done);
    done(status);  // may start the slot's next request at once
  }

  void Fail(Connection& c, beast::error_code ec) {
    Close(c);
    Complete(c, grpc::Status(ec == beast::error::timeout ? grpc::StatusCode::DEADLINE_EXCEEDED
                                                         : grpc::StatusCode::UNAVAILABLE,
                             ec.message()));
  }

  void Connect(Connection& c) {
    c.stream.expires_after(std::chrono::microseconds(absl::ToInt64Microseconds(options.deadline)));
    c.stream.async_connect(endpoints, [this, &c](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return Fail(c, ec);
      Opened(c);
      Send(c);
    });
  }

  void Send(Connection& c) {
    // The deadline covers the whole exchange, as a gRPC call's does.
    c.stream.expires_after(std::chrono::microseconds(absl::ToInt64Microseconds(options.deadline)));
    http::async_write(c.stream, c.request, [this, &c](beast::error_code ec, size_t) {
      if (ec) return Fail(c, ec);
      c.response = {};
      http::async_read(c.stream, c.buffer, c.response, [this, &c](beast::error_code ec, size_t) {
        if (ec) return Fail(c, ec);
        c.stream.expires_never();
        unsigned code = c.response.result_int();
        grpc::Status status;
        if (code / 100 != 2) {
          status =
              grpc::Status(grpc::StatusCode::UNKNOWN,
                           absl::StrCat("HTTP ", code, ": ", c.response.body().substr(0, 300)));
        }
        if (!c.response.keep_alive()) Close(c);
        Complete(c, status);
      });
    });
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() {
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
}

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Connect(const Options& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->host = options.address;
  auto endpoints = Resolve(impl->io, options.address);
  if (!endpoints.ok()) return endpoints.status();
  impl->endpoints = *std::move(endpoints);
  for (int i = 0; i < options.connections; ++i) {
    auto c = std::make_unique<Impl::Connection>(impl->io);
    beast::error_code ec;
    c->stream.socket().open(impl->endpoints.begin()->endpoint().protocol(), ec);
    if (!ec) c->stream.socket().connect(impl->endpoints.begin()->endpoint(), ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("connecting to ", options.address, ": ", ec.message()));
    }
    impl->Opened(*c);
    impl->connections.push_back(std::move(c));
  }
  impl->work.emplace(impl->io.get_executor());
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

void HttpClient::Start(int slot, const std::string& method, std::string target, std::string body,
                       Done done) {
  Impl& impl = *impl_;
  Impl::Connection& c = *impl.connections[slot];
  c.request = {};
  c.request.method_string(method);
  c.request.target(target);
  c.request.version(11);
  c.request.set(http::field::host, impl.host);
  if (!impl.options.authorization.empty()) {
    c.request.set(http::field::authorization, impl.options.authorization);
  }
  if (!body.empty()) {
    c.request.set(http::field::content_type, "application/json");
    c.request.body() = std::move(body);
  }
  c.request.prepare_payload();
  c.done = std::move(done);
  asio::dispatch(c.stream.get_executor(), [&impl, &c] {
    if (c.open) return impl.Send(c);
    impl.Connect(c);
  });
}

// ---- IdleConnections ----

struct IdleConnections::Impl {
  asio::io_context io;
  std::vector<tcp::socket> sockets;
};

IdleConnections::IdleConnections(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IdleConnections::~IdleConnections() = default;

int IdleConnections::count() const { return static_cast<int>(impl_->sockets.size()); }

int IdleConnections::StillOpen() const {
  int open = 0;
  for (auto& s : impl_->sockets) {
    // A closed connection reads as its end (0); an open, silent one has nothing to read yet.
    char byte;
    ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) ++open;
  }
  return open;
}

absl::StatusOr<std::unique_ptr<IdleConnections>> IdleConnections::Open(const std::string& address,
                                                                       int count,
                                                                       const std::string& target) {
  // Thousands of sockets need more than the usual soft limit of 1024 descriptors.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      limit.rlim_cur < static_cast<rlim_t>(count) + 256) {
    return absl::ResourceExhaustedError(absl::StrCat(
        count, " idle connections need more open files than the limit, ", limit.rlim_cur));
  }
  auto impl = std::make_unique<Impl>();
  auto endpoints = Resolve(impl->io, address);
  if (!endpoints.ok()) return endpoints.status();

  // A few opened at a time: a burst of thousands would overflow the server's accept backlog and
  // leave the rest to SYN retries.
  constexpr int kOpening = 64;
  struct Opening {
    explicit Opening(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    http::response<http::string_body> response;
  };
  int started = 0;
  absl::Status failed;
  std::function<void()> open_next = [&] {
    if (started >= count || !failed.ok()) return;
    ++started;
    auto o = std::make_shared<Opening>(impl->io);
    o->request = {http::verb::get, target, 11};
    o->request.set(http::field::host, address);
    o->stream.expires_after(std::chrono::seconds(10));
    auto fail = [&](const char* what, beast::error_code ec) {
      if (failed.ok()) {
        failed = absl::UnavailableError(
            absl::StrCat("idle connection ", impl->sockets.size(), ": ", what, ": ", ec.message()));
      }
    };
    o->stream.async_connect(*endpoints, [&, o, fail](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return fail("connect", ec);
      http::async_write(o->stream, o->request, [&, o, fail](beast::error_code ec, size_t) {
        if (ec) return fail("write", ec);
        http::async_read(
            o->stream, o->buffer, o->response, [&, o, fail](beast::error_code ec, size_t) {
              if (ec) return fail("read", ec);
              if (o->response.result_int() != 200 || !o->response.keep_alive()) {
                failed = absl::FailedPreconditionError(
                    absl::StrCat("GET ", target, " answered ", o->response.result_int(),
                                 o->response.keep_alive() ? "" : " and closed"));
                return;
              }
              o->stream.expires_never();
              impl->sockets.push_back(o->stream.release_socket());
              open_next();
            });
      });
    });
  };
  for (int i = 0; i < std::min(kOpening, count); ++i) open_next();
  impl->io.run();
  if (!failed.ok()) return failed;
  return std::unique_ptr<IdleConnections>(new IdleConnections(std::move(impl)));
}

}  // namespace rectify::bench
