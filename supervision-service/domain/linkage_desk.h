// Linkage between departments (协同联动): the lead asks another department to act on an issue
// by a date, and the department asked answers (accept, report done, or decline with a reason).
// The desk checks the request and the caller; its store writes the change with history and event.
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

}  // namespace rectify::supervision
