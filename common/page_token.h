// Opaque, tamper-proof page tokens for keyset pagination (AIP-158).
//
// A token seals the position after the last row served and a fingerprint of the query it belongs
// to with AES-256-GCM: callers can neither read nor forge it, and a token presented with a
// different filter or order is refused.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {

struct PagePosition {
  // The sort key of the last row served (a date, a timestamp or empty), and its id.
  std::string key;
  int64_t id = 0;
};

class PageTokenCodec {
 public:
  // `secret` is any service secret; a dedicated key is derived from it.
  explicit PageTokenCodec(absl::string_view secret);

  std::string Encode(absl::string_view query_fingerprint, const PagePosition& position) const;
  // INVALID_ARGUMENT (field page_token) when malformed, tampered with or made for another query.
  absl::StatusOr<PagePosition> Decode(absl::string_view token,
                                      absl::string_view query_fingerprint) const;

 private:
  std::string key_;
};

// Validates page_size per AIP-158: negative is an error, 0 is the default, larger is capped.
absl::StatusOr<int> EffectivePageSize(int requested, int default_size, int max_size);

}  // namespace rectify
