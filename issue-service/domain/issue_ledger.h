// The issue registry's behaviour, independent of transport and storage: validation, scope,
// lifecycle and pagination. The gRPC handlers are thin adapters over this class.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/working_days.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

struct Assignment {
  int64_t issue_id = 0;
  std::string lead_org_id;
  std::vector<std::string> responsible_org_ids;
  std::string acceptance_org_id;
  std::vector<std::string> joint_reviewer_org_ids;
  std::string deadline;
  RectificationClass rectification_class = RectificationClass::kUnspecified;
  std::string responsible_official;
  std::string etag;
};

struct IssuePage {
  std::vector<Issue> issues;
  std::string next_page_token;
};

struct InspectionPage {
  std::vector<Inspection> inspections;
  std::string next_page_token;
};

struct ProgressReportPage {
  std::vector<ProgressReport> reports;
  std::string next_page_token;
};

// Fields an UpdateIssue may name in its mask.
inline constexpr const char* kUpdatableFields[] = {"title",
                                                   "description",
                                                   "category",
                                                   "site",
                                                   "priority",
                                                   "responsible_official",
                                                   "target_text",
                                                   "targets",
                                                   "measures",
                                                   "complaint.batch",
                                                   "complaint.complainant_contact"};

std::string EtagOf(int64_t version);

class IssueLedger {
 public:
  struct Limits {
    int default_page_size = 50;
    int max_page_size = 500;
  };

  IssueLedger(IssueStore& store, std::string page_token_secret, WorkingDayCalendar calendar);
  IssueLedger(IssueStore& store, std::string page_token_secret, WorkingDayCalendar calendar,
              Limits limits);

  // Loads the reference data (regions, orgs); call before serving.
  absl::Status Init(absl::Time deadline);

  absl::StatusOr<std::vector<Region>> ListRegions(const CallContext& call,
                                                  const std::string& under_code);
  absl::StatusOr<std::vector<Org>> ListOrgs(const CallContext& call, OrgKind kind,
                                            const std::string& region_code);
  absl::StatusOr<Org> UpsertOrg(const CallContext& call, Org org);

  absl::StatusOr<Inspection> CreateInspection(const CallContext& call, Inspection inspection);
  absl::StatusOr<Inspection> GetInspection(const CallContext& call, int64_t id);
  absl::StatusOr<InspectionPage> ListInspections(const CallContext& call, int page_size,
                                                 const std::string& page_token,
                                                 InspectionKind kind);

  absl::StatusOr<Issue> CreateIssue(const CallContext& call, Issue issue);
  absl::StatusOr<Issue> GetIssue(const CallContext& call, int64_t id);
  absl::StatusOr<IssuePage> ListIssues(const CallContext& call, int page_size,
                                       const std::string& page_token, const std::string& filter,
                                       const std::string& order_by);
  // `patch` carries the new values of the fields named in `mask`; `etag` may be empty.
  absl::StatusOr<Issue> UpdateIssue(const CallContext& call, int64_t id, const Issue& patch,
                                    const std::vector<std::string>& mask, const std::string& etag);
  absl::StatusOr<Issue> AssignIssue(const CallContext& call, const Assignment& assignment);
  absl::StatusOr<Issue> AcknowledgeAssignment(const CallContext& call, int64_t id,
                                              const std::string& etag);
  absl::StatusOr<ProgressReport> ReportProgress(const CallContext& call, int64_t issue_id,
                                                ProgressReport report);
  absl::StatusOr<ProgressReportPage> ListProgressReports(const CallContext& call, int64_t issue_id,
                                                         int page_size,
                                                         const std::string& page_token);

  // Presentation helpers for the API layer.
  bool IsOverdue(const Issue& issue, absl::Time now) const;

 private:
  Mutation MakeMutation(const CallContext& call, const char* operation) const;
  void CheckRegion(Violations& v, const std::string& field, const std::string& code) const;
  void CheckOrg(Violations& v, const std::string& field, const std::string& id,
                std::initializer_list<OrgKind> kinds) const;
  // Reads an issue the caller may see (scope checked before existence is revealed).
  absl::StatusOr<Issue> ReadVisible(const CallContext& call, int64_t id);

  IssueStore& store_;
  PageTokenCodec tokens_;
  WorkingDayCalendar calendar_;
  Limits limits_;

  mutable absl::Mutex mu_;
  std::map<std::string, Region> regions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Org> orgs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::issues
