// Consumes another service's WatchEvents stream exactly once.
//
// Each event's effect and the consumer's cursor are written in one transaction of the
// consumer's own schema, so an event takes effect once across crashes of either side: after a
// crash the consumer resumes from the cursor it committed, and an event at or below that cursor
// is skipped. Events that arrive while one is being applied are applied together, in order, in
// one transaction (up to kBatch), so a backlog costs one commit per batch, not per event. The
// consuming service's migrations create the table:
//
//   CREATE TABLE consumer_cursors (source VARCHAR(64) NOT NULL PRIMARY KEY,
//                                  cursor_value BIGINT NOT NULL, update_time DATETIME(6) NOT NULL);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics.h"
#include "common/mysql/pool.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "rectify/v1/events.pb.h"

namespace rectify {

class EventConsumer {
 public:
  // Applies one event inside the consumer's transaction.
  using Apply = std::function<absl::Status(mysql::Tx&, const v1::Event&)>;
  // Opens the producer's stream (e.g. a stub's WatchEvents with a service token).
  using OpenStream = std::function<std::unique_ptr<grpc::ClientReaderInterface<v1::Event>>(
      grpc::ClientContext*, const v1::WatchEventsRequest&)>;

  EventConsumer(mysql::Pool& pool, std::string source, Apply apply)
      : pool_(pool), source_(std::move(source)), apply_(std::move(apply)) {}

  // The last cursor whose effect is committed (0 before the first).
  absl::StatusOr<int64_t> Cursor(absl::Time deadline);
  // Applies `event` unless it is at or below the committed cursor; returns whether it applied.
  absl::StatusOr<bool> Handle(const v1::Event& event, absl::Time deadline);
  // Applies the events above the committed cursor, in order, in one transaction; returns how
  // many applied. Nothing of the batch is kept when one of them fails.
  absl::StatusOr<int> HandleBatch(const std::vector<v1::Event>& events, absl::Time deadline);

  // Events applied in one transaction at most.
  static constexpr size_t kBatch = 100;

  // Follows the stream from the committed cursor until Stop(), reconnecting with capped
  // exponential backoff when the producer is unavailable.
  void Run(const OpenStream& open);
  void Stop();
  // Blocks until the committed cursor reaches `cursor` or `deadline` passes.
  bool WaitForCursor(int64_t cursor, absl::Time deadline);

  // Where the consumer stands: the last event applied, the newest seen on the stream, and the
  // time from the last applied event's commit at the source to its effect here.
  ConsumerGauges Progress() const;
  // Called after each event takes effect, with that time in seconds (for a histogram).
  void OnApplied(std::function<void(double lag_seconds)> observe) { observe_ = std::move(observe); }

 private:
  // Reads the stream into `queue` until it ends; `ended` is set when it has.
  struct Inbox;
  void ReadInto(grpc::ClientReaderInterface<v1::Event>& reader, Inbox& inbox);
  // Applies what the inbox holds, batch by batch, until the stream ends, the consumer stops or a
  // batch fails (then an error). Returns how many events applied.
  absl::StatusOr<int64_t> Drain(Inbox& inbox);

  mysql::Pool& pool_;
  const std::string source_;
  const Apply apply_;
  mutable absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  int64_t seen_ ABSL_GUARDED_BY(mu_) = 0;
  double last_lag_seconds_ ABSL_GUARDED_BY(mu_) = 0;
  std::function<void(double)> observe_;
};

}  // namespace rectify
