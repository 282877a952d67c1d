#include "bench/scratch_database.h"

#include "absl/flags/flag.h"
#include "common/config.h"
#include "common/status.h"

ABSL_FLAG(std::string, mysql_host, "127.0.0.1", "database host");
ABSL_FLAG(int, mysql_port, 3307, "database port (without a socket)");
ABSL_FLAG(std::string, mysql_socket, "", "database Unix socket (instead of host:port)");
ABSL_FLAG(std::string, mysql_database, "", "the schema to fill");
ABSL_FLAG(std::string, mysql_user, "", "its migration account");
ABSL_FLAG(std::string, mysql_password, "", "its password, or @file");

namespace rectify::bench {

absl::StatusOr<mysql::ConnectionOptions> ScratchDatabase() {
  mysql::ConnectionOptions db;
  db.host = absl::GetFlag(FLAGS_mysql_host);
  db.port = absl::GetFlag(FLAGS_mysql_port);
  db.socket = absl::GetFlag(FLAGS_mysql_socket);
  db.database = absl::GetFlag(FLAGS_mysql_database);
  db.user = absl::GetFlag(FLAGS_mysql_user);
  if (db.database.empty() || db.user.empty()) {
    return absl::InvalidArgumentError("--mysql_database and --mysql_user are required");
  }
  ASSIGN_OR_RETURN(db.password, ResolveSecret(absl::GetFlag(FLAGS_mysql_password)));
  return db;
}

const std::vector<std::string>& SyntheticCounties() {
  static const std::vector<std::string> counties = {
      "230102", "230111", "230123", "230125", "230183", "230184", "230202", "230221", "230281",
      "230302", "230381", "230382", "230402", "230421", "230502", "230521", "230602", "230621",
      "230717", "230781", "230803", "230881", "230882", "230902", "230921", "231002", "231083",
      "231084", "231102", "231182", "231202", "231281", "231283", "232701", "232721", "232722"};
  return counties;
}

}  // namespace rectify::bench
