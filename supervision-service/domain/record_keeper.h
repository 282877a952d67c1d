// Keeps supervision records from the issue registry's events (DESIGN.md §4.3): an assigned issue
// gets a record, every later event updates it, a closed issue leaves the board and a reopened
// one comes back. An urgent issue's assignment creates its report obligations (§4.4), and the
// events that answer them (acknowledgement, verification, plan, progress, application) meet them.
// Pure: storage applies the result in the transaction that also moves the consumer's cursor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/working_days.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// One event of the registry as supervision reads it.
struct IssueEvent {
  int64_t cursor = 0;
  std::string type;  // "issue.assigned"
  absl::Time time;
  std::string actor_org;
  // The issue after the change, when the event carries it.
  std::optional<IssueFacts> issue;
};

// Who signs for each level of the province (the registry's orgs).
class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;
  // The provincial office's org.
  virtual std::string OfficeOrg() const = 0;
  // The people's government of a city or county division; empty when the registry has none.
  virtual std::string GovernmentOf(const std::string& region_code) const = 0;
};

struct RecordUpdate {
  // The record as it now stands; nullopt when the event concerns no supervised issue.
  std::optional<SupervisionRecord> record;
  // The change as supervision's own event and history action ("supervision.record_opened"),
  // empty when nothing changed.
  std::string event_type;
  std::vector<Obligation> new_obligations;
  // Obligations the event met (with their new state).
  std::vector<Obligation> met_obligations;
};

class RecordKeeper {
 public:
  RecordKeeper(const WorkingDayCalendar& calendar, const OrgDirectory& orgs)
      : calendar_(calendar), orgs_(orgs) {}

  RecordUpdate Apply(const std::optional<SupervisionRecord>& current,
                     const std::vector<Obligation>& obligations, const IssueEvent& event,
                     const EscalationPolicy& policy) const;

  // The obligations an urgent issue's assignment at `assigned` creates.
  std::vector<Obligation> ObligationsFor(const IssueFacts& issue, absl::Time assigned,
                                         const EscalationPolicy& policy) const;

 private:
  // The end of the province day `n` working days after `from`'s day.
  absl::Time EndOfWorkingDay(absl::Time from, int n) const;

  const WorkingDayCalendar& calendar_;
  const OrgDirectory& orgs_;
};

// The kind of report an event of the registry delivers, if any.
std::optional<ObligationKind> ReportDeliveredBy(const std::string& event_type);

}  // namespace rectify::supervision
