// A google.api.http path template (google/api/http.proto):
//
//   Template = "/" Segments [ Verb ] ;     Segment  = "*" | "**" | LITERAL | Variable ;
//   Segments = Segment { "/" Segment } ;   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;               FieldPath = IDENT { "." IDENT } ;
//
// parsed once at start-up and matched against request paths. A variable without a pattern
// matches one segment; `**` matches the rest. Values are percent-decoded ("%2F" stays encoded in
// a multi-segment value, as the rule says).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::gateway {

// A field path and the value the request path gave it.
struct PathBinding {
  std::vector<std::string> field_path;  // {"issue", "id"}
  std::string value;
};

class PathTemplate {
 public:
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The bindings when `path` (without query, still percent-encoded) matches, else nothing.
  std::optional<std::vector<PathBinding>> Match(absl::string_view path) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // Field paths bound by the template, dotted ("issue.id").
  std::vector<std::string> Variables() const;
  // How specific it is, to order templates that match the same path: literal segments first,
  // then a verb, then fewer wildcards.
  std::pair<int, int> Specificity() const;

 private:
  struct Segment {
    enum Kind { kLiteral, kSingle, kMulti } kind = kLiteral;
    std::string literal;  // decoded
  };
  struct Variable {
    std::vector<std::string> field_path;
    size_t first = 0, last = 0;  // segments [first, last)
  };

  bool MatchFrom(const std::vector<absl::string_view>& parts, size_t segment, size_t part,
                 std::vector<size_t>& ends) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
};

// Percent-decodes `in`; false on a malformed escape. With `keep_slash`, "%2F" stays as it is.
bool PercentDecode(absl::string_view in, std::string& out, bool keep_slash = false);

}  // namespace rectify::gateway
