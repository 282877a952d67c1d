// Supervision's stores over MySQL/MariaDB: the only place supervision's SQL lives.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql/pool.h"
#include "common/outbox.h"
#include "supervision-service/domain/record_keeper.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

// The kind of delivery a TRANSFER owes (common/mysql/delivery_intents.h): owner = the
// escalation, target = its issue.
inline constexpr char kCaseDeliveries[] = "accountability.open_case";

class MysqlSupervisionStore final : public RecordStore,
                                    public PolicyStore,
                                    public EscalationStore,
                                    public ObligationStore,
                                    public LinkageStore,
                                    public MeetingStore,
                                    public MapStore {
 public:
  explicit MysqlSupervisionStore(mysql::Pool& pool) : pool_(pool), events_(pool) {}

  // Reads the outbox position; call once before serving.
  absl::Status Init(absl::Time deadline) { return events_.Init(deadline); }
  // The outbox of the changes this store makes (WatchEvents serves it).
  EventLog& events() { return events_; }
  // Called after a transaction that stored a transfer's delivery intent commits.
  void OnTransferStored(std::function<void()> notify) { on_transfer_ = std::move(notify); }

  // Applies one of the registry's events inside the consumer's transaction (the one that also
  // moves its cursor): the record, its counts and obligations, with their history and events.
  absl::Status ApplyIssueEvent(mysql::Tx& tx, const IssueEvent& event, const RecordKeeper& keeper);

  // RecordStore
  absl::StatusOr<SupervisionRecord> GetRecord(int64_t issue_id, absl::Time deadline) override;
  absl::StatusOr<std::vector<SupervisionRecord>> ListRecords(const RecordQuery& q,
                                                             const Scope& scope, int64_t after_id,
                                                             int limit,
                                                             absl::Time deadline) override;
  absl::StatusOr<RecordCounts> CountRecords(absl::Time deadline) override;

  // PolicyStore
  absl::StatusOr<EscalationPolicy> CurrentPolicy(const EscalationPolicy& defaults,
                                                 absl::Time deadline) override;
  absl::StatusOr<EscalationPolicy> GetPolicy(int64_t version, absl::Time deadline) override;
  absl::StatusOr<std::vector<EscalationPolicy>> ListPolicies(int64_t before_version, int limit,
                                                             absl::Time deadline) override;
  absl::StatusOr<EscalationPolicy> AddPolicy(const Mutation& m, EscalationPolicy policy,
                                             int64_t expected_version) override;

  // EscalationStore
  absl::StatusOr<Escalation> GetEscalation(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Escalation>> ListEscalations(const EscalationQuery& q,
                                                          const Scope& scope, int64_t after_id,
                                                          int limit, absl::Time deadline) override;
  absl::StatusOr<std::vector<Escalation>> Raise(const Mutation& m,
                                                std::vector<RaiseRequest> requests,
                                                const RaiseRule& rule) override;
  absl::StatusOr<Escalation> MutateEscalation(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule) override;
  absl::StatusOr<bool> RecordTransfer(
      const Mutation& m, const DeliveryIntent& intent, const DeliveryResult& result,
      const std::function<absl::StatusOr<Change>(Escalation&)>& rule) override;
  absl::StatusOr<std::vector<Escalation>> Circular(const std::string& period,
                                                   absl::Time deadline) override;
  absl::StatusOr<std::vector<SweepSubject>> SweepSubjects(absl::Time as_of, int64_t after_issue_id,
                                                          int limit, absl::Time deadline) override;
  absl::StatusOr<std::vector<std::pair<Directive, std::vector<std::pair<Level, std::string>>>>>
  OverdueDirectives(absl::Time as_of, absl::Time deadline) override;
  absl::StatusOr<int> MutateObligationsDue(const Mutation& m, absl::Time as_of,
                                           const std::string& event_type,
                                           const std::function<bool(Obligation&)>& rule) override;
  absl::Status StoreLights(const std::vector<std::pair<int64_t, Light>>& changed,
                           absl::Time deadline) override;
  absl::Status RecordSweep(absl::Time as_of, int64_t policy_version, int64_t evaluated,
                           int64_t raised, absl::Time deadline) override;
  absl::StatusOr<LastSweep> LastSweepRun(absl::Time deadline) override;

  // ObligationStore
  absl::StatusOr<std::vector<Obligation>> ListObligations(const ObligationQuery& q,
                                                          const Scope& scope, int64_t after_id,
                                                          int limit, absl::Time deadline) override;
  absl::StatusOr<Obligation> MutateObligation(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Obligation&, std::vector<Obligation>&,
                                                 const SupervisionRecord*)>& rule) override;

  // LinkageStore
  absl::StatusOr<LinkageRequest> CreateLinkage(
      const Mutation& m, LinkageRequest linkage,
      const std::function<absl::Status(const std::optional<SupervisionRecord>&)>& rule) override;
  absl::StatusOr<LinkageRequest> MutateLinkage(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(LinkageRequest&)>& rule) override;
  absl::StatusOr<std::vector<LinkageRequest>> ListLinkage(const LinkageQuery& q, const Scope& scope,
                                                          int64_t after_id, int limit,
                                                          absl::Time deadline) override;

  // MeetingStore
  absl::StatusOr<Meeting> CreateMeeting(
      const Mutation& m, Meeting meeting,
      const std::function<absl::Status(const std::vector<int64_t>&)>& rule) override;
  absl::StatusOr<Meeting> GetMeeting(int64_t id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Meeting>> ListMeetings(int64_t after_id, int limit,
                                                    absl::Time deadline) override;
  absl::StatusOr<std::vector<Directive>> ListDirectives(const DirectiveQuery& q, const Scope& scope,
                                                        int64_t after_id, int limit,
                                                        absl::Time deadline) override;
  absl::StatusOr<Directive> MutateDirective(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Directive&)>& rule) override;

  // MapStore
  absl::StatusOr<BoardCounts> Board(const std::string& region_prefix, const std::string& today,
                                    absl::Time deadline) override;

 private:
  // MutateEscalation's work inside a transaction.
  absl::StatusOr<Escalation> ChangeEscalation(
      mysql::Tx& tx, const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule);

  mysql::Pool& pool_;
  EventLog events_;
  std::function<void()> on_transfer_;
};

}  // namespace rectify::supervision
