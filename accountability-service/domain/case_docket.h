// The accountability docket's behaviour: who may open, investigate and decide cases, the case
// lifecycle OPEN → INVESTIGATING → DECIDED → CLOSED (or DISMISSED), validation, scope, and the
// reopen deliveries a decision schedules. The gRPC handlers are thin adapters over this class.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "accountability-service/domain/model.h"
#include "accountability-service/storage/case_store.h"
#include "common/call_context.h"
#include "common/page_token.h"

namespace rectify::accountability {

// What the docket needs to know of an issue, from the issue registry.
struct IssueRef {
  int64_t id = 0;
  std::string region_code;
};

class IssueDirectory {
 public:
  virtual ~IssueDirectory() = default;
  // NOT_FOUND when the registry has no such issue; UNAVAILABLE when it cannot be asked.
  virtual absl::StatusOr<IssueRef> Lookup(int64_t issue_id, absl::Time deadline) = 0;
};

// ListCases' filter (common/filter_expr.h's conjunctions) as a typed query: state, region,
// failure_type, subject_org, issue and source with '=', opened with = < <= > >= and a date
// "YYYY-MM-DD" (any number of times). INVALID_ARGUMENT on "filter" naming the problem.
absl::StatusOr<CaseQuery> ParseCaseFilter(absl::string_view text);

struct CasePage {
  std::vector<Case> cases;
  std::string next_page_token;
};

struct AccountabilityStats {
  int64_t cases = 0;
  int64_t transferred_cases = 0;
  int64_t transferred_problems = 0;
  int64_t officials_held_accountable = 0;
  int64_t orgs_held_accountable = 0;
  std::map<std::string, int64_t> by_region, by_failure_type, by_sanction, by_source, by_state;
};

struct Decision {
  std::vector<std::pair<int, int>> sanctions;  // subject index, sanction
  std::string decided_by;
  std::string decision_date;
};

class CaseDocket {
 public:
  CaseDocket(CaseStore& store, IssueDirectory& issues, std::string page_token_secret)
      : store_(store), issues_(issues), tokens_(page_token_secret) {}

  absl::StatusOr<Case> OpenCase(const CallContext& call, Case c);
  absl::StatusOr<Case> GetCase(const CallContext& call, int64_t id);
  absl::StatusOr<CasePage> ListCases(const CallContext& call, int page_size,
                                     const std::string& page_token, const std::string& filter);
  absl::StatusOr<Case> StartInvestigation(const CallContext& call, int64_t id,
                                          const std::string& etag);
  absl::StatusOr<Case> RecordFinding(const CallContext& call, int64_t id, Finding finding,
                                     const std::string& etag);
  absl::StatusOr<Case> DecideCase(const CallContext& call, int64_t id, const Decision& decision,
                                  const std::string& etag);
  absl::StatusOr<Case> CloseCase(const CallContext& call, int64_t id, const std::string& etag);
  absl::StatusOr<Case> DismissCase(const CallContext& call, int64_t id, const std::string& reason,
                                   const std::string& etag);
  absl::StatusOr<AccountabilityStats> GetStats(const CallContext& call,
                                               const std::string& region_code,
                                               const std::string& from_date,
                                               const std::string& to_date);

  // Who sees what: discipline, the office and supervisors everything; a city, county or
  // department the cases naming its org; services the cases they may open. Officials' personal
  // details: discipline and the office only.
  static absl::Status CheckRead(const Principal& p, const Case& c);
  static void Redact(const Principal& p, Case& c);

 private:
  absl::StatusOr<Case> Act(const CallContext& call, const char* operation, int64_t id,
                           const std::string& etag,
                           const std::function<absl::StatusOr<CaseChange>(Case&)>& rule);

  CaseStore& store_;
  IssueDirectory& issues_;
  PageTokenCodec tokens_;
};

}  // namespace rectify::accountability
