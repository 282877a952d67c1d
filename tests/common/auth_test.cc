#include "common/auth.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
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

}  // namespace
}  // namespace rectify
