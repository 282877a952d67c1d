#include "common/service_runtime.h"

#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/config.h"
#include "common/logging.h"

ABSL_FLAG(std::string, listen, "", "gRPC listen address host:port (default 127.0.0.1:<port>)");
ABSL_FLAG(std::string, metrics_listen, "",
          "Prometheus /metrics address host:port; 'off' disables (default 127.0.0.1:<port>)");
ABSL_FLAG(std::string, mysql_host, "127.0.0.1", "database host");
ABSL_FLAG(int, mysql_port, 3307, "database port");
ABSL_FLAG(std::string, mysql_socket, "",
          "the database's Unix socket when it runs on this host (used instead of host:port)");
ABSL_FLAG(std::string, mysql_database, "", "the service's schema (default per service)");
ABSL_FLAG(std::string, mysql_user, "", "the service's DML-only account (default per service)");
ABSL_FLAG(std::string, mysql_password, "", "its password, or @file");
ABSL_FLAG(std::string, migrate_user, "", "the migration account (default <mysql_user>_migrate)");
ABSL_FLAG(std::string, migrate_password, "", "its password, or @file");
ABSL_FLAG(int, pool_size, 16,
          "database connections; as many worker threads run the blocking part of calls");
ABSL_FLAG(int, max_queued_calls, 10000,
          "calls that may wait for a worker before new ones are refused (RESOURCE_EXHAUSTED)");
ABSL_FLAG(int, max_queued_calls_per_caller, 1000,
          "calls one principal may have waiting before its new ones are refused");
ABSL_FLAG(int, streams_per_caller, 8, "open streams one principal may hold");
ABSL_FLAG(int, streams_total, 1024, "open streams the service holds in all");
ABSL_FLAG(int, first_message_seconds, 10,
          "how long a client stream may take to send its first message");
ABSL_FLAG(std::string, jwt_secret, "", "HS256 key for caller tokens, or @file");
ABSL_FLAG(std::string, jwt_issuer, "rectify", "accepted token issuer");
ABSL_FLAG(std::string, jwt_audience, "rectify", "accepted token audience");
ABSL_FLAG(bool, reflection, true, "serve gRPC reflection");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(int, drain_seconds, 10, "how long calls in flight may finish on shutdown");
ABSL_FLAG(int, max_message_bytes, 16 << 20, "largest request or response");

namespace rectify {
namespace {

std::string SecretOrDie(const std::string& flag, const std::string& value) {
  auto secret = ResolveSecret(value);
  if (!secret.ok()) {
    std::fprintf(stderr, "--%s: %s\n", flag.c_str(),
                 std::string(secret.status().message()).c_str());
    std::exit(2);
  }
  return *secret;
}

}  // namespace

std::unique_ptr<ServiceRuntime> ServiceRuntime::FromFlags(int argc, char** argv,
                                                          const ServiceDefaults& defaults) {
  BlockTerminationSignals();
  // Abseil checks every Mutex acquisition for lock-order cycles unless told not to; that graph
  // bookkeeping is a measurable share of a cheap RPC. Tests keep the check on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ParseFlagsWithEnvironment(argc, argv,
                            absl::StrCat(defaults.name, ": a Rectify gRPC service").c_str());
  auto rt = std::unique_ptr<ServiceRuntime>(new ServiceRuntime());
  rt->defaults_ = defaults;
  log::Init(defaults.name, absl::GetFlag(FLAGS_log_level));

