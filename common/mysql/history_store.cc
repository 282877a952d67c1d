#include "common/mysql/history_store.h"

#include "absl/strings/str_cat.h"
#include "common/mysql/row_batch.h"

namespace rectify {

HistoryRecord HistoryStore::Append(mysql::Tx& tx, HistoryRecord record,
                                   std::optional<HistoryHead> head) {
  auto& conn = tx.conn();
  if (!head) {
    head.emplace();
    auto rs =
        conn.Query("SELECT seq, hash FROM history WHERE resource = ? ORDER BY seq DESC LIMIT 1",
                   record.resource);
    if (rs->next()) {
      head->seq = rs->getInt64("seq");
      head->hash = rs->getString("hash").asStdString();
    }
  }
  record = Link(std::move(record), *head);
  WriteAll(tx, {record});
  return record;
}

HistoryRecord HistoryStore::Link(HistoryRecord record, const HistoryHead& head) {
  record.seq = head.seq + 1;
  record.prev_hash = head.hash;
  // Stored times have microsecond precision; hash what will be read back.
  record.time = absl::FromUnixMicros(absl::ToUnixMicros(record.time));
  record.hash = ComputeHash(record);
  return record;
}

void HistoryStore::WriteAll(mysql::Tx& tx, const std::vector<HistoryRecord>& records) {
  mysql::RowBatch rows(
      "INSERT INTO history (resource, seq, action, actor, actor_org, occurred_at, payload, "
      "prev_hash, hash) VALUES ",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& r : records) {
    rows.Add(r.resource, r.seq, r.action, r.actor, r.actor_org, mysql::FormatDateTime(r.time),
             r.payload_json, r.prev_hash, r.hash);
  }
  rows.Exec(tx.conn());
}

std::vector<HistoryRecord> HistoryStore::Load(mysql::Connection& conn,
                                              const std::string& resource) {
  return LoadPage(conn, resource, /*newest_first=*/false, 0, std::numeric_limits<int>::max());
}

std::vector<HistoryRecord> HistoryStore::LoadPage(mysql::Connection& conn,
                                                  const std::string& resource, bool newest_first,
                                                  int64_t from_seq, int limit) {
  constexpr char kColumns[] =
      "SELECT resource, seq, action, actor, actor_org, occurred_at, payload, prev_hash, hash "
      "FROM history WHERE resource = ? ";
  auto rs = newest_first
                ? conn.Query(absl::StrCat(kColumns, "AND seq < ? ORDER BY seq DESC LIMIT ?"),
                             resource, from_seq > 0 ? from_seq : INT64_MAX, limit)
                : conn.Query(absl::StrCat(kColumns, "AND seq > ? ORDER BY seq LIMIT ?"), resource,
                             from_seq, limit);
  std::vector<HistoryRecord> out;
  while (rs->next()) {
    HistoryRecord r;
    r.resource = rs->getString("resource").asStdString();
    r.seq = rs->getInt64("seq");
    r.action = rs->getString("action").asStdString();
    r.actor = rs->getString("actor").asStdString();
    r.actor_org = rs->getString("actor_org").asStdString();
    r.time = mysql::ParseDateTime(rs->getString("occurred_at").asStdString());
    r.payload_json = mysql::GetString(*rs, "payload");
    r.prev_hash = rs->getString("prev_hash").asStdString();
    r.hash = rs->getString("hash").asStdString();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace rectify
