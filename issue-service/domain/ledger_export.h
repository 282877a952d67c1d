// The ledger (台账) as a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel shows the
// Chinese text correctly) or XLSX (libxlsxwriter), one row per issue, streamed in chunks.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

enum class ExportFormat { kCsv = 1, kXlsx = 2 };

// The columns, in order, with their headers.
const std::vector<std::string>& LedgerColumns();
// One issue's row as exported: every cell a spreadsheet would take for a formula is neutralised.
std::vector<std::string> LedgerRow(const Issue& issue, bool overdue);
// A cell starting with =, +, -, @, tab or carriage return, prefixed with an apostrophe (OWASP).
std::string NeutraliseFormula(std::string cell);

// RFC 4180 quoting.
std::string CsvLine(const std::vector<std::string>& fields);

// Receives rows and emits the file's bytes through `sink` (false from `sink` stops).
class LedgerWriter {
 public:
  using Sink = std::function<bool(const std::string& bytes)>;
  static absl::StatusOr<std::unique_ptr<LedgerWriter>> Create(ExportFormat format, Sink sink);
  virtual ~LedgerWriter() = default;
  virtual absl::Status Add(const std::vector<std::string>& row) = 0;
  // Writes what is left; the file is complete when this returns OK.
  virtual absl::Status Finish() = 0;
};

std::string ExportFileName(ExportFormat format, absl::Time now);
std::string ExportMediaType(ExportFormat format);

}  // namespace rectify::issues
