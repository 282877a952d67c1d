#include "issue-service/export/ledger_file.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status.h"
#include "issue-service/domain/ledger_export.h"

namespace rectify::issues {
namespace {

class CsvFile final : public LedgerFile {
 public:
  explicit CsvFile(std::FILE* out) : out_(out) {}
  ~CsvFile() override {
    if (out_) std::fclose(out_);
  }
  absl::Status Start() {
    return Write(absl::StrCat("\xEF\xBB\xBF", CsvLine(LedgerColumns())));  // Excel needs the mark
  }
  absl::Status Add(const std::vector<std::string>& row) override { return Write(CsvLine(row)); }
  absl::Status Finish() override {
    int closed = std::fclose(std::exchange(out_, nullptr));
    if (closed != 0) return absl::UnavailableError("cannot complete the export file");
    return absl::OkStatus();
  }

 private:
  absl::Status Write(const std::string& bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size()) {
      return absl::UnavailableError("cannot write the export file");
    }
    return absl::OkStatus();
  }
  std::FILE* out_;
};

class XlsxFile final : public LedgerFile {
 public:
  static absl::StatusOr<std::unique_ptr<LedgerFile>> Create(const std::string& path) {
    auto f = std::unique_ptr<XlsxFile>(new XlsxFile());
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;  // rows go to disk as they are written
    f->workbook_ = workbook_new_opt(path.c_str(), &options);
    if (!f->workbook_) return absl::UnavailableError("cannot start the workbook");
    f->sheet_ = workbook_add_worksheet(f->workbook_, "台账");
    f->bold_ = workbook_add_format(f->workbook_);
    format_set_bold(f->bold_);
    RETURN_IF_ERROR(f->WriteRow(LedgerColumns(), f->bold_));
    return std::unique_ptr<LedgerFile>(std::move(f));
  }
  ~XlsxFile() override {
    if (workbook_) workbook_close(workbook_);
  }
  absl::Status Add(const std::vector<std::string>& row) override { return WriteRow(row, nullptr); }
  absl::Status Finish() override {
    lxw_error err = workbook_close(std::exchange(workbook_, nullptr));
    if (err != LXW_NO_ERROR) {
      return absl::InternalError(absl::StrCat("xlsx: ", lxw_strerror(err)));
    }
    return absl::OkStatus();
  }

 private:
  XlsxFile() = default;
  absl::Status WriteRow(const std::vector<std::string>& row, lxw_format* format) {
    for (size_t col = 0; col < row.size(); ++col) {
      lxw_error err = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(col),
                                             row[col].c_str(), format);
      if (err != LXW_NO_ERROR) {
        return absl::InternalError(absl::StrCat("xlsx: ", lxw_strerror(err)));
      }
    }
    ++row_;
    return absl::OkStatus();
  }

  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_row_t row_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TemporaryFile>> TemporaryFile::Create(const std::string& prefix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(dir && *dir ? dir : "/tmp", "/", prefix, "-XXXXXX");
  int fd = mkstemp(pattern.data());
  if (fd < 0) return absl::UnavailableError("cannot create a temporary file");
  close(fd);
  return std::unique_ptr<TemporaryFile>(new TemporaryFile(std::move(pattern)));
}

TemporaryFile::~TemporaryFile() { std::remove(path_.c_str()); }

absl::StatusOr<std::unique_ptr<LedgerFile>> LedgerFile::Create(ExportFormat format,
                                                               const std::string& path) {
  if (format == ExportFormat::kXlsx) return XlsxFile::Create(path);
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return absl::UnavailableError("cannot create the export file");
  auto csv = std::make_unique<CsvFile>(out);
  RETURN_IF_ERROR(csv->Start());
  return std::unique_ptr<LedgerFile>(std::move(csv));
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k) out += ',';
    const std::string& f = fields[k];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::string ExportFileName(ExportFormat format, absl::Time now) {
  return absl::StrCat("rectify-ledger-", absl::FormatTime("%Y%m%d-%H%M", now, ProvinceTimeZone()),
                      format == ExportFormat::kXlsx ? ".xlsx" : ".csv");
}

std::string ExportMediaType(ExportFormat format) {
  return format == ExportFormat::kXlsx
             ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8";
}

}  // namespace rectify::issues
