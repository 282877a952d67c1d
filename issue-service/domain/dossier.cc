#include "issue-service/domain/dossier.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/evidence_policy.h"
#include "issue-service/domain/names.h"
#include "issue-service/domain/request_checks.h"

namespace rectify::issues {

absl::Status Dossier::CheckUpload(const CallContext& call, const Evidence& m) {
  const auto& p = call.principal;
  if (p.role == Role::kSupervisor || p.role == Role::kDiscipline || p.role == Role::kService) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "your role does not add to dossiers");
  }
  Violations v;
  if (m.issue_id <= 0) v.Add("metadata.issue_id", "must be a positive id");
  int kind = static_cast<int>(m.kind);
  if (kind < 1 || kind > kMaxEvidenceKind) v.Add("metadata.kind", "is required");
  if (m.file_name.empty() || CharacterCount(m.file_name) > 255 ||
      m.file_name.find('/') != std::string::npos || m.file_name.find('\0') != std::string::npos) {
    v.Add("metadata.file_name", "1 to 255 characters, no path");
  }
  if (CharacterCount(m.description) > 2000) {
    v.Add("metadata.description", "must be at most 2000 characters");
  }
  if (m.progress_report_id < 0) v.Add("metadata.progress_report_id", "must not be negative");
  RETURN_IF_ERROR(v.ToStatus());
  if ((p.role == Role::kPublic) != (m.kind == EvidenceKind::kObjectionEvidence)) {
    return PermissionDeniedError("KIND_NOT_ALLOWED",
                                 "the public adds objection evidence, and only the public does");
  }
  return absl::OkStatus();
}

absl::Status Dossier::CheckMayAddToDossier(const Principal& p, const Issue& issue,
                                           absl::Time now) const {
  if (p.role == Role::kPublic) return workflow_.CheckCanObject(p, issue, now);
  RETURN_IF_ERROR(AccessPolicy::CheckRead(p, issue));
  if (p.role != Role::kOffice && !AccessPolicy::IsRectifier(p.org, issue)) {
    return PermissionDeniedError("NOT_RECTIFIER", "the rectifying orgs build the dossier");
  }
  if (issue.state != IssueState::kAssigned && issue.state != IssueState::kRectifying &&
      issue.state != IssueState::kStageCompleted) {
    return FailedPreconditionError(
        "INVALID_STATE",
        absl::StrCat("cannot add to the dossier of an issue in state ", StateName(issue.state)));
  }
  return absl::OkStatus();
}

absl::Status Dossier::CheckUploadMayBegin(const CallContext& call, const Evidence& metadata) {
  RETURN_IF_ERROR(CheckUpload(call, metadata));
  auto issue = issues_.GetIssue(metadata.issue_id, call.deadline);
  RETURN_IF_ERROR(
      AccessPolicy::HideMissingIssue(call.principal, metadata.issue_id, issue.status()));
  return CheckMayAddToDossier(call.principal, *issue, call.now);
}

absl::StatusOr<Evidence> Dossier::AddEvidence(const CallContext& call, Evidence metadata,
                                              const std::string& content) {
  RETURN_IF_ERROR(CheckUpload(call, metadata));
  if (content.empty()) return InvalidField("chunk", "the file is empty");
  if (static_cast<int64_t>(content.size()) > max_evidence_bytes_) {
    return MakeError(absl::StatusCode::kResourceExhausted, "FILE_TOO_LARGE",
                     absl::StrCat("files are limited to ", max_evidence_bytes_, " bytes"));
  }
  ASSIGN_OR_RETURN(metadata.media_type, DetectMediaType(content, metadata.media_type));
  if (metadata.progress_report_id > 0) {
    // A file may document a progress report, but only one of this issue.
    ASSIGN_OR_RETURN(auto reports,
                     issues_.ListProgressReports(metadata.issue_id, metadata.progress_report_id - 1,
                                                 1, call.deadline));
    if (reports.empty() || reports[0].id != metadata.progress_report_id) {
      return InvalidField("metadata.progress_report_id", "no such progress report on this issue");
    }
  }
  metadata.id = 0;
  metadata.size_bytes = static_cast<int64_t>(content.size());
  metadata.sha256 = crypto::Sha256Hex(content);
  metadata.sealed = false;
  metadata.uploaded_by_org = call.principal.org;
  metadata.uploaded_by = call.principal.subject;
  metadata.create_time = call.now;
  const Principal& p = call.principal;
  // Checked again in the transaction that stores the file: the issue may have moved on since
  // the upload began.
  auto saved = evidence_.AddEvidence(
      MutationFor(call, "UploadEvidence"), metadata, content,
      [&](const Issue& issue) { return CheckMayAddToDossier(p, issue, call.now); });
  RETURN_IF_ERROR(
      AccessPolicy::HideMissingIssue(call.principal, metadata.issue_id, saved.status()));
  return saved;
}

absl::StatusOr<std::vector<Evidence>> Dossier::ListEvidence(const CallContext& call,
                                                            int64_t issue_id) {
  if (call.principal.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "dossiers are not public");
  }
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, issue_id).status());
  return evidence_.ListEvidence(issue_id, call.deadline);
}

absl::StatusOr<Evidence> Dossier::GetEvidence(const CallContext& call, int64_t issue_id,
                                              int64_t evidence_id) {
  if (call.principal.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "dossiers are not public");
  }
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, issue_id).status());
  RETURN_IF_ERROR(PositiveId("evidence_id", evidence_id));
  return evidence_.GetEvidence(issue_id, evidence_id, call.deadline);
}

absl::StatusOr<std::optional<std::string>> Dossier::ReadEvidenceChunk(const CallContext& call,
                                                                      int64_t evidence_id,
                                                                      int seq) {
  return evidence_.ReadEvidenceChunk(evidence_id, seq, call.deadline);
}

}  // namespace rectify::issues
