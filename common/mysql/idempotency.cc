#include "common/mysql/idempotency.h"

namespace rectify::mysql {

absl::StatusOr<std::optional<std::string>> LookupAnswer(Connection& conn, const RequestKey& key) {
  auto rs = conn.Query(
      "SELECT fingerprint, response FROM idempotency WHERE operation = ? AND request_id = ?",
      key.operation, key.request_id);
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
      key.operation, key.request_id, key.fingerprint, response, FormatDateTime(key.now));
}

}  // namespace rectify::mysql
