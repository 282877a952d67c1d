#include "gateway/routing/path_template.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace rectify::gateway {
namespace {

// A recursive-descent parser over the template text.
class TemplateParser {
 public:
  explicit TemplateParser(absl::string_view text) : text_(text) {}

  absl::Status Fail(absl::string_view why) const {
    return absl::InvalidArgumentError(
        absl::StrCat("path template \"", text_, "\" at ", pos_, ": ", why));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // LITERAL: any characters up to a delimiter.
  std::string Literal(absl::string_view stop) {
    size_t start = pos_;
    while (!AtEnd() && stop.find(text_[pos_]) == absl::string_view::npos) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  absl::string_view text_;
  size_t pos_ = 0;
};

bool IsIdent(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(s[0])) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(absl::string_view in, std::string& out, bool keep_slash) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = Hex(in[i + 1]), lo = Hex(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    char c = static_cast<char>(hi * 16 + lo);
    if (keep_slash && c == '/') {
      out.append(in.data() + i, 3);
    } else {
      out.push_back(c);
    }
    i += 2;
  }
  return true;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  TemplateParser p(text);
  if (!p.Consume('/')) return p.Fail("must start with '/'");
  bool in_variable = false;
  Variable current;
  while (true) {
    if (!in_variable && p.Consume('{')) {
      std::string path = p.Literal("=}");
      std::vector<std::string> fields = absl::StrSplit(path, '.');
      for (const auto& f : fields) {
        if (!IsIdent(f)) return p.Fail(absl::StrCat("\"", path, "\" is not a field path"));
      }
      current = Variable{fields, t.segments_.size(), 0};
      if (p.Consume('=')) {
        in_variable = true;
        continue;
      }
      if (!p.Consume('}')) return p.Fail("a variable ends with '}'");
      t.segments_.push_back({Segment::kSingle, ""});
      current.last = t.segments_.size();
      t.variables_.push_back(current);
    } else if (p.Consume('*')) {
      bool multi = p.Consume('*');
      t.segments_.push_back({multi ? Segment::kMulti : Segment::kSingle, ""});
    } else {
      std::string literal = p.Literal("/:{}*");
      if (literal.empty()) return p.Fail("an empty segment");
      std::string decoded;
      if (!PercentDecode(literal, decoded)) return p.Fail("a malformed %-escape");
      t.segments_.push_back({Segment::kLiteral, decoded});
    }
    if (in_variable && p.Consume('}')) {
      in_variable = false;
      current.last = t.segments_.size();
      t.variables_.push_back(current);
    }
    if (p.Consume('/')) continue;
    break;
  }
  if (in_variable) return p.Fail("a variable ends with '}'");
  if (p.Consume(':')) {
    // A verb with a ':' in it could never match: a path's verb is what follows its last ':'.
    t.verb_ = p.Literal("/:{}*");
    if (t.verb_.empty()) return p.Fail("an empty verb");
  }
  if (!p.AtEnd()) return p.Fail(absl::StrCat("unexpected '", std::string(1, p.Peek()), "'"));
  for (size_t i = 0; i + 1 < t.segments_.size(); ++i) {
    if (t.segments_[i].kind == Segment::kMulti) return p.Fail("'**' must be the last segment");
  }
  // A field bound twice would take whichever binding came last, silently.
  std::vector<std::string> variables = t.Variables();
  std::sort(variables.begin(), variables.end());
  auto repeated = std::adjacent_find(variables.begin(), variables.end());
  if (repeated != variables.end()) return p.Fail(absl::StrCat("{", *repeated, "} appears twice"));
  return t;
}

bool PathTemplate::MatchFrom(const std::vector<absl::string_view>& parts, size_t segment,
                             size_t part, std::vector<size_t>& ends) const {
  // ends[k] = the index in `parts` just after segment k.
  if (segment == segments_.size()) return part == parts.size();
  const Segment& s = segments_[segment];
  if (s.kind == Segment::kMulti) {
    // The last segment: takes the rest (at least one part, as grpc-gateway and Envoy do).
    if (part >= parts.size()) return false;
    ends[segment] = parts.size();
    return true;
  }
  if (part >= parts.size()) return false;
  if (s.kind == Segment::kLiteral) {
    // Most paths have no escapes: compared as they are, without decoding.
    if (parts[part].find('%') == absl::string_view::npos) {
      if (parts[part] != s.literal) return false;
    } else {
      std::string decoded;
      if (!PercentDecode(parts[part], decoded) || decoded != s.literal) return false;
    }
  } else if (parts[part].empty()) {
    return false;
  }
  ends[segment] = part + 1;
  return MatchFrom(parts, segment + 1, part + 1, ends);
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!verb_.empty()) {
    size_t slash = path.rfind('/');
    size_t colon = path.rfind(':');
    if (colon == absl::string_view::npos || (slash != absl::string_view::npos && colon < slash) ||
        path.substr(colon + 1) != verb_) {
      return std::nullopt;
    }
    path = path.substr(0, colon);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  // Without '**' a template matches only paths of as many segments: most are told apart here.
  if (segments_.empty() || segments_.back().kind != Segment::kMulti) {
    if (parts.size() != segments_.size()) return std::nullopt;
  }
  std::vector<size_t> ends(segments_.size(), 0);
  if (!MatchFrom(parts, 0, 0, ends)) return std::nullopt;
  std::vector<PathBinding> out;
  for (const auto& v : variables_) {
    size_t from = v.first == 0 ? 0 : ends[v.first - 1];
    size_t to = ends[v.last - 1];
    bool multi = v.last - v.first > 1 || segments_[v.first].kind == Segment::kMulti;
    std::vector<std::string> pieces;
    for (size_t k = from; k < to; ++k) {
      std::string decoded;
      if (!PercentDecode(parts[k], decoded, multi)) return std::nullopt;
      pieces.push_back(std::move(decoded));
    }
    out.push_back({v.field_path, absl::StrJoin(pieces, "/")});
  }
  return out;
}

std::vector<std::string> PathTemplate::Variables() const {
  std::vector<std::string> out;
  for (const auto& v : variables_) out.push_back(absl::StrJoin(v.field_path, "."));
  return out;
}

std::pair<int, int> PathTemplate::Specificity() const {
  int literals = 0, wildcards = 0;
  for (const auto& s : segments_) {
    if (s.kind == Segment::kLiteral) {
      ++literals;
    } else {
      wildcards += s.kind == Segment::kMulti ? 100 : 1;
    }
  }
  return {literals * 2 + (verb_.empty() ? 0 : 1), -wildcards};
}

}  // namespace rectify::gateway
