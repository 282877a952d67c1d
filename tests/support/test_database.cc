#include "tests/support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "cppconn/exception.h"
#include "gtest/gtest.h"

namespace rectify::testing {
namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::Create(const std::vector<mysql::Migration>& migrations,
                                                   std::vector<std::string> read_only_tables,
                                                   mysql::MigrationVariables variables) {
  std::string port = Env("RECTIFY_TEST_MYSQL_PORT");
  if (port.empty()) {
    ADD_FAILURE() << "RECTIFY_TEST_MYSQL_PORT is not set: run the tests through scripts/test, "
                     "which starts a throwaway MariaDB";
    return nullptr;
  }
  auto db = std::unique_ptr<TestDatabase>(new TestDatabase());
  db->admin_.host = Env("RECTIFY_TEST_MYSQL_HOST", "127.0.0.1");
  db->admin_.port = std::atoi(port.c_str());
  db->admin_.user = Env("RECTIFY_TEST_MYSQL_ADMIN_USER", "rectify_admin");
  db->admin_.password = Env("RECTIFY_TEST_MYSQL_ADMIN_PASSWORD");
  static std::atomic<int> counter{0};
  std::string tag =
      absl::StrCat("t", getpid(), "_", counter++, "_", crypto::ToHex(crypto::RandomBytes(3)));
  db->accounts_ = {tag, tag + "_svc", crypto::ToHex(crypto::RandomBytes(12)), tag + "_mig",
                   crypto::ToHex(crypto::RandomBytes(12))};
  auto status = mysql::ProvisionService(db->admin_, db->accounts_);
  if (!status.ok()) {
    ADD_FAILURE() << "provisioning a test database failed: " << status;
    return nullptr;
  }
  db->service_ = db->admin_;
  db->service_.database = tag;
  db->service_.user = db->accounts_.service_user;
  db->service_.password = db->accounts_.service_password;
  db->migration_ = db->service_;
  db->migration_.user = db->accounts_.migration_user;
  db->migration_.password = db->accounts_.migration_password;
  mysql::TableGrants grants;
  grants.service_user = db->accounts_.service_user;
  grants.read_only = std::move(read_only_tables);
  auto report = mysql::Migrate(db->migration_, migrations, grants, variables);
  if (!report.ok()) {
    ADD_FAILURE() << "migrating the test database failed: " << report.status();
    return nullptr;
  }
  return db;
}

TestDatabase::~TestDatabase() {
  if (std::getenv("RECTIFY_TEST_KEEP_DATABASES")) return;
  (void)mysql::DropService(admin_, accounts_);
}

absl::Status TestDatabase::AdminExecute(const std::string& sql) {
  auto admin = admin_;
  admin.database = service_.database;
  auto conn = mysql::Connect(admin);
  if (!conn.ok()) return conn.status();
  try {
    (*conn)->Execute(sql);
  } catch (const sql::SQLException& e) {
    return absl::InternalError(e.what());
  }
  return absl::OkStatus();
}

}  // namespace rectify::testing
