// libFuzzer target for the filter language of every List RPC (common/filter_expr.h) and each
// service's reading of it: ListIssues' filter and order_by (issue-service/domain/query.h),
// supervision's five filters (supervision-service/domain/filters.h) and ListCases' filter
// (accountability-service/domain/case_docket.h). Each input goes whole to all of them, as the
// filter and as the order_by (see corpus/filter/). Besides not crashing, they must keep what they
// promise:
//
//   - a refusal is INVALID_ARGUMENT with one violation on "filter" ("order_by"), never another
//     code: a caller's typo must not read as a fault of the server;
//   - the grammar's terms have a word for a field and one of its operators, none come from text
//     that is only white space, and a spelling of them with every value quoted and escaped reads
//     back as the same terms;
//   - a service accepts a filter only when the grammar does, reads the same query from that
//     spelling (it looks at the terms, not at how they were written), and accepts each term of an
//     accepted filter alone (no term is valid only next to another);
//   - what it read is what its store may rely on: region prefixes of six-digit codes, positive
//     ids, real dates, names it knows, text of the lengths it allows;
//   - an order_by read back from its canonical spelling is the same order.
//
// Built from the repository's root like multipart_fuzz.cc, against the three services' domains;
// tests/fuzz/CMakeLists.txt builds it as filter_fuzz (libFuzzer) and filter_replay (its corpus,
// run by ctest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "accountability-service/domain/case_docket.h"
#include "common/clock.h"
#include "common/filter_expr.h"
#include "common/region.h"
#include "common/status.h"
#include "common/text.h"
#include "issue-service/domain/query.h"
#include "supervision-service/domain/filters.h"

