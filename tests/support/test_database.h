// A uniquely named database with its own service and migration accounts on the throwaway
// MariaDB that scripts/test starts, dropped again when the test ends. The server is found
// through RECTIFY_TEST_MYSQL_{HOST,PORT,ADMIN_USER,ADMIN_PASSWORD}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/mysql/migrations.h"
#include "common/mysql/pool.h"
#include "common/mysql/provision.h"

namespace rectify::testing {

class TestDatabase {
 public:
  // Provisions and migrates; fails the calling test (and returns null) without a server.
  static std::unique_ptr<TestDatabase> Create(const std::vector<mysql::Migration>& migrations,
                                              std::vector<std::string> read_only_tables = {},
                                              mysql::MigrationVariables variables = {});
  ~TestDatabase();

  const mysql::ConnectionOptions& service_account() const { return service_; }
  const mysql::ConnectionOptions& migration_account() const { return migration_; }
  const mysql::ConnectionOptions& admin_account() const { return admin_; }
  // Runs SQL as the admin (tests that tamper with rows behind the service's back).
  absl::Status AdminExecute(const std::string& sql);

 private:
  mysql::ConnectionOptions admin_;
  mysql::ConnectionOptions service_;
  mysql::ConnectionOptions migration_;
  mysql::ServiceAccounts accounts_;
};

}  // namespace rectify::testing
