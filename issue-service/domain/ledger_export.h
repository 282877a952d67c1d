// The ledger (台账) as the office exports it: its columns and one row per issue, with every cell
// a spreadsheet could take for a formula neutralised. The file formats are the export adapter's
// (issue-service/export/).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/call_context.h"
#include "issue-service/domain/issue_ledger.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

// The columns, in order, with their headers.
const std::vector<std::string>& LedgerColumns();
// One issue's row as exported: every cell a spreadsheet would take for a formula is neutralised.
std::vector<std::string> LedgerRow(const Issue& issue, bool overdue);
// A cell starting with =, +, -, @, tab or carriage return, prefixed with an apostrophe (OWASP).
std::string NeutraliseFormula(std::string cell);

// Hands over the ledger's rows (LedgerRow) within the caller's scope, filtered and ordered as
// ListIssues, page by page; the file they go into is the export adapter's.
class LedgerExporter {
 public:
  explicit LedgerExporter(IssueLedger& ledger) : ledger_(ledger) {}

  absl::Status Export(const CallContext& call, const std::string& filter,
                      const std::string& order_by,
                      const std::function<absl::Status(const std::vector<std::string>& row)>& row);

 private:
  IssueLedger& ledger_;
};

}  // namespace rectify::issues
