// Supervision's smaller desks: the board of records, report obligations, linkage between
// departments, the register of meetings and directives, and the battle map. Each checks the
// request and the caller, and lets its store write the change with its history and event.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "common/working_days.h"
#include "supervision-service/domain/policy_book.h"
#include "supervision-service/domain/reference.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

class SupervisionBoard {
 public:
  SupervisionBoard(RecordStore& store, const PageTokenCodec& tokens, PageSizes pages)
      : store_(store), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<SupervisionRecord> GetRecord(const CallContext& call, int64_t issue_id);
  absl::StatusOr<Page<SupervisionRecord>> ListRecords(const CallContext& call, int page_size,
                                                      const std::string& page_token,
                                                      const std::string& filter);

 private:
  RecordStore& store_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

class ObligationRegister {
 public:
  ObligationRegister(ObligationStore& store, PolicyBook& policies, const PageTokenCodec& tokens,
                     PageSizes pages)
      : store_(store), policies_(policies), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<Page<Obligation>> ListObligations(const CallContext& call, int page_size,
                                                   const std::string& page_token,
                                                   const std::string& filter);
  // A level's sign-off by that level's org; the level below is due within the policy's hours
  // from now on.
  absl::StatusOr<Obligation> Sign(const CallContext& call, int64_t id);

 private:
  ObligationStore& store_;
  PolicyBook& policies_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

class LinkageDesk {
 public:
  LinkageDesk(LinkageStore& store, const Reference& reference, const PageTokenCodec& tokens,
              PageSizes pages)
      : store_(store), reference_(reference), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<LinkageRequest> Create(const CallContext& call, LinkageRequest linkage);
  absl::StatusOr<LinkageRequest> Respond(const CallContext& call, int64_t id, LinkageAnswer answer,
                                         const std::string& text, const std::string& etag);
  absl::StatusOr<Page<LinkageRequest>> List(const CallContext& call, int page_size,
                                            const std::string& page_token,
                                            const std::string& filter);

 private:
  LinkageStore& store_;
  const Reference& reference_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

class MeetingRegister {
 public:
  MeetingRegister(MeetingStore& store, const Reference& reference, const PageTokenCodec& tokens,
                  PageSizes pages)
      : store_(store), reference_(reference), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<Meeting> CreateMeeting(const CallContext& call, Meeting meeting);
  absl::StatusOr<Meeting> GetMeeting(const CallContext& call, int64_t id);
  absl::StatusOr<Page<Meeting>> ListMeetings(const CallContext& call, int page_size,
                                             const std::string& page_token);
  absl::StatusOr<Page<Directive>> ListDirectives(const CallContext& call, int page_size,
                                                 const std::string& page_token,
                                                 const std::string& filter);
  absl::StatusOr<Directive> CompleteDirective(const CallContext& call, int64_t id,
                                              const std::string& note, const std::string& etag);

 private:
  MeetingStore& store_;
  const Reference& reference_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

struct MapTile {
  std::string region_code;
  std::string name;
  int64_t supervised = 0;
  int64_t green = 0, yellow = 0, red = 0;
  int64_t overdue = 0;
  std::map<std::string, int64_t> by_state;
  std::map<std::string, int64_t> escalations;
  int64_t rectified = 0;  // acceptance applied for or further
  double completion_rate = 0;
};

struct BattleMapView {
  std::string region_code;
  std::string as_of_date;
  MapTile total;
  std::vector<MapTile> tiles;
};

class BattleMap {
 public:
  BattleMap(MapStore& store, const Reference& reference) : store_(store), reference_(reference) {}

  // The province (default) by city, a city by county; `as_of` unset: the call's time.
  absl::StatusOr<BattleMapView> Get(const CallContext& call, const std::string& region_code,
                                    std::optional<absl::Time> as_of);

 private:
  MapStore& store_;
  const Reference& reference_;
};

}  // namespace rectify::supervision
