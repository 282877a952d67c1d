// The ledger as a file: CSV (UTF-8 with a byte-order mark, so Excel shows the Chinese text
// correctly, RFC 4180 quoting) or XLSX (libxlsxwriter, constant memory), written to a path the
// caller owns, header first, one row per issue.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rectify::issues {

enum class ExportFormat { kCsv = 1, kXlsx = 2 };

class LedgerFile {
 public:
  // Starts the file at `path` with the ledger's header row.
  static absl::StatusOr<std::unique_ptr<LedgerFile>> Create(ExportFormat format,
                                                            const std::string& path);
  virtual ~LedgerFile() = default;
  virtual absl::Status Add(const std::vector<std::string>& row) = 0;
  // Completes the file; it is whole when this returns OK.
  virtual absl::Status Finish() = 0;
};

// A file in the temporary directory ($TMPDIR, else /tmp) that is removed when this goes away.
class TemporaryFile {
 public:
  static absl::StatusOr<std::unique_ptr<TemporaryFile>> Create(const std::string& prefix);
  ~TemporaryFile();
  const std::string& path() const { return path_; }

 private:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// RFC 4180 quoting.
std::string CsvLine(const std::vector<std::string>& fields);
std::string ExportFileName(ExportFormat format, absl::Time now);
std::string ExportMediaType(ExportFormat format);

}  // namespace rectify::issues
