#include "common/event_proto.h"

#include "google/protobuf/util/time_util.h"

namespace rectify {

using google::protobuf::util::TimeUtil;

void ToProto(const OutboxEvent& e, v1::Event* out) {
  out->set_cursor(e.cursor);
  out->set_type(e.type);
  out->set_resource(e.resource);
  out->set_actor(e.actor);
  out->set_actor_org(e.actor_org);
  out->set_payload_json(e.payload_json);
  *out->mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(e.create_time));
}

OutboxEvent FromProto(const v1::Event& e) {
  OutboxEvent out;
  out.cursor = e.cursor();
  out.type = e.type();
  out.resource = e.resource();
  out.actor = e.actor();
  out.actor_org = e.actor_org();
  out.payload_json = e.payload_json();
  out.create_time = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(e.create_time()));
  return out;
}

absl::Status StreamEvents(EventLog& log, const v1::WatchEventsRequest& request,
                          grpc::ServerContext* context, grpc::ServerWriter<v1::Event>* writer) {
  WatchOptions options;
  options.after_cursor = request.after_cursor();
  options.types.assign(request.types().begin(), request.types().end());
  v1::Event event;
  return ServeWatch(
      log, options,
      [&](const OutboxEvent& e) {
        event.Clear();
        ToProto(e, &event);
        return writer->Write(event);
      },
      [&] { return context->IsCancelled(); });
}

}  // namespace rectify
