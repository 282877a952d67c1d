// IssueLedger's closure acceptance, dossier and history operations. The rules themselves are in
// ClosureWorkflow; this file checks requests, loads what the rules need and maps outcomes.
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/evidence_policy.h"
#include "issue-service/domain/issue_ledger.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

absl::Status PositiveId(const char* field, int64_t id) {
  if (id <= 0) return InvalidField(field, "must be a positive id");
  return absl::OkStatus();
}

}  // namespace

// ---- Closure acceptance -------------------------------------------------------------------------

absl::StatusOr<Issue> IssueLedger::RequestAcceptance(const CallContext& call, int64_t id,
                                                     const std::string& self_check,
                                                     const std::vector<int64_t>& evidence_ids,
                                                     bool stage, const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  ContextNeeds needs;
  needs.evidence = true;
  auto r = store_.Mutate(
      MakeMutation(call, "RequestAcceptance"), id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(workflow_.RequestAcceptance(call.principal, issue, self_check, evidence_ids,
                                                    stage, ctx.evidence, call.now));
        Change change{"issue.acceptance_requested"};
        change.seal_evidence = evidence_ids;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> IssueLedger::ReviewAcceptance(const CallContext& call, int64_t id,
                                                    AcceptanceStep step, Decision decision,
                                                    const std::string& reason,
                                                    const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (static_cast<int>(step) < 1 || static_cast<int>(step) > 3) {
    return InvalidField("step", "ON_SITE, PRE_EXAMINATION or JOINT_REVIEW");
  }
  auto r = store_.Mutate(
      MakeMutation(call, "ReviewAcceptance"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        ASSIGN_OR_RETURN(std::string event,
                         workflow_.Review(call.principal, issue, step, decision, reason, call.now));
        return Change{event};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> IssueLedger::OpenPublicNotice(const CallContext& call, int64_t id,
                                                    int working_days, const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office opens public notices");
  }
  auto r = store_.Mutate(
      MakeMutation(call, "OpenPublicNotice"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
        RETURN_IF_ERROR(workflow_.OpenNotice(call.principal, issue, working_days, call.now));
        return Change{"issue.public_notice_opened"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  return std::move(r->issue);
}

absl::StatusOr<Objection> IssueLedger::FileObjection(const CallContext& call, int64_t issue_id,
                                                     Objection objection) {
  if (call.principal.role != Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED",
                                 "objections to a public notice are filed by the public");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (absl::StripAsciiWhitespace(objection.text).empty()) v.Add("objection.text", "is required");
  if (CharacterCount(objection.text) > 2000) v.Add("objection.text", "at most 2000 characters");
  if (CharacterCount(objection.contact) > 200) v.Add("objection.contact", "at most 200 characters");
  if (objection.evidence_ids.size() > 20) v.Add("objection.evidence_ids", "at most 20 files");
  RETURN_IF_ERROR(v.ToStatus());
  ContextNeeds needs;
  needs.evidence = !objection.evidence_ids.empty();
  needs.objections_filed_by = call.principal.subject;
  needs.since = call.now - absl::Hours(24);
  auto r = store_.Mutate(
      MakeMutation(call, "FileObjection"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(workflow_.CheckCanObject(call.principal, issue, call.now));
        if (ctx.objections_filed_recently >= workflow_.policy().objections_per_day) {
          return MakeError(absl::StatusCode::kResourceExhausted, "RATE_LIMITED",
                           absl::StrCat("at most ", workflow_.policy().objections_per_day,
                                        " objections a day; try again tomorrow"));
        }
        for (size_t i = 0; i < objection.evidence_ids.size(); ++i) {
          bool found = false;
          for (const auto& e : ctx.evidence) {
            found = found || (e.id == objection.evidence_ids[i] &&
                              e.kind == EvidenceKind::kObjectionEvidence &&
                              e.uploaded_by == call.principal.subject);
          }
          if (!found) {
            return InvalidField(absl::StrCat("objection.evidence_ids[", i, "]"),
                                "not an objection file you uploaded to this issue");
          }
        }
        Change change{"issue.objection_filed"};
        Objection o = objection;
        o.id = 0;
        o.issue_id = issue_id;
        o.state = ObjectionState::kPending;
        o.ruling.clear();
        o.filed_by = call.principal.subject;
        o.create_time = call.now;
        o.rule_time.reset();
        change.objection = o;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  RETURN_IF_ERROR(r.status());
  return *r->objection;
}

absl::StatusOr<std::vector<Objection>> IssueLedger::ListObjections(const CallContext& call,
                                                                   int64_t issue_id) {
  RETURN_IF_ERROR(ReadVisible(call, issue_id).status());
  ASSIGN_OR_RETURN(auto list, store_.ListObjections(issue_id, call.deadline));
  if (!AccessPolicy::SeesPersonalData(call.principal)) {
    for (auto& o : list) o.contact.clear();
  }
  return list;
}

absl::StatusOr<Objection> IssueLedger::RuleOnObjection(const CallContext& call, int64_t issue_id,
                                                       int64_t objection_id, bool uphold,
                                                       const std::string& ruling) {
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office rules on objections");
  }
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  if (objection_id <= 0) v.Add("objection_id", "must be a positive id");
  if (absl::StripAsciiWhitespace(ruling).empty()) v.Add("ruling", "give the reasons");
  if (CharacterCount(ruling) > 10000) v.Add("ruling", "must be at most 10000 characters");
  RETURN_IF_ERROR(v.ToStatus());
  ContextNeeds needs;
  needs.objections = true;
  auto r = store_.Mutate(
      MakeMutation(call, "RuleOnObjection"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        const Objection* found = nullptr;
        for (const auto& o : ctx.objections) {
          if (o.id == objection_id) found = &o;
        }
        if (!found) return NotFoundError(absl::StrCat("objection ", objection_id));
        if (found->state != ObjectionState::kPending) {
          return FailedPreconditionError("OBJECTION_RULED", "the objection was already ruled on");
        }
        Objection o = *found;
        o.state = uphold ? ObjectionState::kUpheld : ObjectionState::kDismissed;
        o.ruling = ruling;
        o.rule_time = call.now;
        Change change{uphold ? "issue.objection_upheld" : "issue.objection_dismissed"};
        if (uphold) {
          if (issue.state != IssueState::kPublicNotice) {
            return FailedPreconditionError(
                "INVALID_STATE", absl::StrCat("cannot uphold an objection to an issue in state ",
                                              StateName(issue.state)));
          }
          workflow_.ApplyUpheldObjection(issue, o);
        }
        change.objection = o;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  return *r->objection;
}

absl::StatusOr<Issue> IssueLedger::CloseIssue(const CallContext& call, int64_t id,
                                              const std::string& etag) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office closes issues");
  }
  ContextNeeds needs;
  needs.objections = true;
  auto r =
      store_.Mutate(MakeMutation(call, "CloseIssue"), id, needs,
                    [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
                      RETURN_IF_ERROR(CheckEtag(etag, issue.version, IssueResource(issue.id)));
                      int pending = 0;
                      for (const auto& o : ctx.objections)
                        pending += o.state == ObjectionState::kPending;
                      RETURN_IF_ERROR(workflow_.Close(call.principal, issue, pending, call.now));
                      return Change{issue.state == IssueState::kClosed ? "issue.closed"
                                                                       : "issue.stage_completed"};
                    });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  return std::move(r->issue);
}

absl::StatusOr<Issue> IssueLedger::ReopenIssue(const CallContext& call, int64_t id,
                                               ReopenReason reason, const std::string& explanation,
                                               const std::string& cause) {
  RETURN_IF_ERROR(PositiveId("id", id));
  if (call.principal.role != Role::kOffice && call.principal.role != Role::kService) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office or a service reopens issues");
  }
  auto r = store_.Mutate(MakeMutation(call, "ReopenIssue"), id, {},
                         [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
                           ASSIGN_OR_RETURN(bool changed,
                                            workflow_.Reopen(call.principal, issue, reason,
                                                             explanation, cause, call.now));
                           return Change{changed ? "issue.reopened" : ""};
                         });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> IssueLedger::RecordVerification(const CallContext& call, int64_t id,
                                                      ComplaintFinding finding,
                                                      const std::string& report) {
  RETURN_IF_ERROR(PositiveId("id", id));
  auto r = store_.Mutate(
      MakeMutation(call, "RecordVerification"), id, {},
      [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
        RETURN_IF_ERROR(workflow_.RecordVerification(call.principal, issue, finding, report));
        return Change{"issue.verification_recorded"};
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Issue> IssueLedger::RecordFollowUp(const CallContext& call, int64_t id,
                                                  const std::string& result) {
  RETURN_IF_ERROR(PositiveId("id", id));
  auto r = store_.Mutate(MakeMutation(call, "RecordFollowUp"), id, {},
                         [&](Issue& issue, const IssueContext&) -> absl::StatusOr<Change> {
                           RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
                           RETURN_IF_ERROR(workflow_.RecordFollowUp(call.principal, issue, result));
                           return Change{"issue.follow_up_recorded"};
                         });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, id, r.status()));
  RETURN_IF_ERROR(r.status());
  AccessPolicy::Redact(call.principal, r->issue);
  return std::move(r->issue);
}

absl::StatusOr<Extension> IssueLedger::RequestExtension(const CallContext& call, int64_t issue_id,
                                                        const std::string& requested_deadline,
                                                        const std::string& reason) {
  RETURN_IF_ERROR(PositiveId("issue_id", issue_id));
  ContextNeeds needs;
  needs.extensions = true;
  auto r = store_.Mutate(MakeMutation(call, "RequestExtension"), issue_id, needs,
                         [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
                           RETURN_IF_ERROR(AccessPolicy::CheckRead(call.principal, issue));
                           RETURN_IF_ERROR(workflow_.CheckCanRequestExtension(
                               call.principal, issue, requested_deadline, reason, ctx.extensions));
                           Extension e;
                           e.issue_id = issue_id;
                           e.current_deadline = issue.deadline;
                           e.requested_deadline = requested_deadline;
                           e.reason = reason;
                           e.state = ExtensionState::kPending;
                           e.requested_by_org = call.principal.org;
                           e.create_time = call.now;
                           Change change{"issue.extension_requested"};
                           change.extension = e;
                           return change;
                         });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  RETURN_IF_ERROR(r.status());
  return *r->extension;
}

absl::StatusOr<Extension> IssueLedger::DecideExtension(const CallContext& call, int64_t issue_id,
                                                       int64_t extension_id, bool approve,
                                                       const std::string& reason) {
  if (call.principal.role != Role::kOffice) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the office decides extensions");
  }
  RETURN_IF_ERROR(PositiveId("issue_id", issue_id));
  RETURN_IF_ERROR(PositiveId("extension_id", extension_id));
  ContextNeeds needs;
  needs.extensions = true;
  auto r = store_.Mutate(
      MakeMutation(call, "DecideExtension"), issue_id, needs,
      [&](Issue& issue, const IssueContext& ctx) -> absl::StatusOr<Change> {
        std::optional<Extension> e;
        for (const auto& x : ctx.extensions) {
          if (x.id == extension_id) e = x;
        }
        if (!e) return NotFoundError(absl::StrCat("extension ", extension_id));
        RETURN_IF_ERROR(
            workflow_.DecideExtension(call.principal, issue, *e, approve, reason, call.now));
        Change change{approve ? "issue.extension_approved" : "issue.extension_refused"};
        change.extension = *e;
        return change;
      });
  RETURN_IF_ERROR(AccessPolicy::HideMissingIssue(call.principal, issue_id, r.status()));
  return *r->extension;
}

absl::StatusOr<std::vector<Extension>> IssueLedger::ListExtensions(const CallContext& call,
                                                                   int64_t issue_id) {
  RETURN_IF_ERROR(ReadVisible(call, issue_id).status());
  return store_.ListExtensions(issue_id, call.deadline);
}

// ---- The dossier --------------------------------------------------------------------------------

absl::Status IssueLedger::CheckUpload(const CallContext& call, const Evidence& m) {
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

absl::Status IssueLedger::CheckMayAddToDossier(const Principal& p, const Issue& issue,
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

absl::Status IssueLedger::CheckUploadMayBegin(const CallContext& call, const Evidence& metadata) {
  RETURN_IF_ERROR(CheckUpload(call, metadata));
  auto issue = store_.GetIssue(metadata.issue_id, call.deadline);
  RETURN_IF_ERROR(
      AccessPolicy::HideMissingIssue(call.principal, metadata.issue_id, issue.status()));
  return CheckMayAddToDossier(call.principal, *issue, call.now);
}

absl::StatusOr<Evidence> IssueLedger::AddEvidence(const CallContext& call, Evidence metadata,
                                                  const std::string& content) {
  RETURN_IF_ERROR(CheckUpload(call, metadata));
  if (content.empty()) return InvalidField("chunk", "the file is empty");
  if (static_cast<int64_t>(content.size()) > limits_.max_evidence_bytes) {
    return MakeError(absl::StatusCode::kResourceExhausted, "FILE_TOO_LARGE",
                     absl::StrCat("files are limited to ", limits_.max_evidence_bytes, " bytes"));
  }
  ASSIGN_OR_RETURN(metadata.media_type, DetectMediaType(content, metadata.media_type));
  if (metadata.progress_report_id > 0) {
    // A file may document a progress report, but only one of this issue.
    ASSIGN_OR_RETURN(auto reports,
                     store_.ListProgressReports(metadata.issue_id, metadata.progress_report_id - 1,
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
  auto saved = store_.AddEvidence(
      MakeMutation(call, "UploadEvidence"), metadata, content,
      [&](const Issue& issue) { return CheckMayAddToDossier(p, issue, call.now); });
  RETURN_IF_ERROR(
      AccessPolicy::HideMissingIssue(call.principal, metadata.issue_id, saved.status()));
  return saved;
}

absl::StatusOr<std::vector<Evidence>> IssueLedger::ListEvidence(const CallContext& call,
                                                                int64_t issue_id) {
  if (call.principal.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "dossiers are not public");
  }
  RETURN_IF_ERROR(ReadVisible(call, issue_id).status());
  return store_.ListEvidence(issue_id, call.deadline);
}

absl::StatusOr<Evidence> IssueLedger::GetEvidence(const CallContext& call, int64_t issue_id,
                                                  int64_t evidence_id) {
  if (call.principal.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "dossiers are not public");
  }
  RETURN_IF_ERROR(ReadVisible(call, issue_id).status());
  RETURN_IF_ERROR(PositiveId("evidence_id", evidence_id));
  return store_.GetEvidence(issue_id, evidence_id, call.deadline);
}

absl::StatusOr<std::optional<std::string>> IssueLedger::ReadEvidenceChunk(const CallContext& call,
                                                                          int64_t evidence_id,
                                                                          int seq) {
  return store_.ReadEvidenceChunk(evidence_id, seq, call.deadline);
}

// ---- History ------------------------------------------------------------------------------------

absl::StatusOr<HistoryPage> IssueLedger::GetIssueHistory(const CallContext& call, int64_t id,
                                                         int page_size,
                                                         const std::string& page_token,
                                                         bool newest_first) {
  ASSIGN_OR_RETURN(int size,
                   EffectivePageSize(page_size, limits_.default_page_size, limits_.max_page_size));
  RETURN_IF_ERROR(ReadVisible(call, id).status());
  ASSIGN_OR_RETURN(auto rows,
                   ReadKeysetPage<HistoryRecord>(
                       tokens_, absl::StrCat("history|", id, "|", newest_first), page_token, size,
                       [&](const PagePosition& after, int limit) {
                         return store_.LoadHistoryPage(IssueResource(id), newest_first, after.id,
                                                       limit, call.deadline);
                       },
                       [](const HistoryRecord& r) {
                         return PagePosition{"", r.seq};
                       }));
  return HistoryPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<HistoryVerification> IssueLedger::VerifyIssueHistory(const CallContext& call,
                                                                    int64_t id) {
  RETURN_IF_ERROR(ReadVisible(call, id).status());
  ASSIGN_OR_RETURN(auto records, store_.LoadHistory(IssueResource(id), call.deadline));
  HistoryVerification out;
  out.records_checked = static_cast<int64_t>(records.size());
  ChainCheck chain = VerifyChain(records);
  if (!chain.ok) {
    out.ok = false;
    out.first_bad_seq = chain.first_bad_seq;
    out.problem = chain.problem;
  }
  // Every file's content must still match the digest the chain recorded when it was added.
  for (const auto& r : records) {
    if (!out.ok && r.seq >= out.first_bad_seq) break;
    if (r.action != "issue.evidence_added") continue;
    auto payload = nlohmann::json::parse(r.payload_json, nullptr, false);
    if (!payload.is_object() || !payload.contains("evidence")) continue;
    int64_t evidence_id = payload["evidence"].value("id", int64_t{0});
    std::string recorded = payload["evidence"].value("sha256", "");
    ++out.evidence_checked;
    crypto::Sha256Stream digest;
    int64_t size = 0;
    RETURN_IF_ERROR(store_.ReadEvidence(evidence_id, call.deadline + absl::Minutes(5),
                                        [&](const std::string& chunk) {
                                          digest.Update(chunk);
                                          size += static_cast<int64_t>(chunk.size());
                                          return true;
                                        }));
    auto row = store_.GetEvidence(id, evidence_id, call.deadline);
    std::string problem;
    if (!row.ok()) {
      problem = absl::StrCat("evidence ", evidence_id, " is missing");
    } else if (digest.HexDigest() != recorded) {
      problem = absl::StrCat("evidence ", evidence_id,
                             " content does not match the digest recorded in the history");
    } else if (row->sha256 != recorded || row->size_bytes != size) {
      problem = absl::StrCat("evidence ", evidence_id,
                             " metadata does not match the digest recorded in the history");
    }
    if (!problem.empty()) {
      out.ok = false;
      out.first_bad_seq = r.seq;
      out.problem = problem;
      break;
    }
  }
  return out;
}

// ---- Statistics ---------------------------------------------------------------------------------

LedgerStats SummarizeLedger(const StatsData& data, const std::string& as_of_date) {
  LedgerStats out;
  out.as_of_date = as_of_date;
  out.overdue = data.overdue;
  for (const auto& row : data.rows) {
    if (row.count == 0) continue;
    switch (row.dimension) {
      case StatsRow::kCategory:
        out.by_category[EnumToName(kCategoryNames, static_cast<Category>(row.value))] += row.count;
        continue;
      case StatsRow::kSource:
        out.by_source[EnumToName(kSourceNames, static_cast<IssueSource>(row.value))] += row.count;
        continue;
      case StatsRow::kClass: {
        auto klass = static_cast<RectificationClass>(row.value);
        out.by_class[klass == RectificationClass::kUnspecified ? "UNASSIGNED"
                                                               : EnumToName(kClassNames, klass)] +=
            row.count;
        continue;
      }
      case StatsRow::kState:
        break;
    }
    out.total += row.count;
    out.by_state[EnumToName(kStateNames, row.state)] += row.count;
    out.by_city[row.city + "00"] += row.count;
    switch (row.state) {
      case IssueState::kClosed:
        out.accepted_and_closed += row.count;
        out.rectification_completed += row.count;
        break;
      case IssueState::kAcceptanceRequested:
      case IssueState::kLocallyAccepted:
      case IssueState::kPreExamined:
      case IssueState::kJointReviewed:
      case IssueState::kPublicNotice:
        out.acceptance_not_completed += row.count;
        out.rectification_completed += row.count;
        break;
      case IssueState::kStageCompleted:
        out.rectification_completed += row.count;
        break;
      case IssueState::kRectifying:
        if (row.measures_done) out.acceptance_not_applied += row.count;
        break;
      default:
        break;
    }
  }
  if (out.total > 0) {
    out.completion_rate = static_cast<double>(out.rectification_completed) / out.total;
    out.closure_rate = static_cast<double>(out.accepted_and_closed) / out.total;
  }
  return out;
}

absl::StatusOr<LedgerStats> IssueLedger::GetLedgerStats(const CallContext& call,
                                                        const std::string& region_code,
                                                        int64_t inspection_id) {
  StatsQuery q;
  if (!region_code.empty()) {
    Violations v;
    CheckRegion(v, "region_code", region_code);
    RETURN_IF_ERROR(v.ToStatus());
    q.region_prefix = RegionPrefix(region_code);
  }
  if (inspection_id < 0) return InvalidField("inspection_id", "must be a positive id");
  q.inspection_id = inspection_id;
  q.scope = AccessPolicy::ScopeOf(call.principal);
  q.today = FormatDate(ProvinceDay(call.now));
  ASSIGN_OR_RETURN(StatsData data, store_.LedgerStatsData(q, call.deadline));
  return SummarizeLedger(data, q.today);
}

absl::Status IssueLedger::ExportLedger(
    const CallContext& call, const std::string& filter, const std::string& order_by,
    const std::function<absl::Status(const std::vector<std::string>& row)>& row) {
  // Validates filter and order before anything is written.
  RETURN_IF_ERROR(ParseIssueFilter(filter).status());
  RETURN_IF_ERROR(ParseIssueOrder(order_by).status());
  CallContext paging = call;
  // An export of the whole ledger outlives one call's usual deadline.
  std::string token;
  do {
    paging.deadline = absl::Now() + absl::Seconds(30);
    ASSIGN_OR_RETURN(IssuePage page,
                     ListIssues(paging, limits_.max_page_size, token, filter, order_by));
    for (const auto& issue : page.issues) {
      RETURN_IF_ERROR(row(LedgerRow(issue, IsOverdue(issue, call.now))));
    }
    token = page.next_page_token;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace rectify::issues
