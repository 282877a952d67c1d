// Supervision's storage interfaces, one per concern, in domain types only. The MySQL
// implementation (mysql_supervision_store.cc) is the only place with SQL. Every change runs in
// one transaction with its history record and its outbox event; a repeated request_id gets the
// first answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/mutation.h"
#include "common/reliable_delivery.h"
#include "supervision-service/domain/access.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// A change a domain rule made: recorded as a history action and an outbox event ("" : none).
struct Change {
  Change(std::string type = "") : event_type(std::move(type)) {}  // NOLINT: implicit by design
  std::string event_type;
};

// ---- Records ----------------------------------------------------------------------------------

struct RecordQuery {
  std::optional<Light> light;
  std::optional<SupervisionLevel> level;
  std::optional<std::string> region_prefix;
  std::optional<std::string> org;
  std::optional<bool> active;
  std::optional<bool> overdue;
  std::optional<IssueState> state;
  std::string today;  // for overdue
};

struct RecordCounts {
  int64_t records = 0;
  int64_t active = 0;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;
  // NOT_FOUND when the issue has no record.
  virtual absl::StatusOr<SupervisionRecord> GetRecord(int64_t issue_id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<SupervisionRecord>> ListRecords(const RecordQuery& q,
                                                                     const Scope& scope,
                                                                     int64_t after_id, int limit,
                                                                     absl::Time deadline) = 0;
  virtual absl::StatusOr<RecordCounts> CountRecords(absl::Time deadline) = 0;
};

// ---- The policy -------------------------------------------------------------------------------

class PolicyStore {
 public:
  virtual ~PolicyStore() = default;
  // The version in force; stores `defaults` as version 1 when there is none yet.
  virtual absl::StatusOr<EscalationPolicy> CurrentPolicy(const EscalationPolicy& defaults,
                                                         absl::Time deadline) = 0;
  // NOT_FOUND for an unknown version.
  virtual absl::StatusOr<EscalationPolicy> GetPolicy(int64_t version, absl::Time deadline) = 0;
  // Newest first, versions below `before_version` (0: from the newest).
  virtual absl::StatusOr<std::vector<EscalationPolicy>> ListPolicies(int64_t before_version,
                                                                     int limit,
                                                                     absl::Time deadline) = 0;
  // Stores `policy` as the version after `expected_version`; ABORTED when another version was
  // stored meanwhile.
  virtual absl::StatusOr<EscalationPolicy> AddPolicy(const Mutation& m, EscalationPolicy policy,
                                                     int64_t expected_version) = 0;
};

// ---- Escalations and sweeps -------------------------------------------------------------------

struct EscalationQuery {
  std::optional<Level> level;
  std::optional<EscalationState> state;
  std::optional<std::string> region_prefix;
  std::optional<std::string> org;
  std::optional<int64_t> issue_id;
  std::optional<Cause> cause;
};

// What a raise does to the record of its issue (the domain decides: EscalationLadder).
using RaiseRule = std::function<void(SupervisionRecord& record, const Escalation& raised)>;

struct RaiseRequest {
  Escalation escalation;  // level, cause, cause_key, detail, related, org, subject, issue
  // For a TRANSFER: an accountability case is owed (a delivery intent in the same transaction).
  bool owes_case = false;
};

struct SweepReport {
  int64_t evaluated = 0;
  std::vector<Escalation> raised;
};

class EscalationStore {
 public:
  virtual ~EscalationStore() = default;
  virtual absl::StatusOr<Escalation> GetEscalation(int64_t id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Escalation>> ListEscalations(const EscalationQuery& q,
                                                                  const Scope& scope,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time deadline) = 0;
  // Raises each escalation in a transaction of its own, with the record's change by `rule`.
  // One whose level is already open for its subject, or whose cause was raised there before, is
  // left out (also against a concurrent sweeper): the result holds what was raised.
  virtual absl::StatusOr<std::vector<Escalation>> Raise(const Mutation& m,
                                                        std::vector<RaiseRequest> requests,
                                                        const RaiseRule& rule) = 0;
  // Locks the escalation (and its issue's record, if any), runs `rule`, and stores both.
  virtual absl::StatusOr<Escalation> MutateEscalation(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord* record)>&
          rule) = 0;
  // A transfer's delivery attempt: its escalation changed by `rule` (with history and event)
  // and the stored intent, in one transaction. Returns whether the intent is settled.
  virtual absl::StatusOr<bool> RecordTransfer(
      const Mutation& m, const DeliveryIntent& intent, const DeliveryResult& result,
      const std::function<absl::StatusOr<Change>(Escalation&)>& rule) = 0;
  // The NOTICE escalations of a circular period ("YYYY-MM").
  virtual absl::StatusOr<std::vector<Escalation>> Circular(const std::string& period,
                                                           absl::Time deadline) = 0;
};

// What a sweep reads and writes besides the escalations it raises.
class SweepStore {
 public:
  virtual ~SweepStore() = default;
  // The sweep's input: active records after `after_issue_id` with their open escalations, the
  // causes raised before, and what they owe past due as of `as_of` (obligations, linkage,
  // directives).
  virtual absl::StatusOr<std::vector<SweepSubject>> SweepSubjects(absl::Time as_of,
                                                                  int64_t after_issue_id, int limit,
                                                                  absl::Time deadline) = 0;
  // Open directives that concern no issue and are past due as of `as_of`, with what was raised
  // for them before.
  virtual absl::StatusOr<
      std::vector<std::pair<Directive, std::vector<std::pair<Level, std::string>>>>>
  OverdueDirectives(absl::Time as_of, absl::Time deadline) = 0;
  // Obligations not met and due before `as_of`, each locked and changed by `rule` (its history
  // and event when the rule says it changed, event type `event_type`); returns how many changed.
  virtual absl::StatusOr<int> MutateObligationsDue(
      const Mutation& m, absl::Time as_of, const std::string& event_type,
      const std::function<bool(Obligation&)>& rule) = 0;
  // Stores lights that changed with time (derived, so without history; the board's counts move
  // with them).
  virtual absl::Status StoreLights(const std::vector<std::pair<int64_t, Light>>& changed,
                                   absl::Time deadline) = 0;
  virtual absl::Status RecordSweep(absl::Time as_of, int64_t policy_version, int64_t evaluated,
                                   int64_t raised, absl::Time deadline) = 0;
  struct LastSweep {
    absl::Time as_of = absl::InfinitePast();
    int64_t raised = 0;
  };
  virtual absl::StatusOr<LastSweep> LastSweepRun(absl::Time deadline) = 0;
};

// ---- Obligations ------------------------------------------------------------------------------

struct ObligationQuery {
  std::optional<int64_t> issue_id;
  std::optional<ObligationState> state;
  std::optional<std::string> org;
  std::optional<ObligationKind> kind;
  std::optional<std::string> region_prefix;
};

class ObligationStore {
 public:
  virtual ~ObligationStore() = default;
  virtual absl::StatusOr<std::vector<Obligation>> ListObligations(const ObligationQuery& q,
                                                                  const Scope& scope,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time deadline) = 0;
  // Locks the issue's obligations; `rule` changes the one named by `id` (and may move the due
  // times of the others); changed ones are stored. NOT_FOUND when absent.
  virtual absl::StatusOr<Obligation> MutateObligation(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Obligation& target,
                                                 std::vector<Obligation>& of_issue,
                                                 const SupervisionRecord* record)>& rule) = 0;
};

