// The issue registry's desks put together over its stores: what issue-service's main and the
// in-process test harness build, and what the gRPC handlers call. It holds no rules itself.
#pragma once

#include <string>

#include "common/page_token.h"
#include "common/working_days.h"
#include "issue-service/domain/closure_desk.h"
#include "issue-service/domain/closure_workflow.h"
#include "issue-service/domain/dossier.h"
#include "issue-service/domain/inspections.h"
#include "issue-service/domain/issue_history.h"
#include "issue-service/domain/issue_ledger.h"
#include "issue-service/domain/ledger_export.h"
#include "issue-service/domain/ledger_statistics.h"
#include "issue-service/domain/reference_data.h"
#include "issue-service/domain/request_checks.h"

namespace rectify::issues {

struct RegistryStores {
  ReferenceStore& reference;
  InspectionStore& inspections;
  IssueStore& issues;
  EvidenceStore& evidence;
  HistoryReader& history;
  StatsStore& stats;
};

struct RegistrySettings {
  std::string page_token_secret;
  WorkingDayCalendar calendar = WorkingDayCalendar::China();
  PageSizes pages;
  int64_t max_evidence_bytes = int64_t{64} << 20;
  WorkflowPolicy workflow;
};

class IssueRegistry {
 public:
  IssueRegistry(RegistryStores stores, RegistrySettings settings)
      : settings_(std::move(settings)),
        tokens_(settings_.page_token_secret),
        workflow_(settings_.calendar, settings_.workflow),
        reference_(stores.reference),
        inspections_(stores.inspections, reference_, tokens_, settings_.calendar, settings_.pages),
        ledger_(stores.issues, stores.inspections, reference_, tokens_, settings_.pages),
        closure_(stores.issues, workflow_),
        dossier_(stores.issues, stores.evidence, workflow_, settings_.max_evidence_bytes),
        history_(stores.issues, stores.history, stores.evidence, tokens_, settings_.pages),
        statistics_(stores.stats, reference_),
        exporter_(ledger_) {}

  // Loads the reference data; call before serving.
  absl::Status Init(absl::Time deadline) { return reference_.Load(deadline); }

  ReferenceData& reference() { return reference_; }
  Inspections& inspections() { return inspections_; }
  IssueLedger& ledger() { return ledger_; }
  ClosureDesk& closure() { return closure_; }
  Dossier& dossier() { return dossier_; }
  IssueHistory& history() { return history_; }
  LedgerStatistics& statistics() { return statistics_; }
  LedgerExporter& exporter() { return exporter_; }

 private:
  RegistrySettings settings_;
  PageTokenCodec tokens_;
  ClosureWorkflow workflow_;
  ReferenceData reference_;
  Inspections inspections_;
  IssueLedger ledger_;
  ClosureDesk closure_;
  Dossier dossier_;
  IssueHistory history_;
  LedgerStatistics statistics_;
  LedgerExporter exporter_;
};

}  // namespace rectify::issues
