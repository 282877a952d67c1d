#include "common/auth.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/region.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

const JwtSettings kSettings{"a-test-secret-that-is-long-enough-0123", "rectify", "rectify"};
const absl::Time kNow = absl::FromUnixSeconds(1700000000);

Principal Office() { return Principal{"alice", "hlj-office", Role::kOffice, "230000"}; }

std::string Sign(const std::string& header, const std::string& claims,
                 const std::string& secret = kSettings.secret) {
  std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(claims));
  return absl::StrCat(input, ".", absl::WebSafeBase64Escape(crypto::HmacSha256(secret, input)));
}

std::string Claims(const std::string& extra = "") {
  return absl::StrCat(R"({"sub":"bob","org":"gov-230100","role":"city","region":"230100",)",
                      R"("iss":"rectify","aud":"rectify","exp":)", absl::ToUnixSeconds(kNow) + 60,
                      extra, "}");
}

TEST(JwtTest, MintedTokenVerifiesToTheSamePrincipal) {
  JwtVerifier verifier(kSettings);
  auto p = verifier.Verify(MintToken(kSettings, Office(), kNow, absl::Hours(1)), kNow);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "alice");
  EXPECT_EQ(p->org, "hlj-office");
  EXPECT_EQ(p->role, Role::kOffice);
  EXPECT_EQ(p->region, "230000");
}

