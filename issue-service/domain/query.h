// ListIssues' filter and order, parsed into a typed query. The caller's text never reaches SQL:
// the store builds its statement from this structure alone.
//
// Filter grammar (a subset of AIP-160): a conjunction of comparisons
//   filter := term { "AND" term }      term := field op value
//   op := "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"
//   value := "quoted string" | bare-word
// e.g.  state = RECTIFYING AND region = "230100" AND deadline < "2023-01-01" AND title : "河"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

enum class Comparison { kEq, kNe, kLt, kLe, kGt, kGe };

struct DateBound {
  Comparison op = Comparison::kEq;
  std::string date;  // YYYY-MM-DD
};

struct IssueQuery {
  std::optional<IssueState> state;
  bool state_negated = false;
  std::optional<std::string> region_prefix;
  std::optional<Category> category;
  std::optional<IssueSource> source;
  std::optional<RectificationClass> rectification_class;
  std::optional<std::string> lead_org;
  std::optional<std::string> rectifying_org;
  std::optional<Priority> priority;
  std::optional<bool> overdue;
  std::vector<DateBound> deadline;
  std::optional<int64_t> inspection_id;
  std::optional<std::string> title_contains;
};

struct IssueOrder {
  enum class Key { kCreateTime, kDeadline, kUpdateTime };
  Key key = Key::kCreateTime;
  bool descending = false;
};

// INVALID_ARGUMENT with field "filter" and a description pointing at the problem.
absl::StatusOr<IssueQuery> ParseIssueFilter(absl::string_view text);
// INVALID_ARGUMENT with field "order_by".
absl::StatusOr<IssueOrder> ParseIssueOrder(absl::string_view text);

}  // namespace rectify::issues
