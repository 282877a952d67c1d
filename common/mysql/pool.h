// MySQL/MariaDB access shared by every service's storage layer: a bounded connection pool,
// prepared statements cached per connection, transactions with retry on deadlock, and the one
// mapping from MySQL error numbers to absl::Status.
//
// Connector/C++ throws; nothing here lets an exception escape. Storage code runs its statements
// inside Pool::Transact / Pool::Read, which catch and map at this boundary.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cppconn/prepared_statement.h"
#include "cppconn/resultset.h"

namespace sql {
class Connection;
class SQLException;
}  // namespace sql

namespace rectify::mysql {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  int port = 3306;
  // A Unix socket of a server on this host; when set it is used instead of host and port
  // (a round trip through it costs a fraction of one through loopback TCP).
  std::string socket;
  std::string user;
  std::string password;
  std::string database;  // may be empty (provisioning)
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration read_timeout = absl::Seconds(30);
  bool multi_statements = false;
};

// Maps a Connector/C++ exception to a status. The server's text is logged, never returned.
absl::Status MapSqlError(const sql::SQLException& e, absl::string_view context);
// True for the errors after which the connection is unusable (2006, 2013, 2055 ...).
bool IsConnectionLost(int error_code);

// SQL NULL for a parameter.
struct Null {};

// A live connection, used by one thread at a time. Prepared statements are cached by their text
// and dropped with the connection when it is lost (they do not survive a reconnect).
class Connection {
 public:
  explicit Connection(std::unique_ptr<sql::Connection> conn);
  ~Connection();

  sql::PreparedStatement& Prepare(const std::string& sql);

  // Runs a statement with positional parameters; returns the rows.
  template <typename... Args>
  std::unique_ptr<sql::ResultSet> Query(const std::string& sql, const Args&... args) {
    auto& stmt = Prepare(sql);
    BindAll(stmt, 1, args...);
    return std::unique_ptr<sql::ResultSet>(stmt.executeQuery());
  }
  // Runs a statement with positional parameters; returns the number of rows affected.
  template <typename... Args>
  int64_t Exec(const std::string& sql, const Args&... args) {
    auto& stmt = Prepare(sql);
    BindAll(stmt, 1, args...);
    return stmt.executeUpdate();
  }
  // Runs a statement whose parameters are only known at run time (dynamic filters).
  std::unique_ptr<sql::ResultSet> QueryDynamic(
      const std::string& sql,
      const std::vector<std::function<void(sql::PreparedStatement&, int)>>& binders);

  // Unprepared, for session set-up and DDL.
  void Execute(const std::string& sql);

  sql::Connection& raw() { return *conn_; }
  bool broken() const { return broken_; }
  bool autocommit() const { return autocommit_; }
  // Switches the session's autocommit mode; a no-op (no round trip) when it is already so.
  void SetAutocommit(bool on);
  void MarkBroken() { broken_ = true; }

  static void Bind(sql::PreparedStatement& s, int i, int64_t v) { s.setInt64(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, int v) { s.setInt(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, uint64_t v) { s.setUInt64(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, double v) { s.setDouble(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, bool v) { s.setBoolean(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, const std::string& v) { s.setString(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, absl::string_view v) {
    s.setString(i, std::string(v));
  }
  static void Bind(sql::PreparedStatement& s, int i, const char* v) { s.setString(i, v); }
  static void Bind(sql::PreparedStatement& s, int i, Null);
  template <typename T>
  static void Bind(sql::PreparedStatement& s, int i, const std::optional<T>& v) {
    if (v) {
      Bind(s, i, *v);
    } else {
      Bind(s, i, Null{});
    }
  }

 private:
  static void BindAll(sql::PreparedStatement&, int) {}
  template <typename T, typename... Rest>
  static void BindAll(sql::PreparedStatement& s, int i, const T& v, const Rest&... rest) {
    Bind(s, i, v);
    BindAll(s, i + 1, rest...);
  }

  std::unique_ptr<sql::Connection> conn_;
  std::map<std::string, std::unique_ptr<sql::PreparedStatement>, std::less<>> statements_;
  bool broken_ = false;
  bool autocommit_ = true;
};

// Opens one connection (UTF-8, UTC session time zone, READ COMMITTED).
absl::StatusOr<std::unique_ptr<Connection>> Connect(const ConnectionOptions& options);

// A transaction in progress. Work registered with OnFinish runs after COMMIT or ROLLBACK, outside
// any lock, with whether the transaction committed.
class Tx {
 public:
  explicit Tx(Connection& conn) : conn_(conn) {}
  Connection& conn() { return conn_; }
  void OnFinish(std::function<void(bool committed)> fn) { on_finish_.push_back(std::move(fn)); }

 private:
  friend class Pool;
  Connection& conn_;
  std::vector<std::function<void(bool)>> on_finish_;
};

struct PoolStats {
  int open = 0;
  int in_use = 0;
  int waiting = 0;
  int capacity = 0;
};

class Pool {
 public:
  Pool(ConnectionOptions options, int max_size);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Runs `fn` in one transaction: COMMIT when it returns OK, ROLLBACK otherwise. Deadlocks and
  // lock-wait timeouts are retried (a few times, then ABORTED). Waiting for a connection is
  // bounded by `deadline` (DEADLINE_EXCEEDED).
  absl::Status Transact(absl::Time deadline, absl::FunctionRef<absl::Status(Tx&)> fn);
  // Runs read-only work on a connection in autocommit mode.
  absl::Status Read(absl::Time deadline, absl::FunctionRef<absl::Status(Connection&)> fn);

  PoolStats Stats() const;
  const ConnectionOptions& options() const { return options_; }

 private:
  class Lease;
  // Prefers an idle connection already in the wanted autocommit mode, so that transactions and
  // reads each find connections that need no mode switch.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Time deadline, bool autocommit);
  void Release(std::unique_ptr<Connection> conn);

  const ConnectionOptions options_;
  const int max_size_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

// Convenience for storage code: Transact returning a value.
template <typename T>
absl::StatusOr<T> TransactFor(Pool& pool, absl::Time deadline,
                              absl::FunctionRef<absl::StatusOr<T>(Tx&)> fn) {
  std::optional<T> out;
  absl::Status status = pool.Transact(deadline, [&](Tx& tx) -> absl::Status {
    auto r = fn(tx);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*out);
}

template <typename T>
absl::StatusOr<T> ReadFor(Pool& pool, absl::Time deadline,
                          absl::FunctionRef<absl::StatusOr<T>(Connection&)> fn) {
  std::optional<T> out;
  absl::Status status = pool.Read(deadline, [&](Connection& c) -> absl::Status {
    auto r = fn(c);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*out);
}

// "(?, ?, ...)": `n` placeholders for an IN list whose values are bound in order.
std::string Placeholders(size_t n);

// Column helpers that turn SQL NULL into an empty value.
std::string GetString(sql::ResultSet& rs, const char* column);
std::optional<double> GetOptionalDouble(sql::ResultSet& rs, const char* column);

// DATETIME(6) in UTC <-> absl::Time.
std::string FormatDateTime(absl::Time t);
absl::Time ParseDateTime(absl::string_view text);

}  // namespace rectify::mysql
