// The escalation ladder (五步法): sweeps that raise what the policy calls for, escalations by
// hand, the answers of the orgs concerned, resolution, and the monthly circular of notices.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "common/working_days.h"
#include "supervision-service/domain/policy_book.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

struct SweepResult {
  std::vector<Escalation> raised;
  int64_t evaluated = 0;
  int64_t policy_version = 0;
};

struct EscalationPage {
  std::vector<Escalation> escalations;
  std::string next_page_token;
};

struct CircularView {
  std::string period;
  std::vector<Escalation> notices;
  std::map<std::string, int64_t> by_region;  // by city
  std::map<std::string, int64_t> by_org;
};

class EscalationLadder {
 public:
  EscalationLadder(EscalationStore& store, SweepStore& sweeps, RecordStore& records,
                   PolicyBook& policies, const WorkingDayCalendar& calendar,
                   const PageTokenCodec& tokens, PageSizes pages)
      : store_(store),
        sweeps_(sweeps),
        records_(records),
        policies_(policies),
        calendar_(calendar),
        tokens_(tokens),
        pages_(pages) {}

  // RunSweep: the office or a supervisor; `as_of` unset: the call's time.
  absl::StatusOr<SweepResult> RunSweep(const CallContext& call, std::optional<absl::Time> as_of);
  // A sweep as `actor` (the service's own daily sweep).
  absl::StatusOr<SweepResult> Sweep(const Mutation& m, absl::Time as_of);

  absl::StatusOr<EscalationPage> ListEscalations(const CallContext& call, int page_size,
                                                 const std::string& page_token,
                                                 const std::string& filter);
  absl::StatusOr<Escalation> GetEscalation(const CallContext& call, int64_t id);
  absl::StatusOr<Escalation> EscalateIssue(const CallContext& call, int64_t issue_id, Level level,
                                           const std::string& reason,
                                           const std::string& skip_reason);
  absl::StatusOr<Escalation> Respond(const CallContext& call, int64_t id, ResponseKind kind,
                                     const std::string& text, const std::string& etag);
  absl::StatusOr<Escalation> Resolve(const CallContext& call, int64_t id, const std::string& reason,
                                     const std::string& etag);
  absl::StatusOr<CircularView> Circular(const CallContext& call, const std::string& period);

  // What a raised escalation does to its issue's record: the level is open, a NOTICE counts, a
  // LISTED lists the issue, and the light follows.
  static void ApplyRaise(SupervisionRecord& record, const Escalation& raised,
                         const PolicyEvaluator& evaluator);

 private:
  absl::StatusOr<SweepResult> SweepLocked(const Mutation& m, absl::Time as_of)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(sweep_mu_);
  RaiseRequest RequestFor(const Mutation& m, const SupervisionRecord* record, const Raise& raise,
                          int64_t policy_version, absl::Time as_of) const;

  EscalationStore& store_;
  SweepStore& sweeps_;
  RecordStore& records_;
  PolicyBook& policies_;
  const WorkingDayCalendar& calendar_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
  // One sweep at a time in a process: a sweep holds a worker for seconds, and a second one asked
  // for meanwhile would only hold another to find nothing new.
  absl::Mutex sweep_mu_;
};

}  // namespace rectify::supervision
