// Delivers the reopenings that decisions asked for (DESIGN.md §4.5): a decision stores its
// intent in its own transaction; this worker calls IssueRegistry.ReopenIssue for each pending
// one, with a request_id derived from the case and the issue, until the registry confirms.
// Idempotent on both sides (the registry also answers a repeat for the same cause with no
// change), and it survives a crash of either service: what is pending stays pending in the
// database until delivered.
#pragma once

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "accountability-service/storage/case_store.h"

namespace rectify::accountability {

// Asks the issue registry to reopen an issue for an accountability finding.
class IssueReopener {
 public:
  virtual ~IssueReopener() = default;
  virtual absl::Status Reopen(int64_t issue_id, int64_t case_id, const std::string& explanation,
                              absl::Time deadline) = 0;
};

// What the registry is told, the same on every attempt (so that a retry is the same request).
std::string ReopenExplanation(const Case& c);

class ReopenDispatcher {
 public:
  ReopenDispatcher(CaseStore& store, IssueReopener& reopener, const Principal& service)
      : store_(store), reopener_(reopener), service_(service) {}

  // Delivers what is due now; returns how many deliveries were settled (delivered or skipped).
  absl::StatusOr<int> RunOnce(absl::Time now);
  // Loops until Stop(): wakes on Notify() (a decision committed) or every `poll`.
  void Run(absl::Duration poll);
  void Notify();
  void Stop();

 private:
  CaseStore& store_;
  IssueReopener& reopener_;
  Principal service_;
  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace rectify::accountability
