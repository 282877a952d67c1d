#include "common/mysql/pool.h"

#include <mysql_driver.h>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status.h"
#include "cppconn/connection.h"
#include "cppconn/datatype.h"
#include "cppconn/exception.h"
#include "cppconn/statement.h"

namespace rectify::mysql {
namespace {

constexpr int kMaxDeadlockRetries = 4;

// Connector/C++ keeps per-thread state in the client library; every thread that touches a
// connection must call threadInit once and threadEnd before it exits.
void EnsureThreadInit() {
  struct ThreadGuard {
    ThreadGuard() { sql::mysql::get_mysql_driver_instance()->threadInit(); }
    ~ThreadGuard() { sql::mysql::get_mysql_driver_instance()->threadEnd(); }
  };
  thread_local ThreadGuard guard;
}

bool IsRetryable(int code) { return code == 1213 /* deadlock */ || code == 1205 /* lock wait */; }

}  // namespace

bool IsConnectionLost(int code) {
  switch (code) {
    case 2002:  // can't connect (socket)
    case 2003:  // can't connect (TCP)
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2026:  // SSL connection error
    case 2055:  // lost connection at reading
    case 2030:  // statement not prepared: the server lost it (a reconnect); start afresh
    case 1927:  // connection killed (MariaDB)
    case 1053:  // server shutdown in progress
      return true;
    default:
      return false;
  }
}

absl::Status MapSqlError(const sql::SQLException& e, absl::string_view context) {
  int code = e.getErrorCode();
  if (code == 1062) {
    return MakeError(absl::StatusCode::kAlreadyExists, "ALREADY_EXISTS",
                     absl::StrCat(context, ": already exists"));
  }
  if (IsRetryable(code)) {
    return MakeError(absl::StatusCode::kAborted, "CONCURRENT_UPDATE",
                     absl::StrCat(context, ": concurrent update, retry"));
  }
  if (IsConnectionLost(code)) {
    log::Warn(
        "mysql connection lost",
        {{"context", std::string(context)}, {"mysql_errno", code}, {"server_text", e.what()}});
    return MakeError(absl::StatusCode::kUnavailable, "DATABASE_UNAVAILABLE",
                     "the database is unavailable, retry later");
  }
  log::Error("mysql error", {{"context", std::string(context)},
                             {"mysql_errno", code},
                             {"sqlstate", e.getSQLStateCStr()},
                             {"server_text", e.what()}});
  return MakeError(absl::StatusCode::kInternal, "STORAGE_ERROR", "internal storage error");
}

Connection::Connection(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

Connection::~Connection() {
  statements_.clear();
  try {
    if (conn_) conn_->close();
  } catch (const sql::SQLException&) {
    // Closing a dead connection may throw; there is nothing left to release.
  }
}

sql::PreparedStatement& Connection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    it->second->clearParameters();
    return *it->second;
  }
  auto stmt = std::unique_ptr<sql::PreparedStatement>(conn_->prepareStatement(sql));
  auto& ref = *stmt;
  statements_.emplace(sql, std::move(stmt));
  return ref;
}

void Connection::Bind(sql::PreparedStatement& s, int i, Null) {
  s.setNull(i, sql::DataType::SQLNULL);
}

std::unique_ptr<sql::ResultSet> Connection::QueryDynamic(
    const std::string& sql,
    const std::vector<std::function<void(sql::PreparedStatement&, int)>>& binders) {
  auto& stmt = Prepare(sql);
  for (size_t i = 0; i < binders.size(); ++i) binders[i](stmt, static_cast<int>(i + 1));
  return std::unique_ptr<sql::ResultSet>(stmt.executeQuery());
}

