// rectctl: the command line for department users and operators of Rectify.
//
//   rectctl token --role=office --org=hlj-office --region=230000 --dev_key=@.rectify/jwt.key
//   rectctl issues list --filter='state = RECTIFYING AND region = "230100"'
//   rectctl issues assign 42 --lead=hlj-water --rectifiers=gov-230100 --acceptance=hlj-deee
//       --deadline=2023-06-30 --klass=TIME_LIMITED
//   rectctl watch --after=0
//
// Each noun is a file of this directory with its table of verbs (command.h).
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cli/rectctl/command.h"
#include "cli/rectctl/session.h"
#include "common/config.h"

namespace {

// By default --help lists only the flags of a file named after the program (rectctl.cc);
// rectctl's flags are in the files of cli/rectctl/.
bool IsRectctlFile(absl::string_view file) {
  return absl::StrContains(absl::StrCat("/", file), "/rectctl/");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rectify::rectctl;
  const std::vector<const Noun*> nouns = {
      &TokenNoun(),       &HealthNoun(), &RegionsNoun(), &OrgsNoun(),
      &InspectionsNoun(), &IssuesNoun(), &StatsNoun(),   &SupervisionNoun(),
      &CasesNoun(),       &ExportNoun(), &WatchNoun(),
  };
  absl::FlagsUsageConfig config;
  config.contains_helpshort_flags = IsRectctlFile;
  config.contains_help_flags = IsRectctlFile;
  config.contains_helppackage_flags = IsRectctlFile;
  absl::SetFlagsUsageConfig(config);
  const std::string usage = Usage(nouns);
  auto raw = rectify::ParseFlagsWithEnvironment(argc, argv, usage.c_str());
  Session session(absl::GetFlag(FLAGS_addr), absl::GetFlag(FLAGS_accountability_addr),
                  absl::GetFlag(FLAGS_supervision_addr), absl::GetFlag(FLAGS_token),
                  absl::GetFlag(FLAGS_json), absl::GetFlag(FLAGS_timeout_seconds));
  return Dispatch(nouns, session, std::vector<std::string>(raw.begin(), raw.end()));
}
