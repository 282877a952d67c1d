#include "common/config.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace rectify {

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, const char* usage) {
  absl::SetProgramUsageMessage(usage);
  // The environment is applied first so that the command line, parsed after it, wins.
  for (auto& [name, flag] : absl::GetAllFlags()) {
    std::string env_name = absl::StrCat("RECTIFY_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "bad value in %s: %s\n", env_name.c_str(), error.c_str());
      std::exit(2);
    }
  }
  return absl::ParseCommandLine(argc, argv);
}

absl::StatusOr<std::string> ResolveSecret(const std::string& value) {
  if (!absl::StartsWith(value, "@")) return value;
  std::ifstream in(value.substr(1));
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", value.substr(1)));
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(ss.str()));
}

}  // namespace rectify
