#include "common/auth.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/region.h"
#include "common/status.h"

namespace rectify {
namespace {

using nlohmann::json;

constexpr std::pair<Role, absl::string_view> kRoles[] = {
    {Role::kOffice, "office"}, {Role::kDepartment, "department"}, {Role::kCity, "city"},
    {Role::kCounty, "county"}, {Role::kSupervisor, "supervisor"}, {Role::kDiscipline, "discipline"},
    {Role::kPublic, "public"}, {Role::kService, "service"},
};

// One encoding per value: unpadded base64url as RFC 7515 writes it. Anything else (padding,
// stray bits in the last character) would let one signature stand for several tokens.
absl::StatusOr<std::string> DecodeCanonical(absl::string_view part, absl::string_view what) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(part, &raw) || absl::WebSafeBase64Escape(raw) != part) {
    return UnauthenticatedError(absl::StrCat("token ", what, " is not canonical base64url"));
  }
  return raw;
}

absl::StatusOr<json> DecodeJsonPart(absl::string_view part, absl::string_view what) {
  ASSIGN_OR_RETURN(std::string raw, DecodeCanonical(part, what));
  // A repeated key would leave the meaning to the parser ("role" twice: the last one wins here,
  // the first elsewhere); such a token is refused.
  std::vector<std::vector<std::string>> keys;
  bool repeated = false;
  json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty()) {
      auto& seen = keys.back();
      const auto& key = parsed.get_ref<const std::string&>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) repeated = true;
      seen.push_back(key);
    }
    return true;
  };
  json j = json::parse(raw, watch, /*allow_exceptions=*/false);
  if (!j.is_object()) return UnauthenticatedError(absl::StrCat("token ", what, " is not JSON"));
  if (repeated) return UnauthenticatedError(absl::StrCat("token ", what, " repeats a key"));
  return j;
}

// The level a role's region is named at; kUnspecified where any known code will do.
RegionLevel RegionLevelOf(Role role) {
  switch (role) {
    case Role::kCity:
      return RegionLevel::kCity;
    case Role::kCounty:
      return RegionLevel::kCounty;
    case Role::kOffice:
    case Role::kDepartment:
    case Role::kSupervisor:
    case Role::kDiscipline:
      return RegionLevel::kProvince;
    default:
      return RegionLevel::kUnspecified;
  }
}

absl::Status CheckRegionClaim(const Principal& p, const RegionDirectory* regions) {
  if (p.region.empty()) {
    if (p.role == Role::kCity || p.role == Role::kCounty) {
      return UnauthenticatedError("token of a city or county lacks region");
    }
    return absl::OkStatus();
  }
  if (!IsRegionCode(p.region)) {
    return UnauthenticatedError("token region is not a six-digit GB/T 2260 code");
  }
  if (regions == nullptr) return absl::OkStatus();
  RegionLevel level = regions->LevelOf(p.region);
  if (level == RegionLevel::kUnspecified) {
    return UnauthenticatedError("token region is not a known division");
  }
  RegionLevel want = RegionLevelOf(p.role);
  if (want != RegionLevel::kUnspecified && level != want) {
    return UnauthenticatedError(
        absl::StrCat("token region is not a division of a ", RoleName(p.role), "'s level"));
  }
  return absl::OkStatus();
}

// A NumericDate claim (RFC 7519: seconds since the epoch, perhaps with a fraction); nullopt when
// absent or not a number. Read without converting a double to an integer, which for 1e300 would
// be undefined behaviour: a time past absl::Time's range is infinitely far.
std::optional<absl::Time> NumericDate(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  if (it->is_number_float()) return absl::UnixEpoch() + absl::Seconds(it->get<double>());
  if (it->is_number_unsigned() &&
      it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return absl::InfiniteFuture();
  }
  return absl::FromUnixSeconds(it->get<int64_t>());
}