void Connection::Execute(const std::string& sql) {
  std::unique_ptr<sql::Statement> stmt(conn_->createStatement());
  stmt->execute(sql);
  // Drain any result sets so the connection is ready for the next statement.
  while (stmt->getMoreResults()) {
    std::unique_ptr<sql::ResultSet> rs(stmt->getResultSet());
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Connect(const ConnectionOptions& options) {
  EnsureThreadInit();
  sql::ConnectOptionsMap map;
  map["hostName"] = sql::SQLString(options.socket.empty()
                                       ? absl::StrCat("tcp://", options.host, ":", options.port)
                                       : absl::StrCat("unix://", options.socket));
  map["userName"] = sql::SQLString(options.user);
  map["password"] = sql::SQLString(options.password);
  if (!options.database.empty()) map["schema"] = sql::SQLString(options.database);
  map["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.connect_timeout));
  map["OPT_READ_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.read_timeout));
  map["OPT_WRITE_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options.read_timeout));
  map["OPT_RECONNECT"] = false;
  map["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  if (options.multi_statements) map["CLIENT_MULTI_STATEMENTS"] = true;
  try {
    auto conn = std::make_unique<Connection>(
        std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(map)));
    conn->Execute(
        "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci, time_zone = '+00:00', sql_mode = "
        "'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
        "NO_ENGINE_SUBSTITUTION'");
    conn->Execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    return conn;
  } catch (const sql::SQLException& e) {
    absl::Status s = MapSqlError(e, "connect");
    if (s.code() == absl::StatusCode::kInternal) {
      // Access denied, unknown database: the deployment is wrong, not the request.
      return MakeError(absl::StatusCode::kUnavailable, "DATABASE_UNAVAILABLE",
                       absl::StrCat("cannot connect to the database as ", options.user));
    }
    return s;
  }
}

Pool::Pool(ConnectionOptions options, int max_size)
    : options_(std::move(options)), max_size_(std::max(1, max_size)) {}

Pool::~Pool() {
  EnsureThreadInit();
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

void Connection::SetAutocommit(bool on) {
  if (autocommit_ == on) return;
  conn_->setAutoCommit(on);
  autocommit_ = on;
}

absl::StatusOr<std::unique_ptr<Connection>> Pool::Acquire(absl::Time deadline, bool autocommit) {
  EnsureThreadInit();
  {
    absl::MutexLock lock(&mu_);
    ++waiting_;
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < max_size_;
    };
    bool ok = mu_.AwaitWithDeadline(absl::Condition(&available), deadline);
    --waiting_;
    if (!ok) {
      return MakeError(absl::StatusCode::kDeadlineExceeded, "POOL_EXHAUSTED",
                       "no database connection became free before the deadline");
    }
    if (!idle_.empty()) {
      auto pick = idle_.end() - 1;
      for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        if ((*it)->autocommit() == autocommit) {
          pick = std::next(it).base();
          break;
        }
      }
      auto conn = std::move(*pick);
      idle_.erase(pick);
      return conn;
    }
    ++open_;  // reserve a slot; connect outside the lock
  }
  auto conn = Connect(options_);
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return conn;
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  std::unique_ptr<Connection> doomed;
  absl::MutexLock lock(&mu_);
  if (conn->broken()) {
    --open_;
    doomed = std::move(conn);  // closed after the lock is released
  } else {
    idle_.push_back(std::move(conn));
  }
}

class Pool::Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  ~Lease() { pool_.Release(std::move(conn_)); }
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> conn_;
};

absl::Status Pool::Transact(absl::Time deadline, absl::FunctionRef<absl::Status(Tx&)> fn) {
  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(auto acquired, Acquire(deadline, /*autocommit=*/false));
    Lease conn(*this, std::move(acquired));
    Tx tx(*conn);
    absl::Status status;
    bool committed = false;
    bool retry = false;
    try {
      // With autocommit off the first statement opens the transaction: no extra round trip.
      // COMMIT and ROLLBACK leave no transaction open on the idle connection.
      conn->SetAutocommit(false);
      status = fn(tx);
      if (status.ok()) {
        conn->raw().commit();
        committed = true;
      } else {
        conn->raw().rollback();
      }
    } catch (const sql::SQLException& e) {
      int code = e.getErrorCode();
      if (IsConnectionLost(code)) conn->MarkBroken();
      try {
        if (!conn->broken()) conn->raw().rollback();
      } catch (const sql::SQLException&) {
        conn->MarkBroken();
      }
      retry = IsRetryable(code) && attempt < kMaxDeadlockRetries && absl::Now() < deadline;
      status = MapSqlError(e, "transaction");
    }
    for (auto& f : tx.on_finish_) f(committed);
    if (!retry) return status;
  }
}

absl::Status Pool::Read(absl::Time deadline, absl::FunctionRef<absl::Status(Connection&)> fn) {
  ASSIGN_OR_RETURN(auto acquired, Acquire(deadline, /*autocommit=*/true));
  Lease conn(*this, std::move(acquired));
  try {
    conn->SetAutocommit(true);
    return fn(*conn);
  } catch (const sql::SQLException& e) {
    if (IsConnectionLost(e.getErrorCode())) conn->MarkBroken();
    return MapSqlError(e, "read");
  }
}

PoolStats Pool::Stats() const {
  absl::MutexLock lock(&mu_);
  return PoolStats{open_, open_ - static_cast<int>(idle_.size()), waiting_, max_size_};
}

std::string GetString(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return {};
  return rs.getString(column).asStdString();
}

std::optional<double> GetOptionalDouble(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  return static_cast<double>(rs.getDouble(column));
}

std::string Placeholders(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out + ")";
}

std::string FormatDateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

absl::Time ParseDateTime(absl::string_view text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%E*S", std::string(text), absl::UTCTimeZone(), &t, &err)) {
    return t;
  }
  return absl::UnixEpoch();
}

}  // namespace rectify::mysql
