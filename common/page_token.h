// Opaque, tamper-proof page tokens for keyset pagination (AIP-158).
//
// A token seals the position after the last row served and a fingerprint of the query it belongs
// to with AES-256-GCM: callers can neither read nor forge it, and a token presented with a
// different filter or order is refused.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// The page sizes of every List RPC.
struct PageSizes {
  int default_size = 50;
  int max_size = 500;
};

// Validates page_size per AIP-158: negative is an error, 0 is the default, larger is capped.
absl::StatusOr<int> EffectivePageSize(int requested, int default_size, int max_size);
inline absl::StatusOr<int> EffectivePageSize(int requested, PageSizes sizes) {
  return EffectivePageSize(requested, sizes.default_size, sizes.max_size);
}

template <typename Row>
struct KeysetPage {
  std::vector<Row> rows;
  std::string next_page_token;  // empty on the last page
};

// One page of a keyset-paged list: `fetch(after, limit)` reads up to `limit` rows after the
// position the caller's token names (from the start without one): one more than the page holds,
// so that whether another page follows is known without counting. The page keeps `size` rows and,
// when there was one more, seals the last kept row's position (`position_of`) as the next token,
// bound to `fingerprint` (the query and whatever else the token must not be used without).
template <typename Row, typename Fetch, typename PositionOf>
absl::StatusOr<KeysetPage<Row>> ReadKeysetPage(const PageTokenCodec& tokens,
                                               absl::string_view fingerprint,
                                               absl::string_view page_token, int size, Fetch fetch,
                                               PositionOf position_of) {
  PagePosition after;
  if (!page_token.empty()) {
    auto decoded = tokens.Decode(page_token, fingerprint);
    if (!decoded.ok()) return decoded.status();
    after = *std::move(decoded);
  }
  absl::StatusOr<std::vector<Row>> rows = fetch(after, size + 1);
  if (!rows.ok()) return rows.status();
  KeysetPage<Row> page;
  page.rows = *std::move(rows);
  if (static_cast<int>(page.rows.size()) > size) {
    page.rows.resize(size);
    page.next_page_token = tokens.Encode(fingerprint, position_of(page.rows.back()));
  }
  return page;
}

}  // namespace rectify
