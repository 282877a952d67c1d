// The ledger (台账) as the office exports it: its columns and one row per issue, with every cell
// a spreadsheet could take for a formula neutralised. The file formats are the export adapter's
// (issue-service/export/).
#pragma once

#include <string>
#include <vector>

#include "issue-service/domain/model.h"

namespace rectify::issues {

// The columns, in order, with their headers.
const std::vector<std::string>& LedgerColumns();
// One issue's row as exported: every cell a spreadsheet would take for a formula is neutralised.
std::vector<std::string> LedgerRow(const Issue& issue, bool overdue);
// A cell starting with =, +, -, @, tab or carriage return, prefixed with an apostrophe (OWASP).
std::string NeutraliseFormula(std::string cell);

}  // namespace rectify::issues
