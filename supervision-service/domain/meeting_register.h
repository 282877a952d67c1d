// The register of meetings (leading-group meetings, special deployments, on-site promotions) and
// their directives, each a supervised item of the org that owes it. The register checks the
// request and the caller; its store writes the change with history and event.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "supervision-service/domain/page.h"
#include "supervision-service/domain/reference.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

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

}  // namespace rectify::supervision