// ---- Linkage ----------------------------------------------------------------------------------

struct LinkageQuery {
  std::optional<int64_t> issue_id;
  std::optional<LinkageState> state;
  std::optional<std::string> org;
};

class LinkageStore {
 public:
  virtual ~LinkageStore() = default;
  // `rule` sees the issue's record (nullopt: not supervised) and may refuse.
  virtual absl::StatusOr<LinkageRequest> CreateLinkage(
      const Mutation& m, LinkageRequest linkage,
      const std::function<absl::Status(const std::optional<SupervisionRecord>&)>& rule) = 0;
  virtual absl::StatusOr<LinkageRequest> MutateLinkage(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(LinkageRequest&)>& rule) = 0;
  virtual absl::StatusOr<std::vector<LinkageRequest>> ListLinkage(const LinkageQuery& q,
                                                                  const Scope& scope,
                                                                  int64_t after_id, int limit,
                                                                  absl::Time deadline) = 0;
};

// ---- Meetings and directives ------------------------------------------------------------------

struct DirectiveQuery {
  std::optional<DirectiveState> state;
  std::optional<std::string> org;
  std::optional<int64_t> meeting_id;
  std::optional<bool> overdue;
  std::string today;
};

class MeetingStore {
 public:
  virtual ~MeetingStore() = default;
  // `rule` sees which of the directives' issues are supervised and may refuse.
  virtual absl::StatusOr<Meeting> CreateMeeting(
      const Mutation& m, Meeting meeting,
      const std::function<absl::Status(const std::vector<int64_t>& unsupervised)>& rule) = 0;
  virtual absl::StatusOr<Meeting> GetMeeting(int64_t id, absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Meeting>> ListMeetings(int64_t after_id, int limit,
                                                            absl::Time deadline) = 0;
  virtual absl::StatusOr<std::vector<Directive>> ListDirectives(const DirectiveQuery& q,
                                                                const Scope& scope,
                                                                int64_t after_id, int limit,
                                                                absl::Time deadline) = 0;
  virtual absl::StatusOr<Directive> MutateDirective(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Directive&)>& rule) = 0;
};

// ---- The battle map ---------------------------------------------------------------------------

// Counts of active records of one county-level division (region code), kept with every change.
struct BoardCount {
  std::string region_code;
  IssueState state = IssueState::kUnspecified;
  Light light = Light::kOff;
  int64_t count = 0;
};
struct EscalationCount {
  std::string region_code;
  Level level = Level::kUnspecified;
  int64_t count = 0;
};
struct BoardCounts {
  std::vector<BoardCount> records;
  std::vector<EscalationCount> open_escalations;
  // Active, unsettled records past their deadline, by region.
  std::vector<std::pair<std::string, int64_t>> overdue;
};

class MapStore {
 public:
  virtual ~MapStore() = default;
  // Counts of the regions under `region_prefix`, overdue as of `today`.
  virtual absl::StatusOr<BoardCounts> Board(const std::string& region_prefix,
                                            const std::string& today, absl::Time deadline) = 0;
};

}  // namespace rectify::supervision
