#include "issue-service/domain/ledger_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

constexpr size_t kFlushBytes = 256 << 10;

class CsvWriter final : public LedgerWriter {
 public:
  explicit CsvWriter(Sink sink) : sink_(std::move(sink)) {
    buffer_ = "\xEF\xBB\xBF";  // Excel reads UTF-8 only with the mark
    buffer_ += CsvLine(LedgerColumns());
  }
  absl::Status Add(const std::vector<std::string>& row) override {
    buffer_ += CsvLine(row);
    if (buffer_.size() >= kFlushBytes) return Flush();
    return absl::OkStatus();
  }
  absl::Status Finish() override { return Flush(); }

 private:
  absl::Status Flush() {
    if (buffer_.empty()) return absl::OkStatus();
    if (!sink_(buffer_)) return absl::CancelledError("the receiver went away");
    buffer_.clear();
    return absl::OkStatus();
  }
  Sink sink_;
  std::string buffer_;
};

// libxlsxwriter writes to a file; the file lives in the temporary directory only while it is
// written and streamed, and is removed in every case.
class XlsxWriter final : public LedgerWriter {
 public:
  static absl::StatusOr<std::unique_ptr<LedgerWriter>> Create(Sink sink) {
    char path[] = "/tmp/rectify-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return absl::UnavailableError("cannot create a temporary file for the export");
    close(fd);
    auto w = std::unique_ptr<XlsxWriter>(new XlsxWriter(std::move(sink), path));
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;  // rows go to disk as they are written
    w->workbook_ = workbook_new_opt(path, &options);
    if (!w->workbook_) return absl::UnavailableError("cannot start the workbook");
    w->sheet_ = workbook_add_worksheet(w->workbook_, "台账");
    w->bold_ = workbook_add_format(w->workbook_);
    format_set_bold(w->bold_);
    auto header = w->WriteRow(LedgerColumns(), w->bold_);
    if (!header.ok()) return header;
    return std::unique_ptr<LedgerWriter>(std::move(w));
  }

  ~XlsxWriter() override {
    if (workbook_) workbook_close(workbook_);
    std::remove(path_.c_str());
  }

  absl::Status Add(const std::vector<std::string>& row) override { return WriteRow(row, nullptr); }

  absl::Status Finish() override {
    lxw_error err = workbook_close(workbook_);
    workbook_ = nullptr;
    if (err != LXW_NO_ERROR) {
      return absl::InternalError(absl::StrCat("xlsx: ", lxw_strerror(err)));
    }
    std::ifstream in(path_, std::ios::binary);
    std::string chunk(1 << 20, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      std::streamsize n = in.gcount();
      if (n <= 0) break;
      if (!sink_(chunk.substr(0, static_cast<size_t>(n)))) {
        return absl::CancelledError("the receiver went away");
      }
    }
    return absl::OkStatus();
  }

 private:
  XlsxWriter(Sink sink, std::string path) : sink_(std::move(sink)), path_(std::move(path)) {}

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

  Sink sink_;
  std::string path_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_row_t row_ = 0;
};

std::string Time(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, ProvinceTimeZone()); }

}  // namespace

const std::vector<std::string>& LedgerColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "编号",     "问题",     "状态",     "来源",     "类别",     "地区",     "地点",
      "整改类型", "优先级",   "牵头单位", "责任单位", "验收单位", "联审单位", "责任人",
      "整改时限", "是否逾期", "进度(%)",  "退回次数", "督察批次", "登记时间", "更新时间"};
  return *columns;
}

namespace {
std::vector<std::string> LedgerCells(const Issue& i, bool overdue);
}  // namespace

std::string NeutraliseFormula(std::string cell) {
  // OWASP, CSV injection: a cell a spreadsheet would take for a formula starts with one of
  // these; a leading apostrophe makes it text, and shows as nothing more than that.
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    cell.insert(cell.begin(), '\'');
  }
  return cell;
}

std::vector<std::string> LedgerRow(const Issue& i, bool overdue) {
  std::vector<std::string> row = LedgerCells(i, overdue);
  for (auto& cell : row) cell = NeutraliseFormula(std::move(cell));
  return row;
}

namespace {
std::vector<std::string> LedgerCells(const Issue& i, bool overdue) {
  return {absl::StrCat(i.id),
          i.title,
          EnumToName(kStateNames, i.state),
          EnumToName(kSourceNames, i.source),
          EnumToName(kCategoryNames, i.category),
          i.region_code,
          i.site,
          i.rectification_class == RectificationClass::kUnspecified
              ? ""
              : EnumToName(kClassNames, i.rectification_class),
          EnumToName(kPriorityNames, i.priority),
          i.lead_org_id,
          absl::StrJoin(i.responsible_org_ids, ";"),
          i.acceptance_org_id,
          absl::StrJoin(i.joint_reviewer_org_ids, ";"),
          i.responsible_official,
          i.deadline,
          overdue ? "是" : "否",
          absl::StrCat(i.progress_percent),
          absl::StrCat(i.rejection_count),
          i.inspection_id ? absl::StrCat(i.inspection_id) : "",
          Time(i.create_time),
          Time(i.update_time)};
}
}  // namespace

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

absl::StatusOr<std::unique_ptr<LedgerWriter>> LedgerWriter::Create(ExportFormat format, Sink sink) {
  if (format == ExportFormat::kXlsx) return XlsxWriter::Create(std::move(sink));
  return std::unique_ptr<LedgerWriter>(new CsvWriter(std::move(sink)));
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
