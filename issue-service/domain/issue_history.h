// An issue's history as its readers see it: paged, and verified — every record's hash and the
// chain, and every dossier file's content against the digest recorded when it was added.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/history_chain.h"
#include "common/page_token.h"
#include "issue-service/domain/request_checks.h"
#include "issue-service/storage/issue_store.h"

namespace rectify::issues {

struct HistoryPage {
  std::vector<HistoryRecord> records;
  std::string next_page_token;
};

struct HistoryVerification {
  bool ok = true;
  int64_t records_checked = 0;
  int64_t evidence_checked = 0;
  int64_t first_bad_seq = 0;
  std::string problem;
};

class IssueHistory {
 public:
  IssueHistory(IssueStore& issues, HistoryReader& history, EvidenceStore& evidence,
               const PageTokenCodec& tokens, PageSizes pages)
      : issues_(issues), history_(history), evidence_(evidence), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<HistoryPage> GetIssueHistory(const CallContext& call, int64_t id, int page_size,
                                              const std::string& page_token, bool newest_first);
  absl::StatusOr<HistoryVerification> VerifyIssueHistory(const CallContext& call, int64_t id);

 private:
  IssueStore& issues_;
  HistoryReader& history_;
  EvidenceStore& evidence_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

}  // namespace rectify::issues
