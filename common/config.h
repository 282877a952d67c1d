// Configuration: absl flags, each overridable by an environment variable RECTIFY_<FLAG_NAME>
// (upper case). A flag given on the command line wins over the environment, which wins over
// the default.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/mysql/pool.h"

namespace rectify {

// Parses argv, then applies RECTIFY_* overrides. Exits with a message on a bad value.
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, const char* usage);

// Reads a secret from a file when `value` starts with "@" (e.g. "@.rectify/jwt.key"); returns
// the value otherwise.
absl::StatusOr<std::string> ResolveSecret(const std::string& value);

}  // namespace rectify