namespace rectify {
namespace {

constexpr size_t kMaxFilterLength = 2000;

void CheckRefusal(const absl::Status& status, absl::string_view field) {
  if (status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  const std::vector<FieldViolation> violations = FieldViolations(status);
  if (violations.size() != 1 || violations[0].field != field) std::abort();
}

bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return absl::ascii_isalnum(u) || c == '_' || c == '-' || c == '.' || u >= 0x80;
}

// The terms as one filter, each value quoted with '"' and '\' escaped.
std::string Spell(const std::vector<FilterTerm>& terms) {
  std::string out;
  for (const FilterTerm& t : terms) {
    if (!out.empty()) out += " AND ";
    absl::StrAppend(&out, t.field, " ", t.op, " \"");
    for (char c : t.value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::string Describe(const std::vector<FilterTerm>& terms) {
  std::string out;
  for (const FilterTerm& t : terms) absl::StrAppend(&out, t.field, "|", t.op, "|", t.value, "\n");
  return out;
}

void CheckGrammar(absl::string_view text, const absl::StatusOr<std::vector<FilterTerm>>& terms) {
  if (!terms.ok()) {
    CheckRefusal(terms.status(), "filter");
    return;
  }
  if (text.size() > kMaxFilterLength) std::abort();
  bool blank = true;
  for (char c : text) blank = blank && absl::ascii_isspace(static_cast<unsigned char>(c));
  if (blank != terms->empty()) std::abort();
  for (const FilterTerm& t : *terms) {
    if (t.field.empty()) std::abort();
    for (char c : t.field) {
      if (!IsWordByte(c)) std::abort();
    }
    if (t.op != "=" && t.op != "!=" && t.op != "<" && t.op != "<=" && t.op != ">" && t.op != ">=" &&
        t.op != ":") {
      std::abort();
    }
  }
  const std::string spelled = Spell(*terms);
  if (spelled.size() > kMaxFilterLength) return;
  absl::StatusOr<std::vector<FilterTerm>> again = ParseConjunction(spelled);
  if (!again.ok() || Describe(*again) != Describe(*terms)) std::abort();
}

// A query's fields, one per line, to compare two readings.
class Fields {
 public:
  template <typename T>
  Fields& operator()(const char* name, const std::optional<T>& v) {
    absl::StrAppend(&text_, name, "=");
    if (!v.has_value()) {
      text_ += "-";
    } else if constexpr (std::is_enum_v<T>) {
      absl::StrAppend(&text_, static_cast<int>(*v));
    } else if constexpr (std::is_same_v<T, bool>) {
      text_ += *v ? "true" : "false";
    } else {
      absl::StrAppend(&text_, *v);
    }
    text_ += "\n";
    return *this;
  }
  Fields& operator()(const char* name, const std::string& v) {
    absl::StrAppend(&text_, name, "=", v, "\n");
    return *this;
  }
  std::string text() const { return text_; }

 private:
  std::string text_;
};

bool IsPrefix(const std::optional<std::string>& prefix) {
  if (!prefix.has_value()) return true;
  std::string code = *prefix;
  code.resize(6, '0');
  return IsRegionCode(code) && RegionPrefix(code) == *prefix;
}

bool IsPositive(const std::optional<int64_t>& id) { return !id.has_value() || *id > 0; }

template <typename E>
bool IsNamed(const std::optional<E>& value) {
  return !value.has_value() || static_cast<int>(*value) != 0;
}

// One service's reading: accepted only when the grammar accepts, the same from the terms'
// spelling, each term accepted alone, and well-formed.
template <typename Query>
void CheckService(absl::string_view text, const absl::StatusOr<std::vector<FilterTerm>>& terms,
                  absl::StatusOr<Query> (*parse)(absl::string_view),
                  std::string (*describe)(const Query&), bool (*well_formed)(const Query&)) {
  absl::StatusOr<Query> q = parse(text);
  if (!q.ok()) {
    CheckRefusal(q.status(), "filter");
    return;
  }
  if (!terms.ok() || !well_formed(*q)) std::abort();
  const std::string spelled = Spell(*terms);
  if (spelled.size() > kMaxFilterLength) return;
  absl::StatusOr<Query> again = parse(spelled);
  if (!again.ok() || describe(*again) != describe(*q)) std::abort();
  for (const FilterTerm& t : *terms) {
    if (!parse(Spell({t})).ok()) std::abort();
  }
}

namespace issue_checks {

using issues::IssueOrder;
using issues::IssueQuery;

std::string Describe(const IssueQuery& q) {
  Fields f;
  f("state", q.state)("state_negated", std::optional<bool>(q.state_negated))(
      "region", q.region_prefix)("category", q.category)("source", q.source)(
      "class", q.rectification_class)("lead_org", q.lead_org)("rectifying_org", q.rectifying_org)(
      "priority", q.priority)("overdue", q.overdue)("inspection", q.inspection_id)(
      "title", q.title_contains);
  for (const issues::DateBound& d : q.deadline) {
    f("deadline", absl::StrCat(static_cast<int>(d.op), " ", d.date));
  }
  return f.text();
}

bool TextOfLength(const std::optional<std::string>& v) {
  return !v.has_value() || (!v->empty() && CharacterCount(*v) <= 200);
}

bool WellFormed(const IssueQuery& q) {
  if (q.deadline.size() > 2) return false;
  for (const issues::DateBound& d : q.deadline) {
    if (!ParseDate(d.date)) return false;
  }
  // Every enum of the query has a value 0 that means "unspecified", never one a filter names.
  return IsNamed(q.state) && IsNamed(q.category) && IsNamed(q.source) &&
         IsNamed(q.rectification_class) && IsNamed(q.priority) && IsPrefix(q.region_prefix) &&
         IsPositive(q.inspection_id) && TextOfLength(q.lead_org) &&
         TextOfLength(q.rectifying_org) && TextOfLength(q.title_contains) &&
         (q.state.has_value() || !q.state_negated);
}

void CheckOrder(absl::string_view text) {
  absl::StatusOr<IssueOrder> order = issues::ParseIssueOrder(text);
  if (!order.ok()) {
    CheckRefusal(order.status(), "order_by");
    return;
  }
  const char* key = order->key == IssueOrder::Key::kDeadline     ? "deadline"
                    : order->key == IssueOrder::Key::kUpdateTime ? "update_time"
                                                                 : "create_time";
  absl::StatusOr<IssueOrder> again =
      issues::ParseIssueOrder(absl::StrCat(key, order->descending ? " desc" : ""));
  if (!again.ok() || again->key != order->key || again->descending != order->descending) {
    std::abort();
  }
}

}  // namespace issue_checks

namespace supervision_checks {

using rectify::supervision::DirectiveQuery;
using rectify::supervision::EscalationQuery;
using rectify::supervision::LinkageQuery;
using rectify::supervision::ObligationQuery;
using rectify::supervision::RecordQuery;

bool IsOrg(const std::optional<std::string>& org) {
  return !org.has_value() || (!org->empty() && org->size() <= 64);
}

std::string Describe(const RecordQuery& q) {
  return Fields()("light", q.light)("level", q.level)("region", q.region_prefix)("org", q.org)(
             "active", q.active)("overdue", q.overdue)("state", q.state)("today", q.today)
      .text();
}
bool WellFormed(const RecordQuery& q) {
  return IsNamed(q.light) && IsNamed(q.level) && IsNamed(q.state) && IsPrefix(q.region_prefix) &&
         IsOrg(q.org) && q.today.empty();
}

std::string Describe(const EscalationQuery& q) {
  return Fields()("level", q.level)("state", q.state)("region", q.region_prefix)("org", q.org)(
             "issue", q.issue_id)("cause", q.cause)
      .text();
}
bool WellFormed(const EscalationQuery& q) {
  return IsNamed(q.level) && IsNamed(q.state) && IsNamed(q.cause) && IsPrefix(q.region_prefix) &&
         IsOrg(q.org) && IsPositive(q.issue_id);
}

std::string Describe(const ObligationQuery& q) {
  return Fields()("issue", q.issue_id)("state", q.state)("org", q.org)("kind", q.kind)(
             "region", q.region_prefix)
      .text();
}
bool WellFormed(const ObligationQuery& q) {
  return IsNamed(q.state) && IsNamed(q.kind) && IsPrefix(q.region_prefix) && IsOrg(q.org) &&
         IsPositive(q.issue_id);
}

std::string Describe(const LinkageQuery& q) {
  return Fields()("issue", q.issue_id)("state", q.state)("org", q.org).text();
}
bool WellFormed(const LinkageQuery& q) {
  return IsNamed(q.state) && IsOrg(q.org) && IsPositive(q.issue_id);
}

std::string Describe(const DirectiveQuery& q) {
  return Fields()("state", q.state)("org", q.org)("meeting", q.meeting_id)("overdue", q.overdue)(
             "today", q.today)
      .text();
}
bool WellFormed(const DirectiveQuery& q) {
  return IsNamed(q.state) && IsOrg(q.org) && IsPositive(q.meeting_id) && q.today.empty();
}

}  // namespace supervision_checks

namespace case_checks {

using accountability::CaseQuery;

std::string Describe(const CaseQuery& q) {
  Fields f;
  f("state", q.state)("region", q.region_prefix)("failure_type", q.failure_type)(
      "subject_org", q.subject_org)("source", q.source)("issue", q.issue_id);
  for (const accountability::DateBound& d : q.opened) f("opened", absl::StrCat(d.op, " ", d.date));
  return f.text();
}

bool WellFormed(const CaseQuery& q) {
  for (const accountability::DateBound& d : q.opened) {
    // The store writes the operator into its statement: only the comparisons it knows.
    if (d.op != "=" && d.op != "<" && d.op != "<=" && d.op != ">" && d.op != ">=") return false;
    if (!ParseDate(d.date)) return false;
  }
  return IsNamed(q.state) && IsNamed(q.failure_type) && IsNamed(q.source) &&
         IsPrefix(q.region_prefix) && IsPositive(q.issue_id);
}

}  // namespace case_checks

}  // namespace
}  // namespace rectify

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace r = rectify;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<std::vector<r::FilterTerm>> terms = r::ParseConjunction(text);
  r::CheckGrammar(text, terms);
  r::CheckService<r::issues::IssueQuery>(text, terms, &r::issues::ParseIssueFilter,
                                         &r::issue_checks::Describe, &r::issue_checks::WellFormed);
  r::issue_checks::CheckOrder(text);
  r::CheckService<r::supervision::RecordQuery>(text, terms, &r::supervision::ParseRecordFilter,
                                               &r::supervision_checks::Describe,
                                               &r::supervision_checks::WellFormed);
  r::CheckService<r::supervision::EscalationQuery>(
      text, terms, &r::supervision::ParseEscalationFilter, &r::supervision_checks::Describe,
      &r::supervision_checks::WellFormed);
  r::CheckService<r::supervision::ObligationQuery>(
      text, terms, &r::supervision::ParseObligationFilter, &r::supervision_checks::Describe,
      &r::supervision_checks::WellFormed);
  r::CheckService<r::supervision::LinkageQuery>(text, terms, &r::supervision::ParseLinkageFilter,
                                                &r::supervision_checks::Describe,
                                                &r::supervision_checks::WellFormed);
  r::CheckService<r::supervision::DirectiveQuery>(
      text, terms, &r::supervision::ParseDirectiveFilter, &r::supervision_checks::Describe,
      &r::supervision_checks::WellFormed);
  r::CheckService<r::accountability::CaseQuery>(text, terms, &r::accountability::ParseCaseFilter,
                                                &r::case_checks::Describe,
                                                &r::case_checks::WellFormed);
  return 0;
}
