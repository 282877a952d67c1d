// `rectctl token`: mints a token for development and demonstrations.
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/rectctl/command.h"
#include "common/auth.h"
#include "common/config.h"

ABSL_FLAG(std::string, role, "",
          "token: office, department, city, county, supervisor, "
          "discipline, public or service");
ABSL_FLAG(std::string, org, "", "token: org id");
ABSL_FLAG(std::string, sub, "", "token: subject (defaults to <role>@<org>)");
ABSL_FLAG(std::string, dev_key, "", "token: the development signing key, or @file");
ABSL_FLAG(int, ttl_hours, 12, "token: lifetime");
ABSL_FLAG(std::string, issuer, "rectify", "token: issuer");
ABSL_FLAG(std::string, audience, "rectify", "token: audience");

namespace rectify::rectctl {
namespace {

int Mint(Session&, const Args&) {
  auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_key));
  if (absl::GetFlag(FLAGS_dev_key).empty() || !key.ok()) {
    // scripts/up writes the development key there.
    Fail("token needs --dev_key (the development signing key, e.g. @.rectify/jwt.key)");
  }
  // Development keys carry a marker; a production key is refused so that this command can
  // never mint real credentials.
  if (!absl::StartsWith(*key, "rectify-dev-")) {
    Fail("--dev_key is not a development signing key (it must start with rectify-dev-)");
  }
  auto role = ParseRole(absl::GetFlag(FLAGS_role));
  if (!role) {
    Fail("--role: office, department, city, county, supervisor, discipline, public, service");
  }
  Principal p;
  p.role = *role;
  p.org = absl::GetFlag(FLAGS_org);
  p.region = absl::GetFlag(FLAGS_region);
  p.subject = absl::GetFlag(FLAGS_sub);
  if (p.subject.empty()) {
    p.subject = absl::StrCat(RoleName(p.role), "@", p.org.empty() ? "public" : p.org);
  }
  JwtSettings settings{*key, absl::GetFlag(FLAGS_issuer), absl::GetFlag(FLAGS_audience)};
  std::cout << MintToken(settings, p, absl::Now(), absl::Hours(absl::GetFlag(FLAGS_ttl_hours)))
            << "\n";
  return 0;
}

}  // namespace

const Noun& TokenNoun() {
  static const Noun noun{
      .name = "token",
      .summary = "mint a development token (--role --org --region --dev_key)",
      .verbs = {{"", "", "", &Mint}},
  };
  return noun;
}

}  // namespace rectify::rectctl
