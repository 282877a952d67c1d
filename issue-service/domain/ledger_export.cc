#include "issue-service/domain/ledger_export.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "common/status.h"
#include "issue-service/domain/lifecycle.h"
#include "issue-service/domain/names.h"
#include "issue-service/domain/query.h"

namespace rectify::issues {
namespace {

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

absl::Status LedgerExporter::Export(
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
                     ledger_.ListIssues(paging, ledger_.max_page_size(), token, filter, order_by));
    for (const auto& issue : page.issues) {
      RETURN_IF_ERROR(row(LedgerRow(issue, IsOverdue(issue, call.now))));
    }
    token = page.next_page_token;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace rectify::issues
