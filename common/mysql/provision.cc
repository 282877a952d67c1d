#include "common/mysql/provision.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "cppconn/exception.h"

namespace rectify::mysql {
namespace {

// Identifiers and passwords are spliced into DDL (which cannot take parameters), so they are
// restricted to a safe alphabet first.
bool SafeToken(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

absl::Status CheckAccounts(const ServiceAccounts& a) {
  Violations v;
  if (!SafeToken(a.database) || a.database.find('-') != std::string::npos) {
    v.Add("database", "letters, digits and _ only");
  }
  if (!SafeToken(a.service_user)) v.Add("service_user", "letters, digits, _ and - only");
  if (!SafeToken(a.service_password)) v.Add("service_password", "letters, digits, _ and - only");
  if (!SafeToken(a.migration_user)) v.Add("migration_user", "letters, digits, _ and - only");
  if (!SafeToken(a.migration_password)) v.Add("migration_password", "letters, digits, _ and -");
  return v.ToStatus();
}

}  // namespace

absl::Status ProvisionService(const ConnectionOptions& admin, const ServiceAccounts& a) {
  RETURN_IF_ERROR(CheckAccounts(a));
  ASSIGN_OR_RETURN(auto conn, Connect(admin));
  try {
    conn->Execute(absl::StrCat("CREATE DATABASE IF NOT EXISTS `", a.database,
                               "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
    for (const auto& [user, password] : {std::pair{a.service_user, a.service_password},
                                         std::pair{a.migration_user, a.migration_password}}) {
      conn->Execute(absl::StrCat("CREATE USER IF NOT EXISTS '", user, "'@'%' IDENTIFIED BY '",
                                 password, "'"));
      conn->Execute(absl::StrCat("ALTER USER '", user, "'@'%' IDENTIFIED BY '", password, "'"));
    }
    // The service account gets its privileges table by table from the migration runner
    // (append-only history); a database-wide grant from an older provisioning is withdrawn.
    try {
      conn->Execute(absl::StrCat("REVOKE ALL PRIVILEGES ON `", a.database, "`.* FROM '",
                                 a.service_user, "'@'%'"));
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1141) throw;  // 1141: there was no such grant
    }
    conn->Execute(absl::StrCat("GRANT ALL PRIVILEGES ON `", a.database, "`.* TO '",
                               a.migration_user, "'@'%' WITH GRANT OPTION"));
  } catch (const sql::SQLException& e) {
    return MapSqlError(e, "provision");
  }
  return absl::OkStatus();
}

absl::Status DropService(const ConnectionOptions& admin, const ServiceAccounts& a) {
  RETURN_IF_ERROR(CheckAccounts(a));
  ASSIGN_OR_RETURN(auto conn, Connect(admin));
  try {
    conn->Execute(absl::StrCat("DROP DATABASE IF EXISTS `", a.database, "`"));
    conn->Execute(absl::StrCat("DROP USER IF EXISTS '", a.service_user, "'@'%'"));
    conn->Execute(absl::StrCat("DROP USER IF EXISTS '", a.migration_user, "'@'%'"));
  } catch (const sql::SQLException& e) {
    return MapSqlError(e, "drop service");
  }
  return absl::OkStatus();
}

}  // namespace rectify::mysql
