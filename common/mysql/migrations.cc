#include "common/mysql/migrations.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/status.h"
#include "cppconn/exception.h"

namespace rectify::mysql {

std::vector<std::string> SplitStatements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  std::string delimiter = ";";
  char quote = 0;
  auto emit = [&] {
    std::string stmt(absl::StripAsciiWhitespace(current));
    if (!stmt.empty()) out.push_back(stmt);
    current.clear();
  };
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (quote) {
      current += c;
      if (c == '\\' && i + 1 < script.size()) {
        current += script[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    bool line_start = i == 0 || script[i - 1] == '\n';
    // "DELIMITER //" on a line of its own, as the mysql client reads it, for routine bodies.
    if (line_start &&
        absl::StartsWithIgnoreCase(absl::string_view(script).substr(i), "DELIMITER ")) {
      size_t end = script.find('\n', i);
      if (end == std::string::npos) end = script.size();
      delimiter = std::string(absl::StripAsciiWhitespace(script.substr(i + 10, end - i - 10)));
      i = end;
      continue;
    }
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      current += '\n';
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    if (script.compare(i, delimiter.size(), delimiter) == 0) {
      emit();
      i += delimiter.size() - 1;
      continue;
    }
    current += c;
  }
  emit();
  return out;
}

absl::StatusOr<MigrationReport> Migrate(const ConnectionOptions& account,
                                        const std::vector<Migration>& migrations,
                                        const TableGrants& grants,
                                        const MigrationVariables& variables) {
  ASSIGN_OR_RETURN(auto conn, Connect(account));
  for (const auto& [name, value] : variables) {
    bool identifier = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (!identifier) {
      return absl::InvalidArgumentError(absl::StrCat("bad migration variable name \"", name, "\""));
    }
  }
  MigrationReport report;
  std::vector<Migration> sorted = migrations;
  for (const auto& m : sorted) {
    if (m.version >= kFirstPlatformVersion) {
      return absl::InvalidArgumentError(absl::StrCat("migration ", m.name, ": versions from ",
                                                     kFirstPlatformVersion, " are common/'s"));
    }
  }
  for (auto& m : PlatformMigrations()) sorted.push_back(std::move(m));
  std::sort(sorted.begin(), sorted.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  try {
    for (const auto& [name, value] : variables)
      conn->Exec(absl::StrCat("SET @", name, " = ?"), value);
    conn->Execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INT NOT NULL PRIMARY KEY,"
        " name VARCHAR(200) NOT NULL,"
        " checksum CHAR(64) NOT NULL,"
        " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        ") ENGINE=InnoDB");
    // Serialise concurrent runners (two replicas starting at once).
    auto lock = conn->Query("SELECT GET_LOCK(CONCAT(DATABASE(), '.migrations'), 60) AS got");
    if (!lock->next() || lock->getInt("got") != 1) {
      return MakeError(absl::StatusCode::kUnavailable, "MIGRATION_LOCK",
                       "another migration runner holds the lock");
    }
    std::map<int, std::string> applied;
    auto rs = conn->Query("SELECT version, checksum FROM schema_migrations");
    while (rs->next()) applied[rs->getInt("version")] = rs->getString("checksum").asStdString();

    for (const auto& m : sorted) {
      std::string checksum = crypto::Sha256Hex(m.sql);
      auto it = applied.find(m.version);
      if (it != applied.end()) {
        if (it->second != checksum) {
          return FailedPreconditionError(
              "MIGRATION_CHANGED",
              absl::StrCat("migration ", m.name, " was changed after it was applied"));
        }
        ++report.already_applied;
        continue;
      }
      for (const auto& stmt : SplitStatements(m.sql)) conn->Execute(stmt);
      conn->Exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                 m.version, m.name, checksum);
      ++report.applied;
      log::Info("migration applied", {{"version", m.version}, {"name", m.name}});
    }
    if (!grants.service_user.empty()) {
      // Identifiers cannot be parameters; table names come from the schema itself and the user
      // name was checked when the account was provisioned.
      for (char ch : grants.service_user) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-') {
          return InvalidField("service_user", "letters, digits, _ and - only");
        }
      }
      auto tables = conn->Query(
          "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
          "AND TABLE_TYPE = 'BASE TABLE'");
      std::vector<std::string> names;
      while (tables->next()) names.push_back(tables->getString("t").asStdString());
      for (const auto& t : names) {
        // The service may read when its schema started, nothing more.
        if (t == "schema_migrations") {
          conn->Execute(absl::StrCat("GRANT SELECT ON `schema_migrations` TO '",
                                     grants.service_user, "'@'%'"));
          continue;
        }
        auto listed = [&](const std::vector<std::string>& list) {
          return std::find(list.begin(), list.end(), t) != list.end();
        };
        const char* privileges = listed(grants.read_only)     ? "SELECT"
                                 : listed(grants.append_only) ? "SELECT, INSERT"
                                                              : "SELECT, INSERT, UPDATE, DELETE";
        // Re-granting narrows nothing, so a table's privileges are reset first.
        try {
          conn->Execute(absl::StrCat("REVOKE ALL PRIVILEGES ON `", t, "` FROM '",
                                     grants.service_user, "'@'%'"));
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != 1147) throw;  // 1147: there was no grant on the table
        }
        conn->Execute(
            absl::StrCat("GRANT ", privileges, " ON `", t, "` TO '", grants.service_user, "'@'%'"));
      }
    }
    conn->Query("SELECT RELEASE_LOCK(CONCAT(DATABASE(), '.migrations'))");
  } catch (const sql::SQLException& e) {
    return MapSqlError(e, "migrate");
  }
  return report;
}

}  // namespace rectify::mysql
