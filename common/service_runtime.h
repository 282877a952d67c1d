// Everything a service's main() shares: flags (each overridable by RECTIFY_<FLAG>), logging,
// migrations under the migration account, the connection pool under the service's own account,
// JWT verification, metrics, the gRPC host with health and reflection, and the drain on
// SIGTERM/SIGINT. A service's main.cc only wires its own store, domain and handlers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth.h"
#include "common/metrics.h"
#include "common/mysql/migrations.h"
#include "common/mysql/pool.h"
#include "common/region.h"
#include "common/rpc.h"
#include "common/server.h"
#include "grpcpp/impl/service_type.h"

namespace rectify {

struct ServiceDefaults {
  std::string name;      // "issue-service"
  int port = 0;          // 50051
  int metrics_port = 0;  // 9451
  std::string database;  // "issue_registry"
  std::string user;      // "issue_svc"
  // Tables the schema maintains itself; the service account may only read them.
  std::vector<std::string> read_only_tables = {};
  // Session variables the service's migrations read (mysql::Migrate).
  mysql::MigrationVariables migration_variables = {};
};

class ServiceRuntime {
 public:
  // Parses flags and the environment, sets up logging. Exits on bad flags.
  static std::unique_ptr<ServiceRuntime> FromFlags(int argc, char** argv,
                                                   const ServiceDefaults& defaults);

  // Starts listening (health NOT_SERVING, calls refused as UNAVAILABLE until ready), applies
  // migrations, opens the pool and runs `init` (loading what the service needs), then serves
  // until SIGTERM/SIGINT and drains. `on_drain` runs first when draining (end event streams).
  int Run(const std::vector<mysql::Migration>& migrations,
          const std::vector<grpc::Service*>& services,
          const std::function<absl::Status(mysql::Pool&)>& init,
          const std::function<void()>& on_drain);

  mysql::Pool& pool() { return *pool_; }
  const RpcRunner& rpc() const { return *rpc_; }
  const JwtSettings& jwt() const { return jwt_; }
  // The divisions tokens may name; the service fills it while it initialises (see JwtSettings).
  RegionDirectory& regions() { return *regions_; }
  std::string page_token_secret() const { return jwt_.secret; }
  Metrics& metrics() { return *metrics_; }

 private:
  ServiceDefaults defaults_;
  JwtSettings jwt_;
  std::shared_ptr<RegionDirectory> regions_ = std::make_shared<RegionDirectory>();
  ServerOptions server_options_;
  RpcLimits limits_;
  mysql::ConnectionOptions db_;
  mysql::ConnectionOptions migration_db_;
  std::string metrics_listen_;
  int pool_size_ = 8;
  absl::Duration drain_ = absl::Seconds(10);
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<mysql::Pool> pool_;
  std::unique_ptr<RpcRunner> rpc_;
};

}  // namespace rectify