TEST(JwtTest, BearerHeaderIsParsed) {
  JwtVerifier verifier(kSettings);
  std::string token = MintToken(kSettings, Office(), kNow, absl::Hours(1));
  EXPECT_TRUE(verifier.VerifyAuthorizationHeader("Bearer " + token, kNow).ok());
  EXPECT_EQ(verifier.VerifyAuthorizationHeader("Basic abc", kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier.VerifyAuthorizationHeader("", kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, AlgorithmNoneIsRefused) {
  JwtVerifier verifier(kSettings);
  std::string unsigned_token = absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none"})"), ".",
                                            absl::WebSafeBase64Escape(Claims()), ".");
  EXPECT_EQ(verifier.Verify(unsigned_token, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, OtherAlgorithmsAreRefusedEvenWhenTheMacMatches) {
  JwtVerifier verifier(kSettings);
  for (const char* alg : {"HS512", "RS256", "ES256", "hs256"}) {
    std::string token = Sign(absl::StrCat(R"({"alg":")", alg, R"("})"), Claims());
    EXPECT_EQ(verifier.Verify(token, kNow).status().code(), absl::StatusCode::kUnauthenticated)
        << alg;
  }
}

TEST(JwtTest, WrongKeyOrAlteredClaimsAreRefused) {
  JwtVerifier verifier(kSettings);
  EXPECT_FALSE(verifier.Verify(Sign(R"({"alg":"HS256"})", Claims(), "another-key"), kNow).ok());
  std::string good = Sign(R"({"alg":"HS256"})", Claims());
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  parts[1] = absl::WebSafeBase64Escape(Claims().replace(Claims().find("city"), 4, "office"));
  EXPECT_FALSE(verifier.Verify(absl::StrJoin(parts, "."), kNow).ok());
}

TEST(JwtTest, ExpiryIssuerAndAudienceAreChecked) {
  JwtVerifier verifier(kSettings);
  EXPECT_TRUE(verifier.Verify(Sign(R"({"alg":"HS256"})", Claims()), kNow).ok());
  EXPECT_FALSE(verifier.Verify(Sign(R"({"alg":"HS256"})", Claims()), kNow + absl::Hours(1)).ok());
  JwtSettings other = kSettings;
  other.issuer = "someone-else";
  EXPECT_FALSE(JwtVerifier(other).Verify(Sign(R"({"alg":"HS256"})", Claims()), kNow).ok());
  other = kSettings;
  other.audience = "another-suite";
  EXPECT_FALSE(JwtVerifier(other).Verify(Sign(R"({"alg":"HS256"})", Claims()), kNow).ok());
}

TEST(JwtTest, ClaimsMustNameAKnownRoleAndItsScope) {
  JwtVerifier verifier(kSettings);
  auto exp = absl::ToUnixSeconds(kNow) + 60;
  auto token = [&](const std::string& body) {
    return Sign(R"({"alg":"HS256"})",
                absl::StrCat("{", body, R"(,"iss":"rectify","aud":"rectify","exp":)", exp, "}"));
  };
  EXPECT_FALSE(verifier.Verify(token(R"("sub":"x","org":"o","role":"emperor")"), kNow).ok());
  EXPECT_FALSE(verifier.Verify(token(R"("sub":"x","org":"gov-230100","role":"city")"), kNow).ok())
      << "a city without a region has no scope";
  EXPECT_FALSE(verifier.Verify(token(R"("org":"hlj-office","role":"office")"), kNow).ok());
  EXPECT_TRUE(verifier.Verify(token(R"("sub":"citizen","role":"public")"), kNow).ok());
}

TEST(JwtTest, GarbageIsUnauthenticated) {
  JwtVerifier verifier(kSettings);
  for (const char* t : {"", "abc", "a.b", "a.b.c", "....", "\xff\xfe.x.y"}) {
    EXPECT_EQ(verifier.Verify(t, kNow).status().code(), absl::StatusCode::kUnauthenticated) << t;
  }
}

// Claims of a token, with `fields` (JSON members, comma-led) after sub, org and role.
std::string ClaimsOf(const std::string& role, const std::string& region,
                     const std::string& fields = "") {
  return absl::StrCat(R"({"sub":"bob","org":"gov-x","role":")", role, R"(","region":")", region,
                      R"(","iss":"rectify","aud":"rectify","exp":)", absl::ToUnixSeconds(kNow) + 60,
                      fields, "}");
}

JwtSettings WithRegions() {
  auto regions = std::make_shared<RegionDirectory>();
  regions->Replace({{"230000", RegionLevel::kProvince},
                    {"230100", RegionLevel::kCity},
                    {"230102", RegionLevel::kCounty}});
  JwtSettings settings = kSettings;
  settings.regions = regions;
  return settings;
}

TEST(JwtClaimsTest, ARegionMustBeAKnownCodeOfTheRolesLevel) {
  JwtVerifier verifier(WithRegions());
  auto code = [&](const std::string& role, const std::string& region) {
    return verifier.Verify(Sign(R"({"alg":"HS256"})", ClaimsOf(role, region)), kNow)
        .status()
        .code();
  };
  constexpr auto kOk = absl::StatusCode::kOk;
  constexpr auto kRefused = absl::StatusCode::kUnauthenticated;
  EXPECT_EQ(code("city", "230100"), kOk);
  EXPECT_EQ(code("county", "230102"), kOk);
  EXPECT_EQ(code("office", "230000"), kOk);
  EXPECT_EQ(code("department", ""), kOk);
  EXPECT_EQ(code("city", "23"), kRefused);  // a prefix would widen the scope to the province
  EXPECT_EQ(code("city", "abc"), kRefused);
  EXPECT_EQ(code("city", "230102"), kRefused);  // a county's code in a city's token
  EXPECT_EQ(code("county", "230100"), kRefused);
  EXPECT_EQ(code("city", "239900"), kRefused);  // well formed, not a known division
  EXPECT_EQ(code("office", "230100"), kRefused);
  EXPECT_EQ(code("county", ""), kRefused);
}

TEST(JwtClaimsTest, ARepeatedKeyIsRefusedWhereverItIs) {
  JwtVerifier verifier(WithRegions());
  std::string twice = ClaimsOf("county", "230102", R"(,"role":"office")");
  EXPECT_EQ(verifier.Verify(Sign(R"({"alg":"HS256"})", twice), kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(
      verifier.Verify(Sign(R"({"alg":"HS256","alg":"HS256"})", ClaimsOf("city", "230100")), kNow)
          .status()
          .code(),
      absl::StatusCode::kUnauthenticated);
  // The same key in different objects is no repetition.
  std::string nested = ClaimsOf("city", "230100", R"(,"ctx":{"sub":"x"})");
  EXPECT_TRUE(verifier.Verify(Sign(R"({"alg":"HS256"})", nested), kNow).ok());
}

// Found by fuzzing (tests/fuzz/jwt_fuzz.cc): an exp or nbf of 1e300 was converted to an integer
// with undefined behaviour. A NumericDate may have a fraction; one out of range is infinitely far.
TEST(JwtClaimsTest, ExpAndNbfAreReadWithoutOverflow) {
  JwtVerifier verifier(kSettings);
  auto with = [&](const std::string& dates) {
    return verifier.Verify(
        Sign(R"({"alg":"HS256"})",
             absl::StrCat(R"({"sub":"bob","org":"gov-230100","role":"city","region":"230100",)",
                          R"("iss":"rectify","aud":"rectify",)", dates, "}")),
        kNow);
  };
  auto forever = with(R"("exp":1e300)");
  ASSERT_TRUE(forever.ok()) << forever.status();
  EXPECT_EQ(forever->expires_at, absl::InfiniteFuture());
  EXPECT_TRUE(with(R"("exp":18446744073709551615)").ok());
  EXPECT_EQ(with(R"("exp":-1e300)").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(with(absl::StrCat(R"("exp":)", absl::ToUnixSeconds(kNow) + 60, R"(,"nbf":1e300)"))
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(
      with(absl::StrCat(R"("exp":)", absl::ToUnixSeconds(kNow) + 60, R"(,"nbf":-1e300)")).ok());
  auto fraction = with(absl::StrCat(R"("exp":)", absl::ToUnixSeconds(kNow) + 60, ".5"));
  ASSERT_TRUE(fraction.ok()) << fraction.status();
  EXPECT_EQ(fraction->expires_at, kNow + absl::Seconds(60.5) + kSettings.leeway);
}

TEST(JwtClaimsTest, OnlyCanonicalBase64urlIsAccepted) {
  JwtVerifier verifier(WithRegions());
  std::string token = Sign(R"({"alg":"HS256"})", ClaimsOf("city", "230100"));
  ASSERT_TRUE(verifier.Verify(token, kNow).ok());
  EXPECT_EQ(verifier.Verify(token + "=", kNow).status().code(), absl::StatusCode::kUnauthenticated);
  // The 32-byte signature's last character carries two unused bits: flipping them keeps the bytes
  // but not the encoding.
  std::string other = token;
  char& last = other.back();
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t at = alphabet.find(last);
  last = alphabet[(at & ~size_t{3}) | ((at + 1) & 3)];
  EXPECT_EQ(verifier.Verify(other, kNow).status().code(), absl::StatusCode::kUnauthenticated);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string padded_claims = absl::StrCat(parts[0], ".", parts[1], "==.", parts[2]);
  EXPECT_EQ(verifier.Verify(padded_claims, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace rectify
