// Supervision's stores over MySQL/MariaDB, one per interface of storage/supervision_store.h, over
// the tables of one schema (SupervisionTables): the only place supervision's SQL lives. What they
// share is in mysql_rows.h.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql/pool.h"
#include "common/outbox.h"
#include "supervision-service/domain/record_keeper.h"
#include "supervision-service/domain/supervision.h"
#include "supervision-service/storage/mysql_rows.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

// The supervision records, kept from the registry's events.
class MysqlRecordStore final : public RecordStore {
 public:
  explicit MysqlRecordStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

  // Applies one of the registry's events inside the consumer's transaction (the one that also
  // moves its cursor): the record, its counts and obligations, with their history and events.
  absl::Status ApplyIssueEvent(mysql::Tx& tx, const IssueEvent& event, const RecordKeeper& keeper);

  absl::StatusOr<SupervisionRecord> GetRecord(int64_t issue_id, absl::Time deadline) override;
  absl::StatusOr<std::vector<SupervisionRecord>> ListRecords(const RecordQuery& q,
                                                             const Scope& scope, int64_t after_id,
                                                             int limit,
                                                             absl::Time deadline) override;
  absl::StatusOr<RecordCounts> CountRecords(absl::Time deadline) override;

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// The versions of the escalation policy.
class MysqlPolicyStore final : public PolicyStore {
 public:
  explicit MysqlPolicyStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

  absl::StatusOr<EscalationPolicy> CurrentPolicy(const EscalationPolicy& defaults,
                                                 absl::Time deadline) override;
  absl::StatusOr<EscalationPolicy> GetPolicy(int64_t version, absl::Time deadline) override;
  absl::StatusOr<std::vector<EscalationPolicy>> ListPolicies(int64_t before_version, int limit,
                                                             absl::Time deadline) override;
  absl::StatusOr<EscalationPolicy> AddPolicy(const Mutation& m, EscalationPolicy policy,
                                             int64_t expected_version) override;

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// Escalations: raised, changed, the transfers' outcomes, circulars.
class MysqlEscalationStore final : public EscalationStore {
 public:
  explicit MysqlEscalationStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events), tables_(tables) {}

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

 private:
  // MutateEscalation's work inside a transaction.
  absl::StatusOr<Escalation> ChangeEscalation(
      mysql::Tx& tx, const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Escalation&, SupervisionRecord*)>& rule);

  mysql::Pool& pool_;
  EventLog& events_;
  SupervisionTables& tables_;
};

// What a sweep reads and writes besides the escalations it raises.
class MysqlSweepStore final : public SweepStore {
 public:
  explicit MysqlSweepStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

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

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// The three-level sign-offs and five reports.
class MysqlObligationStore final : public ObligationStore {
 public:
  explicit MysqlObligationStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

  absl::StatusOr<std::vector<Obligation>> ListObligations(const ObligationQuery& q,
                                                          const Scope& scope, int64_t after_id,
                                                          int limit, absl::Time deadline) override;
  absl::StatusOr<Obligation> MutateObligation(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(Obligation&, std::vector<Obligation>&,
                                                 const SupervisionRecord*)>& rule) override;

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// Linkage requests between departments.
class MysqlLinkageStore final : public LinkageStore {
 public:
  explicit MysqlLinkageStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

  absl::StatusOr<LinkageRequest> CreateLinkage(
      const Mutation& m, LinkageRequest linkage,
      const std::function<absl::Status(const std::optional<SupervisionRecord>&)>& rule) override;
  absl::StatusOr<LinkageRequest> MutateLinkage(
      const Mutation& m, int64_t id,
      const std::function<absl::StatusOr<Change>(LinkageRequest&)>& rule) override;
  absl::StatusOr<std::vector<LinkageRequest>> ListLinkage(const LinkageQuery& q, const Scope& scope,
                                                          int64_t after_id, int limit,
                                                          absl::Time deadline) override;

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// The register of meetings and their directives.
class MysqlMeetingStore final : public MeetingStore {
 public:
  explicit MysqlMeetingStore(SupervisionTables& tables)
      : pool_(tables.pool), events_(tables.events) {}

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

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// The battle map's counts.
class MysqlMapStore final : public MapStore {
 public:
  explicit MysqlMapStore(SupervisionTables& tables) : pool_(tables.pool), events_(tables.events) {}

  absl::StatusOr<BoardCounts> Board(const std::string& region_prefix, const std::string& today,
                                    absl::Time deadline) override;
  // Counts the board afresh from the records, as rows::Count keeps them one by one (after a
  // bulk load that wrote records without their counts).
  absl::Status RebuildCounts(absl::Time deadline);

 private:
  mysql::Pool& pool_;
  EventLog& events_;
};

// All of them over one schema, as main and the tests build them.
class MysqlSupervisionStores {
 public:
  explicit MysqlSupervisionStores(mysql::Pool& pool)
      : tables_(pool),
        records(tables_),
        policies(tables_),
        escalations(tables_),
        sweeps(tables_),
        obligations(tables_),
        linkage(tables_),
        meetings(tables_),
        map(tables_) {}

  // Reads the outbox position; call once before serving.
  absl::Status Init(absl::Time deadline) { return tables_.events.Init(deadline); }
  // The outbox of the changes these stores make (WatchEvents serves it).
  EventLog& events() { return tables_.events; }
  // Called after a transaction that stored a transfer's delivery intent commits.
  void OnTransferStored(std::function<void()> notify) { tables_.on_transfer = std::move(notify); }

  SupervisionStores Set() {
    return {records, policies, escalations, sweeps, obligations, linkage, meetings, map};
  }

 private:
  SupervisionTables tables_;

 public:
  MysqlRecordStore records;
  MysqlPolicyStore policies;
  MysqlEscalationStore escalations;
  MysqlSweepStore sweeps;
  MysqlObligationStore obligations;
  MysqlLinkageStore linkage;
  MysqlMeetingStore meetings;
  MysqlMapStore map;
};

}  // namespace rectify::supervision