  rt->server_options_.listen = absl::GetFlag(FLAGS_listen);
  if (rt->server_options_.listen.empty()) {
    rt->server_options_.listen = absl::StrCat("127.0.0.1:", defaults.port);
  }
  rt->metrics_listen_ = absl::GetFlag(FLAGS_metrics_listen);
  if (rt->metrics_listen_.empty()) {
    rt->metrics_listen_ = absl::StrCat("127.0.0.1:", defaults.metrics_port);
  }
  rt->server_options_.reflection = absl::GetFlag(FLAGS_reflection);
  rt->server_options_.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  rt->pool_size_ = std::max(1, absl::GetFlag(FLAGS_pool_size));
  // A worker holds one connection at most, so as many workers as connections: calls beyond them
  // wait in the workers' queue (within their deadline), not for a connection.
  rt->limits_.workers = rt->pool_size_;
  rt->limits_.max_queued = std::max(1, absl::GetFlag(FLAGS_max_queued_calls));
  rt->limits_.max_queued_per_caller = std::max(1, absl::GetFlag(FLAGS_max_queued_calls_per_caller));
  rt->limits_.streams_per_principal = std::max(1, absl::GetFlag(FLAGS_streams_per_caller));
  rt->limits_.streams_total = std::max(1, absl::GetFlag(FLAGS_streams_total));
  rt->limits_.first_message_timeout =
      absl::Seconds(std::max(1, absl::GetFlag(FLAGS_first_message_seconds)));
  rt->drain_ = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));

  auto& db = rt->db_;
  db.host = absl::GetFlag(FLAGS_mysql_host);
  db.port = absl::GetFlag(FLAGS_mysql_port);
  db.socket = absl::GetFlag(FLAGS_mysql_socket);
  db.database = absl::GetFlag(FLAGS_mysql_database);
  if (db.database.empty()) db.database = defaults.database;
  db.user = absl::GetFlag(FLAGS_mysql_user);
  if (db.user.empty()) db.user = defaults.user;
  db.password = SecretOrDie("mysql_password", absl::GetFlag(FLAGS_mysql_password));
  rt->migration_db_ = db;
  rt->migration_db_.user = absl::GetFlag(FLAGS_migrate_user);
  if (rt->migration_db_.user.empty()) rt->migration_db_.user = db.user + "_migrate";
  rt->migration_db_.password =
      SecretOrDie("migrate_password", absl::GetFlag(FLAGS_migrate_password));

  rt->jwt_.secret = SecretOrDie("jwt_secret", absl::GetFlag(FLAGS_jwt_secret));
  rt->jwt_.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  rt->jwt_.audience = absl::GetFlag(FLAGS_jwt_audience);
  rt->jwt_.regions = rt->regions_;
  if (rt->jwt_.secret.size() < 32) {
    std::fprintf(stderr, "--jwt_secret must be at least 32 characters\n");
    std::exit(2);
  }
  rt->metrics_ = std::make_unique<Metrics>(defaults.name);
  rt->pool_ = std::make_unique<mysql::Pool>(db, rt->pool_size_);
  rt->rpc_ = std::make_unique<RpcRunner>(JwtVerifier(rt->jwt_), rt->metrics_.get(),
                                         SystemClock::Instance(), rt->limits_);
  // Refused as UNAVAILABLE until migrated and initialised.
  rt->rpc_->SetReady(false);
  return rt;
}

int ServiceRuntime::Run(const std::vector<mysql::Migration>& migrations,
                        const std::vector<grpc::Service*>& services,
                        const std::function<absl::Status(mysql::Pool&)>& init,
                        const std::function<void()>& on_drain) {
  ServiceHost host(server_options_);
  for (auto* s : services) host.Register(s);
  if (auto status = host.Start(); !status.ok()) {
    log::Error("cannot start", {{"error", std::string(status.message())}});
    return 1;
  }
  // Health follows readiness and saturation (a full queue of calls or of streams).
  rpc_->OnServingChange([&host](bool serving) { host.SetServing(serving); });
  if (metrics_listen_ != "off") {
    metrics_->WatchPool(pool_.get());
    auto port = metrics_->Expose(metrics_listen_);
    if (!port.ok()) {
      log::Error("cannot serve metrics", {{"error", std::string(port.status().message())}});
      return 1;
    }
  }
  log::Info(
      "listening",
      {{"grpc", server_options_.listen}, {"port", host.port()}, {"metrics", metrics_listen_}});
  mysql::TableGrants grants;
  grants.service_user = db_.user;
  grants.read_only = defaults_.read_only_tables;
  auto report = mysql::Migrate(migration_db_, migrations, grants, defaults_.migration_variables);
  if (!report.ok()) {
    log::Error("migrations failed", {{"error", std::string(report.status().message())}});
    return 1;
  }
  log::Info("schema ready",
            {{"applied", report->applied}, {"already_applied", report->already_applied}});
  if (auto status = init(*pool_); !status.ok()) {
    log::Error("initialisation failed", {{"error", std::string(status.message())}});
    return 1;
  }
  if (regions_->empty()) {
    log::Error("initialisation failed", {{"error", "the service loaded no region codes"}});
    return 1;
  }
  rpc_->SetReady(true);
  log::Info("serving", {{"database", db_.database}, {"user", db_.user}});

  int sig = WaitForTerminationSignal();
  log::Info("draining", {{"signal", sig}, {"grace_seconds", absl::ToInt64Seconds(drain_)}});
  rpc_->SetReady(false);
  if (on_drain) on_drain();
  host.Shutdown(drain_);
  rpc_->StopWorkers();
  rpc_->OnServingChange(nullptr);
  log::Info("stopped");
  return 0;
}

}  // namespace rectify
