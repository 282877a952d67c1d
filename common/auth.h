// Identity: every service verifies the caller's JWT itself (clients may bypass the gateway).
// Tokens are HS256 only; the algorithm is checked against an allow-list before anything else.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace rectify {

enum class Role {
  kOffice,
  kDepartment,
  kCity,
  kCounty,
  kSupervisor,
  kDiscipline,
  kPublic,
  kService,
};

absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

// Who is calling, from the verified token.
struct Principal {
  std::string subject;  // sub
  std::string org;      // org id, e.g. "gov-230100"
  Role role = Role::kPublic;
  std::string region;  // GB/T 2260 code
  // When the token stops being accepted (its exp plus the tolerated clock difference).
  absl::Time expires_at = absl::InfiniteFuture();
};

// The whole principal as one key: what idempotency keys, work queues and stream caps are bound
// to (a token with the same subject but another org, role or region is another caller).
std::string PrincipalKey(const Principal& principal);

class RegionDirectory;

struct JwtSettings {
  std::string secret;  // HS256 key
  std::string issuer = "rectify";
  std::string audience = "rectify";
  // Tolerated clock difference between the issuer and this service.
  absl::Duration leeway = absl::Seconds(30);
  // The codes a token's region may be (common/region.h). A city's or county's token must name a
  // known code of its level, and any other region named must be a known provincial code. Null
  // (tools and tests that mint tokens): no token is checked against it.
  std::shared_ptr<const RegionDirectory> regions = nullptr;
};

class JwtVerifier {
 public:
  explicit JwtVerifier(JwtSettings settings) : settings_(std::move(settings)) {}

  // UNAUTHENTICATED for a missing, malformed, unsigned, wrongly signed, expired or misaddressed
  // token; one whose parts are not canonical base64url or whose JSON repeats a key; one whose
  // claims do not name a known role, or name a region that is not a known code of its level.
  absl::StatusOr<Principal> Verify(absl::string_view token, absl::Time now) const;
  // Accepts "Bearer <token>" as sent in the authorization metadata.
  absl::StatusOr<Principal> VerifyAuthorizationHeader(absl::string_view header,
                                                      absl::Time now) const;

 private:
  JwtSettings settings_;
};

// Signs a token; used by rectctl's development tokens, the demo loader and tests.
std::string MintToken(const JwtSettings& settings, const Principal& principal, absl::Time now,
                      absl::Duration ttl);

}  // namespace rectify
