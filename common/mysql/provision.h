// Creates a service's database and its two accounts: a DML-only service account and a
// migration account with DDL rights on that database alone. Used by scripts/up (through
// rectify-dbadmin) and by the tests, which provision a uniquely named database per run.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/mysql/pool.h"

namespace rectify::mysql {

struct ServiceAccounts {
  std::string database;
  std::string service_user;
  std::string service_password;
  std::string migration_user;
  std::string migration_password;
};

// Idempotent: re-running resets the passwords and grants and keeps the data.
absl::Status ProvisionService(const ConnectionOptions& admin, const ServiceAccounts& accounts);
// Drops the database and both accounts (tests clean up with this).
absl::Status DropService(const ConnectionOptions& admin, const ServiceAccounts& accounts);

}  // namespace rectify::mysql
