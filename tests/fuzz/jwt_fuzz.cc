// libFuzzer target for the verification of JWTs (common/auth.h), which every service does itself
// on every call's authorization metadata. An input is read two ways (see corpus/jwt/):
//
//   - as a token, or an authorization header ("Bearer <token>"), as it is: the seeds named
//     valid_* are tokens MintToken signed with the test secret (jwt_fuzz_seeds.cc wrote them), so
//     that the fuzzer starts past the signature;
//   - when it starts with '{', as a header's JSON, a line feed and the claims' JSON, which this
//     target encodes and signs with the test secret itself, so that the claims are fuzzed past a
//     signature that holds: the JSON, exp and nbf, the issuer, the audience, the role and region.
//
// Each token is verified with and without a region directory, at a fixed "now". Besides not
// crashing or throwing:
//
//   - a refusal is UNAUTHENTICATED, never another code;
//   - "Bearer <token>" (either case) is verified exactly as the token;
//   - an accepted token names a subject and a known role, an org unless it is the public's, a
//     six-digit region or none (never none for a city or county), and with the directory a known
//     code of the role's level; the directory only ever refuses more;
//   - it is not accepted with another secret, nor once its expires_at has passed, and the
//     principal minted again by MintToken verifies to the same principal.
//
// Built from the repository's root like multipart_fuzz.cc; tests/fuzz/CMakeLists.txt builds it
// as jwt_fuzz (libFuzzer) and jwt_replay (its corpus, run by ctest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/crypto.h"
#include "common/region.h"
#include "tests/fuzz/jwt_fuzz_settings.h"

namespace rectify::jwt_fuzz {
namespace {

const JwtVerifier& Plain() {
  static const JwtVerifier* verifier = new JwtVerifier(Settings());
  return *verifier;
}

const JwtVerifier& WithRegions() {
  static const JwtVerifier* verifier = new JwtVerifier(SettingsWithRegions());
  return *verifier;
}

const JwtVerifier& OtherSecret() {
  static const JwtVerifier* verifier = [] {
    JwtSettings settings = Settings();
    settings.secret = "another-secret";
    return new JwtVerifier(settings);
  }();
  return *verifier;
}

// The same outcome: both refused, or both accepted for the same principal.
bool Same(const absl::StatusOr<Principal>& a, const absl::StatusOr<Principal>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) return a.status().code() == b.status().code();
  return PrincipalKey(*a) == PrincipalKey(*b) && a->expires_at == b->expires_at;
}

void CheckOutcome(const absl::StatusOr<Principal>& p) {
  if (!p.ok() && p.status().code() != absl::StatusCode::kUnauthenticated) std::abort();
}

void CheckPrincipal(const Principal& p, const RegionDirectory* regions) {
  if (p.subject.empty() || RoleName(p.role) == "unknown") std::abort();
  if (p.role != Role::kPublic && p.org.empty()) std::abort();
  if (!p.region.empty() && !IsRegionCode(p.region)) std::abort();
  if ((p.role == Role::kCity || p.role == Role::kCounty) && p.region.empty()) std::abort();
  if (p.expires_at < Now()) std::abort();
  if (regions == nullptr || p.region.empty()) return;
  const RegionLevel level = regions->LevelOf(p.region);
  if (level == RegionLevel::kUnspecified) std::abort();
  if (p.role == Role::kCity && level != RegionLevel::kCity) std::abort();
  if (p.role == Role::kCounty && level != RegionLevel::kCounty) std::abort();
}

void CheckToken(absl::string_view token) {
  const absl::StatusOr<Principal> plain = Plain().Verify(token, Now());
  const absl::StatusOr<Principal> regional = WithRegions().Verify(token, Now());
  CheckOutcome(plain);
  CheckOutcome(regional);
  if (!Same(plain, Plain().VerifyAuthorizationHeader(absl::StrCat("Bearer ", token), Now())) ||
      !Same(plain, Plain().VerifyAuthorizationHeader(absl::StrCat("bearer ", token), Now()))) {
    std::abort();
  }
  if (regional.ok()) {
    CheckPrincipal(*regional, SettingsWithRegions().regions.get());
    if (!Same(regional, plain)) std::abort();
  }
  if (!plain.ok()) return;
  CheckPrincipal(*plain, nullptr);
  if (OtherSecret().Verify(token, Now()).ok()) std::abort();
  if (plain->expires_at != absl::InfiniteFuture() &&
      Plain().Verify(token, plain->expires_at + absl::Seconds(1)).ok()) {
    std::abort();
  }
  const std::string minted = MintToken(Settings(), *plain, Now(), absl::Hours(1));
  absl::StatusOr<Principal> again = Plain().Verify(minted, Now());
  if (!again.ok() || PrincipalKey(*again) != PrincipalKey(*plain)) std::abort();
}

// header and claims (JSON texts) as a compact JWS signed with the test secret.
std::string Sign(absl::string_view header, absl::string_view claims) {
  const std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(claims));
  return absl::StrCat(input, ".", absl::WebSafeBase64Escape(crypto::HmacSha256(kSecret, input)));
}

}  // namespace
}  // namespace rectify::jwt_fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace j = rectify::jwt_fuzz;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input[0] == '{') {
    const size_t eol = input.find('\n');
    const absl::string_view header = input.substr(0, eol);
    const absl::string_view claims =
        eol == absl::string_view::npos ? absl::string_view() : input.substr(eol + 1);
    j::CheckToken(j::Sign(header, claims));
    return 0;
  }
  j::CheckToken(input);
  // As the authorization metadata it may be.
  j::CheckOutcome(j::Plain().VerifyAuthorizationHeader(input, j::Now()));
  return 0;
}