std::string StringClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool AudienceMatches(const json& claims, absl::string_view audience) {
  auto it = claims.find("aud");
  if (it == claims.end()) return false;
  if (it->is_string()) return it->get<std::string>() == audience;
  if (it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string() && a.get<std::string>() == audience) return true;
    }
  }
  return false;
}

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::string PrincipalKey(const Principal& p) {
  return absl::StrCat(p.subject, "\x1f", p.org, "\x1f", RoleName(p.role), "\x1f", p.region);
}

absl::StatusOr<Principal> JwtVerifier::Verify(absl::string_view token, absl::Time now) const {
  if (token.empty()) return UnauthenticatedError("missing bearer token");
  if (token.size() > 8192) return UnauthenticatedError("token too large");
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return UnauthenticatedError("token is not a compact JWS");
  ASSIGN_OR_RETURN(json header, DecodeJsonPart(parts[0], "header"));
  // Allow-list: HS256 only. "none" and every asymmetric or other algorithm is refused before the
  // signature is looked at.
  if (StringClaim(header, "alg") != "HS256") {
    return UnauthenticatedError("token algorithm not allowed");
  }
  ASSIGN_OR_RETURN(std::string signature, DecodeCanonical(parts[2], "signature"));
  std::string signing_input = absl::StrCat(parts[0], ".", parts[1]);
  if (!crypto::ConstantTimeEquals(signature, crypto::HmacSha256(settings_.secret, signing_input))) {
    return UnauthenticatedError("token signature does not verify");
  }
  ASSIGN_OR_RETURN(json claims, DecodeJsonPart(parts[1], "claims"));
  std::optional<absl::Time> exp = NumericDate(claims, "exp");
  if (!exp) return UnauthenticatedError("token has no exp");
  if (*exp + settings_.leeway < now) return UnauthenticatedError("token expired");
  if (std::optional<absl::Time> nbf = NumericDate(claims, "nbf");
      nbf && *nbf - settings_.leeway > now) {
    return UnauthenticatedError("token not yet valid");
  }
  if (StringClaim(claims, "iss") != settings_.issuer) {
    return UnauthenticatedError("token issuer not accepted");
  }
  if (!AudienceMatches(claims, settings_.audience)) {
    return UnauthenticatedError("token audience not accepted");
  }
  Principal p;
  p.expires_at = *exp + settings_.leeway;
  p.subject = StringClaim(claims, "sub");
  p.org = StringClaim(claims, "org");
  p.region = StringClaim(claims, "region");
  auto role = ParseRole(StringClaim(claims, "role"));
  if (p.subject.empty() || !role) return UnauthenticatedError("token lacks sub or a known role");
  p.role = *role;
  if (p.role != Role::kPublic && p.org.empty()) {
    return UnauthenticatedError("token lacks org");
  }
  RETURN_IF_ERROR(CheckRegionClaim(p, settings_.regions.get()));
  return p;
}

absl::StatusOr<Principal> JwtVerifier::VerifyAuthorizationHeader(absl::string_view header,
                                                                 absl::Time now) const {
  constexpr absl::string_view kBearer = "Bearer ";
  if (header.empty()) return UnauthenticatedError("missing authorization metadata");
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    return UnauthenticatedError("authorization is not a Bearer token");
  }
  return Verify(header.substr(kBearer.size()), now);
}

std::string MintToken(const JwtSettings& settings, const Principal& principal, absl::Time now,
                      absl::Duration ttl) {
  json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  json claims = {{"sub", principal.subject},
                 {"org", principal.org},
                 {"role", std::string(RoleName(principal.role))},
                 {"region", principal.region},
                 {"iss", settings.issuer},
                 {"aud", settings.audience},
                 {"iat", absl::ToUnixSeconds(now)},
                 {"exp", absl::ToUnixSeconds(now + ttl)}};
  std::string input = absl::StrCat(absl::WebSafeBase64Escape(header.dump()), ".",
                                   absl::WebSafeBase64Escape(claims.dump()));
  return absl::StrCat(input, ".",
                      absl::WebSafeBase64Escape(crypto::HmacSha256(settings.secret, input)));
}

}  // namespace rectify
