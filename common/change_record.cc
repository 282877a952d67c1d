#include "common/change_record.h"

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

}  // namespace rectify
