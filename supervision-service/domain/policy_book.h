// The escalation policy's versions: the office replaces the policy in force with an etag, every
// version is kept, and every escalation records the version that raised it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

struct PolicyPage {
  std::vector<EscalationPolicy> policies;
  std::string next_page_token;
};

class PolicyBook {
 public:
  PolicyBook(PolicyStore& store, const PageTokenCodec& tokens, PageSizes pages)
      : store_(store), tokens_(tokens), pages_(pages) {}

  // The version in force (version 1, the defaults, on first use).
  absl::StatusOr<EscalationPolicy> Current(absl::Time deadline);
  // `version` 0: the one in force.
  absl::StatusOr<EscalationPolicy> GetPolicy(const CallContext& call, int64_t version);
  absl::StatusOr<EscalationPolicy> UpdatePolicy(const CallContext& call, EscalationPolicy policy,
                                                const std::string& etag);
  absl::StatusOr<PolicyPage> ListPolicies(const CallContext& call, int page_size,
                                          const std::string& page_token);

 private:
  absl::Status CheckRead(const Principal& p) const;

  PolicyStore& store_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

}  // namespace rectify::supervision
