// `rectctl watch`: follows the ledger's event stream.
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "cli/rectctl/command.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(int64_t, after, 0, "watch: replay after this cursor");
ABSL_FLAG(std::string, types, "", "watch: event types, comma separated");
ABSL_FLAG(int, limit, 0, "watch: stop after this many events (0: follow until interrupted)");

namespace rectify::rectctl {
namespace {

int Watch(Session& session, const Args&) {
  v1::WatchEventsRequest req;
  req.set_after_cursor(absl::GetFlag(FLAGS_after));
  for (const auto& t : SplitList(absl::GetFlag(FLAGS_types))) req.add_types(t);
  auto ctx = session.StreamContext();  // no deadline: a watch follows until interrupted
  auto reader = session.Registry().WatchEvents(ctx.get(), req);
  v1::Event event;
  int limit = absl::GetFlag(FLAGS_limit);
  int n = 0;
  while (reader->Read(&event)) {
    // One line per event, flushed, so that a pipe sees each as it comes.
    if (session.json()) {
      std::string line;
      google::protobuf::util::JsonPrintOptions o;
      o.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(event, &line, o);
      std::cout << line << std::endl;
    } else {
      std::cout << event.cursor() << "  " << event.type() << "  " << event.resource() << "  by "
                << event.actor() << " (" << event.actor_org() << ")" << std::endl;
    }
    if (limit > 0 && ++n >= limit) {
      ctx->TryCancel();
      break;
    }
  }
  auto status = reader->Finish();
  // Reaching --limit cancels the stream; that CANCELLED is the expected end.
  if (!status.ok() && !(limit > 0 && n >= limit)) return session.Report(status);
  return 0;
}

}  // namespace

const Noun& WatchNoun() {
  static const Noun noun{
      .name = "watch",
      .summary = "follow the ledger's events (--after --types --limit)",
      .verbs = {{"", "", "", &Watch}},
  };
  return noun;
}

}  // namespace rectify::rectctl
