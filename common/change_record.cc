#include "common/change_record.h"

#include <map>

#include "common/mysql/history_store.h"

namespace rectify {

HistoryHead RecordChange(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                         const std::string& resource, const std::string& type,
                         const std::string& payload, std::optional<HistoryHead> head) {
  HistoryRecord record;
  record.resource = resource;
  record.action = type;
  record.actor = actor.subject;
  record.actor_org = actor.org;
  record.time = now;
  record.payload_json = payload;
  record = HistoryStore::Append(tx, std::move(record), head);
  OutboxEvent event;
  event.type = type;
  event.resource = resource;
  event.actor = actor.subject;
  event.actor_org = actor.org;
  event.payload_json = payload;
  event.create_time = now;
  (void)events.Append(tx, event);
  return HistoryHead{record.seq, record.hash};
}

void RecordChanges(mysql::Tx& tx, EventLog& events, const Principal& actor, absl::Time now,
                   std::vector<PendingChange>& changes) {
  std::vector<HistoryRecord> records;
  std::vector<OutboxEvent> stream;
  std::map<std::string, HistoryHead> heads;  // the batch's latest per resource
  for (auto& change : changes) {
    HistoryRecord record;
    record.resource = change.resource;
    record.action = change.type;
    record.actor = actor.subject;
    record.actor_org = actor.org;
    record.time = now;
    record.payload_json = change.payload;
    auto earlier = heads.find(change.resource);
    record = HistoryStore::Link(std::move(record),
                                earlier == heads.end() ? change.head : earlier->second);
    change.head = HistoryHead{record.seq, record.hash};
    heads[change.resource] = change.head;
    OutboxEvent event;
    event.type = change.type;
    event.resource = change.resource;
    event.actor = actor.subject;
    event.actor_org = actor.org;
    event.payload_json = change.payload;
    event.create_time = now;
    stream.push_back(std::move(event));
    records.push_back(std::move(record));
  }
  HistoryStore::WriteAll(tx, records);
  (void)events.AppendAll(tx, stream);
}

}  // namespace rectify
