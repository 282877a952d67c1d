// Writes the validly signed seeds of corpus/jwt/: tokens minted by MintToken with the fuzz
// target's test secret at its fixed "now" (jwt_fuzz_settings.h), so that libFuzzer starts from
// inputs that get past the signature, and a few it must refuse for what they say rather than for
// how they are written. The files are committed; run it again if MintToken's format changes:
//
//   cmake --build BUILD --target jwt_fuzz_seeds && BUILD/tests/fuzz/jwt_fuzz_seeds
//   tests/fuzz/corpus/jwt
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "tests/fuzz/jwt_fuzz_settings.h"

namespace rectify::jwt_fuzz {
namespace {

bool Write(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream out(absl::StrCat(dir, "/", name), std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int Main(const std::string& dir) {
  const JwtSettings settings = Settings();
  const absl::Time now = Now();
  auto mint = [&](const Principal& p, absl::Time at = Now(), absl::Duration ttl = absl::Hours(1),
                  const JwtSettings& with = Settings()) { return MintToken(with, p, at, ttl); };
  struct Seed {
    const char* name;
    std::string text;
  };
  JwtSettings other_secret = settings;
  other_secret.secret = "another-secret";
  JwtSettings other_audience = settings;
  other_audience.audience = "another-audience";
  const Seed seeds[] = {
      {"valid_office.txt", mint({"alice", "hlj-office", Role::kOffice, "230000"})},
      {"valid_city.txt", mint({"bob", "gov-230100", Role::kCity, "230100"})},
      {"valid_county.txt", mint({"carol", "gov-230102", Role::kCounty, "230102"})},
      {"valid_public.txt", mint({"public-portal", "", Role::kPublic, ""})},
      {"valid_service.txt", mint({"supervision-service", "svc", Role::kService, ""})},
      {"valid_discipline_bearer.txt",
       absl::StrCat("Bearer ", mint({"dora", "hlj-discipline", Role::kDiscipline, "230000"}))},
      // Valid without the region directory only: a code no division has, a city's code for a
      // county.
      {"valid_unknown_region.txt", mint({"erin", "gov-239900", Role::kCity, "239900"})},
      {"valid_county_with_city_code.txt", mint({"finn", "gov-230100", Role::kCounty, "230100"})},
      // Refused for what they say.
      {"expired.txt", mint({"gus", "hlj-office", Role::kOffice, "230000"}, now - absl::Hours(3))},
      {"wrong_secret.txt",
       mint({"hana", "hlj-office", Role::kOffice, "230000"}, now, absl::Hours(1), other_secret)},
      {"wrong_audience.txt",
       mint({"ivan", "hlj-office", Role::kOffice, "230000"}, now, absl::Hours(1), other_audience)},
      {"city_without_region.txt", mint({"jin", "gov-230100", Role::kCity, ""})},
      {"office_without_org.txt", mint({"kai", "", Role::kOffice, "230000"})},
  };
  for (const Seed& seed : seeds) {
    if (!Write(dir, seed.name, seed.text)) {
      std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), seed.name);
      return 1;
    }
  }
  // The valid ones must verify, or the seeds would not reach past the signature.
  JwtVerifier verifier(settings);
  if (!verifier.Verify(seeds[0].text, now).ok() ||
      !verifier.VerifyAuthorizationHeader(seeds[5].text, now).ok()) {
    std::fprintf(stderr, "a minted seed does not verify\n");
    return 1;
  }
  std::printf("%zu seeds written to %s\n", sizeof(seeds) / sizeof(seeds[0]), dir.c_str());
  return 0;
}

}  // namespace
}  // namespace rectify::jwt_fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  return rectify::jwt_fuzz::Main(argv[1]);
}
