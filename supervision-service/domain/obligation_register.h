// The three-level sign-offs and five reports owed for urgent issues: listed for those they
// concern, signed by each level for itself. The register checks the caller; its store writes the
// signature with history and event.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "supervision-service/domain/page.h"
#include "supervision-service/domain/policy_book.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

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

}  // namespace rectify::supervision
