#include "issue-service/domain/query.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/filter_expr.h"
#include "common/region.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/access.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

constexpr size_t kMaxFilterLength = 2000;

absl::Status FilterError(absl::string_view description) {
  return InvalidField("filter", description);
}

Comparison ToComparison(const std::string& op) {
  if (op == "!=") return Comparison::kNe;
  if (op == "<") return Comparison::kLt;
  if (op == "<=") return Comparison::kLe;
  if (op == ">") return Comparison::kGt;
  if (op == ">=") return Comparison::kGe;
  return Comparison::kEq;
}

template <typename E, size_t N>
absl::Status SetEnum(const EnumName<E> (&table)[N], const std::string& field,
                     const std::string& value, std::optional<E>* out) {
  if (out->has_value()) return FilterError(absl::StrCat(field, " appears twice"));
  auto parsed = ParseEnum(table, value);
  if (!parsed) return FilterError(absl::StrCat("unknown ", field, " \"", value, "\""));
  *out = *parsed;
  return absl::OkStatus();
}

absl::Status SetString(const std::string& field, const std::string& value,
                       std::optional<std::string>* out) {
  if (out->has_value()) return FilterError(absl::StrCat(field, " appears twice"));
  if (value.empty() || CharacterCount(value) > 200) {
    return FilterError(absl::StrCat(field, " needs a value of 1 to 200 characters"));
  }
  *out = value;
  return absl::OkStatus();
}

absl::Status ApplyTerm(const std::string& field, const std::string& op, const std::string& value,
                       IssueQuery& q) {
  auto require_eq = [&]() -> absl::Status {
    if (op != "=") return FilterError(absl::StrCat(field, " supports only '='"));
    return absl::OkStatus();
  };
  if (field == "state") {
    if (op != "=" && op != "!=") return FilterError("state supports '=' and '!='");
    q.state_negated = op == "!=";
    return SetEnum(kStateNames, field, value, &q.state);
  }
  if (field == "deadline") {
    if (op == ":") return FilterError("deadline does not support ':'");
    if (!ParseDate(value)) return FilterError("deadline needs a date \"YYYY-MM-DD\"");
    if (q.deadline.size() >= 2) return FilterError("deadline appears more than twice");
    q.deadline.push_back({ToComparison(op), value});
    return absl::OkStatus();
  }
  if (field == "title") {
    if (op != ":") return FilterError("title supports only ':' (contains)");
    return SetString(field, value, &q.title_contains);
  }
  RETURN_IF_ERROR(require_eq());
  if (field == "region") {
    if (!IsRegionCode(value)) {
      return FilterError("region needs a six-digit GB/T 2260 code");
    }
    return SetString(field, RegionPrefix(value), &q.region_prefix);
  }
  if (field == "category") return SetEnum(kCategoryNames, field, value, &q.category);
  if (field == "source") return SetEnum(kSourceNames, field, value, &q.source);
  if (field == "class") return SetEnum(kClassNames, field, value, &q.rectification_class);
  if (field == "priority") return SetEnum(kPriorityNames, field, value, &q.priority);
  if (field == "lead_org") return SetString(field, value, &q.lead_org);
  if (field == "rectifying_org") return SetString(field, value, &q.rectifying_org);
  if (field == "overdue") {
    if (q.overdue) return FilterError("overdue appears twice");
    if (value != "true" && value != "false") return FilterError("overdue is true or false");
    q.overdue = value == "true";
    return absl::OkStatus();
  }
  if (field == "inspection") {
    int64_t id = 0;
    if (q.inspection_id) return FilterError("inspection appears twice");
    if (!absl::SimpleAtoi(value, &id) || id <= 0) {
      return FilterError("inspection needs a positive id");
    }
    q.inspection_id = id;
    return absl::OkStatus();
  }
  return FilterError(absl::StrCat("unknown field \"", field, "\""));
}

}  // namespace

absl::StatusOr<IssueQuery> ParseIssueFilter(absl::string_view text) {
  IssueQuery q;
  if (text.size() > kMaxFilterLength) return FilterError("longer than 2000 characters");
  ASSIGN_OR_RETURN(auto terms, ParseConjunction(text));
  for (const auto& t : terms) RETURN_IF_ERROR(ApplyTerm(t.field, t.op, t.value, q));
  return q;
}

absl::StatusOr<IssueOrder> ParseIssueOrder(absl::string_view text) {
  IssueOrder order;
  std::vector<std::string> words =
      absl::StrSplit(absl::StripAsciiWhitespace(text), ' ', absl::SkipEmpty());
  if (words.empty()) return order;
  if (words.size() > 2 || (words.size() == 2 && words[1] != "desc" && words[1] != "asc")) {
    return InvalidField("order_by", "use \"<field>\" or \"<field> desc\"");
  }
  if (words[0] == "create_time") {
    order.key = IssueOrder::Key::kCreateTime;
  } else if (words[0] == "deadline") {
    order.key = IssueOrder::Key::kDeadline;
  } else if (words[0] == "update_time") {
    order.key = IssueOrder::Key::kUpdateTime;
  } else {
    return InvalidField("order_by", "one of deadline, create_time, update_time");
  }
  order.descending = words.size() == 2 && words[1] == "desc";
  return order;
}

}  // namespace rectify::issues
