#include "common/change_record.h"

#include <map>

#include "common/mysql/history_store.h"

namespace rectify {

namespace {

// The change's history record (before it is linked into its chain) and its event.
HistoryRecord RecordOf(const Principal& actor, absl::Time now, const std::string& resource,
                       const std::string& type, const std::string& payload) {
  HistoryRecord record;
  record.resource = resource;
  record.action = type;
  record.actor = actor.subject;
  record.actor_org = actor.org;
  record.time = now;
  record.payload_json = payload;
  return record;
}

OutboxEvent EventOf(const Principal& actor, absl::Time now, const std::string& resource,
                    const std::string& type, const std::string& payload) {
  OutboxEvent event;
  event.type = type;
  event.resource = resource;
  event.actor = actor.subject;
  event.actor_org = actor.org;
  event.payload_json = payload;
  event.create_time = now;
  return event;
}

}  // namespace

HistoryHead RecordChange(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                         const std::string& resource, const std::string& type,
                         const std::string& payload, std::optional<HistoryHead> head) {
  HistoryRecord record =
      HistoryStore::Append(tx, RecordOf(actor, now, resource, type, payload), head);
  (void)events.Append(tx, EventOf(actor, now, resource, type, payload));
  return HistoryHead{record.seq, record.hash};
}

void RecordChanges(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                   std::vector<PendingChange>& changes) {
  std::vector<HistoryRecord> records;
  std::vector<OutboxEvent> stream;
  std::map<std::string, HistoryHead> heads;  // the batch's latest per resource
  for (auto& change : changes) {
    auto earlier = heads.find(change.resource);
    HistoryRecord record =
        HistoryStore::Link(RecordOf(actor, now, change.resource, change.type, change.payload),
                           earlier == heads.end() ? change.head : earlier->second);
    change.head = HistoryHead{record.seq, record.hash};
    heads[change.resource] = change.head;
    stream.push_back(EventOf(actor, now, change.resource, change.type, change.payload));
    records.push_back(std::move(record));
  }
  HistoryStore::WriteAll(tx, records);
  (void)events.AppendAll(tx, stream);
}

}  // namespace rectify
