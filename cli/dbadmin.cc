// rectify-dbadmin: provisions a service's database and accounts (used by scripts/up and
// scripts/bench). Credentials come from flags or RECTIFY_* variables, never from code.
#include <cstdio>

#include "absl/flags/flag.h"
#include "common/config.h"
#include "common/mysql/provision.h"

ABSL_FLAG(std::string, admin_host, "127.0.0.1", "database host");
ABSL_FLAG(int, admin_port, 3307, "database port");
ABSL_FLAG(std::string, admin_user, "rectify_admin", "an account allowed to create databases");
ABSL_FLAG(std::string, admin_password, "", "its password, or @file");
ABSL_FLAG(std::string, database, "", "the service's database");
ABSL_FLAG(std::string, service_user, "", "the service's DML-only account");
ABSL_FLAG(std::string, service_password, "", "its password, or @file");
ABSL_FLAG(std::string, migrate_user, "", "the migration account");
ABSL_FLAG(std::string, migrate_password, "", "its password, or @file");

int main(int argc, char** argv) {
  using namespace rectify;
  auto args = ParseFlagsWithEnvironment(argc, argv,
                                        "rectify-dbadmin provision|drop: a service's database "
                                        "and accounts");
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: rectify-dbadmin provision|drop --database=... ...\n");
    return 2;
  }
  auto secret = [](const std::string& v) {
    auto s = ResolveSecret(v);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
      std::exit(2);
    }
    return *s;
  };
  mysql::ConnectionOptions admin;
  admin.host = absl::GetFlag(FLAGS_admin_host);
  admin.port = absl::GetFlag(FLAGS_admin_port);
  admin.user = absl::GetFlag(FLAGS_admin_user);
  admin.password = secret(absl::GetFlag(FLAGS_admin_password));
  mysql::ServiceAccounts accounts{absl::GetFlag(FLAGS_database), absl::GetFlag(FLAGS_service_user),
                                  secret(absl::GetFlag(FLAGS_service_password)),
                                  absl::GetFlag(FLAGS_migrate_user),
                                  secret(absl::GetFlag(FLAGS_migrate_password))};
  std::string verb = args[1];
  absl::Status status = verb == "provision" ? mysql::ProvisionService(admin, accounts)
                        : verb == "drop"    ? mysql::DropService(admin, accounts)
                                            : absl::InvalidArgumentError("unknown verb " + verb);
  if (!status.ok()) {
    std::fprintf(stderr, "rectify-dbadmin %s: %s\n", verb.c_str(), status.ToString().c_str());
    return 1;
  }
  return 0;
}
