#include "issue-service/domain/issue_history.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status.h"
#include "issue-service/domain/request_checks.h"

namespace rectify::issues {

absl::StatusOr<HistoryPage> IssueHistory::GetIssueHistory(const CallContext& call, int64_t id,
                                                          int page_size,
                                                          const std::string& page_token,
                                                          bool newest_first) {
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_.default_size, pages_.max_size));
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, id).status());
  ASSIGN_OR_RETURN(auto rows,
                   ReadKeysetPage<HistoryRecord>(
                       tokens_, absl::StrCat("history|", id, "|", newest_first), page_token, size,
                       [&](const PagePosition& after, int limit) {
                         return history_.LoadHistoryPage(IssueResource(id), newest_first, after.id,
                                                         limit, call.deadline);
                       },
                       [](const HistoryRecord& r) {
                         return PagePosition{"", r.seq};
                       }));
  return HistoryPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<HistoryVerification> IssueHistory::VerifyIssueHistory(const CallContext& call,
                                                                     int64_t id) {
  RETURN_IF_ERROR(ReadVisibleIssue(issues_, call, id).status());
  ASSIGN_OR_RETURN(auto records, history_.LoadHistory(IssueResource(id), call.deadline));
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
    RETURN_IF_ERROR(evidence_.ReadEvidence(evidence_id, call.deadline + absl::Minutes(5),
                                           [&](const std::string& chunk) {
                                             digest.Update(chunk);
                                             size += static_cast<int64_t>(chunk.size());
                                             return true;
                                           }));
    auto row = evidence_.GetEvidence(id, evidence_id, call.deadline);
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

}  // namespace rectify::issues
