#include "common/page_token.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status.h"

namespace rectify {

PageTokenCodec::PageTokenCodec(absl::string_view secret)
    : key_(crypto::Sha256(absl::StrCat("rectify page token v1\n", secret))) {}

std::string PageTokenCodec::Encode(absl::string_view query_fingerprint,
                                   const PagePosition& position) const {
  nlohmann::json j = {{"q", crypto::ToHex(crypto::Sha256(query_fingerprint)).substr(0, 16)},
                      {"k", position.key},
                      {"i", position.id}};
  return absl::WebSafeBase64Escape(crypto::Seal(key_, j.dump()));
}

absl::StatusOr<PagePosition> PageTokenCodec::Decode(absl::string_view token,
                                                    absl::string_view query_fingerprint) const {
  std::string sealed;
  if (token.size() > 1024 || !absl::WebSafeBase64Unescape(token, &sealed)) {
    return InvalidField("page_token", "malformed page token");
  }
  auto plain = crypto::Open(key_, sealed);
  if (!plain.ok()) return InvalidField("page_token", "malformed page token");
  auto j = nlohmann::json::parse(*plain, nullptr, false);
  // What Encode writes, and nothing else: reading "k" or "i" of another type would throw, or
  // convert a number such as 1e300 with undefined behaviour. Only a token sealed with this key
  // gets here, but a format of another version of this code could.
  if (!j.is_object() || !j.contains("q") || !j["k"].is_string() || !j["i"].is_number_integer() ||
      (j["i"].is_number_unsigned() &&
       j["i"].get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
    return InvalidField("page_token", "malformed page token");
  }
  if (j["q"] != crypto::ToHex(crypto::Sha256(query_fingerprint)).substr(0, 16)) {
    return InvalidField("page_token", "page token was issued for a different filter or order_by");
  }
  return PagePosition{j["k"].get<std::string>(), j["i"].get<int64_t>()};
}

absl::StatusOr<int> EffectivePageSize(int requested, int default_size, int max_size) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

}  // namespace rectify
