// libFuzzer target for page tokens (common/page_token.h), which every List RPC takes back from its
// caller. An input is read two ways (see corpus/page_token/):
//
//   - as a token, given to Decode as it is: a forged or damaged token is refused, and it is
//     INVALID_ARGUMENT on "page_token", never another code and never an exception;
//   - when it starts with '{', as the plain text of a token, which this target seals with the
//     codec's key itself, so that what Decode does after the authentication (reading the JSON it
//     wrote) is fuzzed too: a token of a future format, or one sealed with a leaked key, must be
//     refused in the same way and not crash or throw.
//
// And whatever the input, a position made of its bytes (a key of valid UTF-8, an id) comes back
// from Encode and Decode as it went in, for its query only.
//
// Built from the repository's root like multipart_fuzz.cc; tests/fuzz/CMakeLists.txt builds it
// as page_token_fuzz (libFuzzer) and page_token_replay (its corpus, run by ctest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/crypto.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/text.h"

namespace rectify {
namespace {

constexpr absl::string_view kSecret = "page-token-fuzz-secret";
// The query the seeds' plain texts were made for: "q" is the first 16 hex digits of its SHA-256.
constexpr absl::string_view kQuery = "issues|state = RECTIFYING|create_time desc";

const PageTokenCodec& Codec() {
  static const PageTokenCodec* codec = new PageTokenCodec(kSecret);
  return *codec;
}

// The key PageTokenCodec derives from its secret (page_token.cc), checked once against a token the
// codec made, so that a change there cannot leave the sealed inputs silently refused.
const std::string& SealingKey() {
  static const std::string* key = [] {
    auto* k = new std::string(crypto::Sha256(absl::StrCat("rectify page token v1\n", kSecret)));
    std::string sealed;
    if (!absl::WebSafeBase64Unescape(Codec().Encode(kQuery, {"2024-01-31", 7}), &sealed) ||
        !crypto::Open(*k, sealed).ok()) {
      std::abort();
    }
    return k;
  }();
  return *key;
}

void CheckRefusal(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  const std::vector<FieldViolation> violations = FieldViolations(status);
  if (violations.size() != 1 || violations[0].field != "page_token") std::abort();
}

void CheckDecode(absl::string_view token) {
  absl::StatusOr<PagePosition> position = Codec().Decode(token, kQuery);
  if (!position.ok()) {
    CheckRefusal(position.status());
    return;
  }
  // Bound to its query: another one's fingerprint refuses it.
  absl::StatusOr<PagePosition> other = Codec().Decode(token, "issues||create_time");
  if (other.ok()) std::abort();
  CheckRefusal(other.status());
  // What it read, sealed again, reads back the same.
  absl::StatusOr<PagePosition> again = Codec().Decode(Codec().Encode(kQuery, *position), kQuery);
  if (!again.ok() || again->key != position->key || again->id != position->id) std::abort();
}

void CheckRoundTrip(absl::string_view input) {
  PagePosition position;
  const size_t n = std::min(input.size(), sizeof(position.id));
  uint64_t bits = 0;
  std::memcpy(&bits, input.data(), n);
  position.id = static_cast<int64_t>(bits);
  // The sort keys the services seal are dates and timestamps: text, never other bytes.
  const absl::string_view key = input.substr(n, 64);
  if (IsValidUtf8(key)) position.key = std::string(key);
  const std::string token = Codec().Encode(input, position);
  absl::StatusOr<PagePosition> back = Codec().Decode(token, input);
  if (!back.ok() || back->key != position.key || back->id != position.id) std::abort();
  if (token.size() > 1024) return;  // a key this long would not be sealed by a service anyway
  CheckDecode(token);
}

}  // namespace
}  // namespace rectify

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  rectify::CheckDecode(input);
  if (!input.empty() && input[0] == '{') {
    rectify::CheckDecode(
        absl::WebSafeBase64Escape(rectify::crypto::Seal(rectify::SealingKey(), input)));
  }
  rectify::CheckRoundTrip(input);
  return 0;
}
