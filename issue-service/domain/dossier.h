// The dossier (档案) of an issue: who may add which files while the issue is open, what a file's
// content must be, and reading files back within scope. The public adds evidence to its
// objections and reads no dossier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "issue-service/domain/closure_workflow.h"
#include "issue-service/domain/model.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

class Dossier {
 public:
  Dossier(IssueStore& issues, EvidenceStore& evidence, const ClosureWorkflow& workflow,
          int64_t max_evidence_bytes)
      : issues_(issues),
        evidence_(evidence),
        workflow_(workflow),
        max_evidence_bytes_(max_evidence_bytes) {}

  // Checks the metadata before the content arrives (who may upload what, to which issue).
  absl::Status CheckUpload(const CallContext& call, const Evidence& metadata);
  // On an upload's first message, before any content is accepted: the metadata, the caller's
  // role, and whether it may add to this issue's dossier (scope, rectifier, state).
  absl::Status CheckUploadMayBegin(const CallContext& call, const Evidence& metadata);
  absl::StatusOr<Evidence> AddEvidence(const CallContext& call, Evidence metadata,
                                       const std::string& content);
  absl::StatusOr<std::vector<Evidence>> ListEvidence(const CallContext& call, int64_t issue_id);
  absl::StatusOr<Evidence> GetEvidence(const CallContext& call, int64_t issue_id,
                                       int64_t evidence_id);
  // The `seq`-th stored chunk of a file the caller was shown by GetEvidence; std::nullopt past
  // the last.
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(const CallContext& call,
                                                               int64_t evidence_id, int seq);
  int64_t max_evidence_bytes() const { return max_evidence_bytes_; }

 private:
  absl::Status CheckMayAddToDossier(const Principal& p, const Issue& issue, absl::Time now) const;

  IssueStore& issues_;
  EvidenceStore& evidence_;
  const ClosureWorkflow& workflow_;
  int64_t max_evidence_bytes_;
};

}  // namespace rectify::issues
