// Thin wrappers over OpenSSL for the primitives the suite needs: SHA-256, HMAC-SHA256 and
// AES-256-GCM. No cryptography is implemented here.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::crypto {

// Raw 32-byte digest.
std::string Sha256(absl::string_view data);
std::string Sha256Hex(absl::string_view data);
// Raw 32-byte MAC.
std::string HmacSha256(absl::string_view key, absl::string_view data);
// Constant-time comparison of two equally long byte strings.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);
std::string RandomBytes(size_t n);
std::string ToHex(absl::string_view bytes);

// Authenticated encryption with a 32-byte key. Output: nonce || ciphertext || tag.
std::string Seal(absl::string_view key, absl::string_view plaintext);
// Fails (INVALID_ARGUMENT) on any tampering.
absl::StatusOr<std::string> Open(absl::string_view key, absl::string_view sealed);

}  // namespace rectify::crypto

namespace rectify::crypto {

// SHA-256 over data that arrives in pieces (an upload, a stored file read chunk by chunk).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(absl::string_view data);
  std::string HexDigest();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace rectify::crypto
