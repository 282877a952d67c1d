#include "common/mysql/idempotency.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace rectify::mysql {
namespace {

// The stored key: the caller's own namespace of request ids.
std::string StoredRequestId(const RequestKey& key) {
  return crypto::Sha256Hex(absl::StrCat(key.caller, "\n", key.request_id));
}

}  // namespace

absl::StatusOr<std::optional<std::string>> LookupAnswer(Connection& conn, const RequestKey& key) {
  auto rs = conn.Query(
      "SELECT fingerprint, response FROM idempotency WHERE operation = ? AND request_id = ?",
      key.operation, StoredRequestId(key));
  if (!rs->next()) return std::optional<std::string>();
  if (rs->getString("fingerprint").asStdString() != key.fingerprint) {
    return InvalidField("request_id", "was already used for a different request");
  }
  return std::optional<std::string>(rs->getString("response").asStdString());
}

void RememberAnswer(Connection& conn, const RequestKey& key, const std::string& response) {
  conn.Exec(
      "INSERT INTO idempotency (operation, request_id, fingerprint, response, create_time) "
      "VALUES (?, ?, ?, ?, ?)",
      key.operation, StoredRequestId(key), key.fingerprint, response, FormatDateTime(key.now));
}

}  // namespace rectify::mysql
