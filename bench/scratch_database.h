// What the synthetic-data generators share: the scratch database they write to, under its
// schema's MIGRATION account (--mysql_* flags), and the counties they spread data over.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/mysql/pool.h"

namespace rectify::bench {

// From --mysql_host/--mysql_port or --mysql_socket, --mysql_database, --mysql_user and
// --mysql_password (a value or @file).
absl::StatusOr<mysql::ConnectionOptions> ScratchDatabase();

// County-level divisions of Heilongjiang across all thirteen prefectures.
const std::vector<std::string>& SyntheticCounties();

}  // namespace rectify::bench
