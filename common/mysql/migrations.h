// Versioned schema migrations. Each service embeds its schema/V###__name.sql files at build time
// (cmake/RectifyMigrations.cmake); the runner applies the missing ones in order under the
// migration account and records each with a checksum. An applied file that has since changed is
// an error: history is fixed, a change is a new version.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/mysql/pool.h"

namespace rectify::mysql {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// Splits a script into statements at semicolons outside quotes and comments.
std::vector<std::string> SplitStatements(const std::string& script);

struct MigrationReport {
  int applied = 0;
  int already_applied = 0;
};

// After migrating, the service account is granted privileges table by table: DML on every
// table, but only SELECT and INSERT on the append-only ones (its history), so not even the
// service itself can rewrite what happened.
struct TableGrants {
  std::string service_user;
  std::vector<std::string> append_only = {"history"};
  // Maintained by the schema itself (triggers): the service reads them only.
  std::vector<std::string> read_only;
};

inline constexpr int kFirstPlatformVersion = 9001;

// Values a service's migrations read as session variables (@name): what the domain decides and
// a migration must not restate, e.g. which states are public when a column is backfilled.
using MigrationVariables = std::vector<std::pair<std::string, std::string>>;

// Applies the service's `migrations` and the platform's, with `variables` set in the session.
absl::StatusOr<MigrationReport> Migrate(const ConnectionOptions& migration_account,
                                        const std::vector<Migration>& migrations,
                                        const TableGrants& grants,
                                        const MigrationVariables& variables = {});

}  // namespace rectify::mysql

namespace rectify {
// The platform's own migrations (common/schema, versions 9001 and up), the same for every
// service; Migrate applies them after the service's own.
std::vector<mysql::Migration> PlatformMigrations();
}  // namespace rectify
