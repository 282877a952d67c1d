// libFuzzer target for the path templates of google.api.http rules and the request paths matched
// against them (gateway/routing/path_template.h). An input's first line is a template, the rest a
// request path (see corpus/path_template/). Templates come from our own protos, but the paths come
// from anyone, and the same percent-decoding serves both: neither may crash, and what they agree
// on is checked against a reading of the template written here independently of the parser:
//
//   - a matched path binds every variable, in order, to what decoding its own parts gives (a
//     multi-segment value keeps "%2F"), and its literal parts decode to the template's literals;
//   - a template that parses matches the path made from it by filling each wildcard, and binds
//     the values filled in (so no template can parse into a route nothing reaches);
//   - its variables are distinct and it parses again from its text() to the same ones;
//   - PercentDecode fails exactly on a '%' not followed by two hex digits, and undoes encoding.
//
// Built from the repository's root like multipart_fuzz.cc; tests/fuzz/CMakeLists.txt builds it
// as path_template_fuzz (libFuzzer) and path_template_replay (its corpus, run by ctest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gateway/routing/path_template.h"
#include "tests/fuzz/percent_encode.h"

namespace rectify::gateway {
namespace {

// Whether every '%' of `in` starts a two-digit hex escape.
bool EscapesWellFormed(absl::string_view in) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') continue;
    if (i + 2 >= in.size() || !absl::ascii_isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !absl::ascii_isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      return false;
    }
    i += 2;
  }
  return true;
}

std::string Decoded(absl::string_view in, bool keep_slash) {
  std::string out;
  if (!PercentDecode(in, out, keep_slash)) std::abort();
  return out;
}

void CheckPercentDecode(absl::string_view in) {
  std::string full, kept;
  const bool ok = PercentDecode(in, full);
  if (ok != EscapesWellFormed(in) || ok != PercentDecode(in, kept, /*keep_slash=*/true)) {
    std::abort();
  }
  if (ok) {
    // Each escape is three bytes that become one; with keep_slash, "%2F" stays three bytes, so
    // the only '/' are the ones that were there.
    size_t percents = 0, raw_slashes = 0;
    for (char c : in) {
      percents += c == '%';
      raw_slashes += c == '/';
    }
    if (full.size() != in.size() - 2 * percents) std::abort();
    size_t kept_slashes = 0;
    for (char c : kept) kept_slashes += c == '/';
    if (kept_slashes != raw_slashes) std::abort();
  }
  // Encoding then decoding gives back any bytes at all, with or without keep_slash ("%2F" is
  // what Encode writes for '/', kept as is).
  if (Decoded(PercentEncode(in), false) != in) std::abort();
  if (Decoded(PercentEncode(in), true) != absl::StrReplaceAll(in, {{"/", "%2F"}})) std::abort();
}

// A template as this file reads it, apart from the parser: its segments, which variable each
// belongs to, and its verb. Only used on templates the parser accepted.
struct Shape {
  struct Segment {
    enum Kind { kLiteral, kSingle, kMulti } kind = kLiteral;
    std::string text;  // a literal's, as written
    int variable = -1;
  };
  struct Variable {
    std::string dotted;
    size_t first = 0, last = 0;  // segments [first, last)
    bool multi = false;          // a value of several segments: "%2F" stays encoded
  };
  std::vector<Segment> segments;
  std::vector<Variable> variables;
  std::string verb;
};

Shape ShapeOf(absl::string_view text) {
  Shape shape;
  text.remove_prefix(1);  // '/'
  // No ':' comes before the verb: literals end at one, field paths hold none.
  const size_t colon = text.find(':');
  if (colon != absl::string_view::npos) {
    shape.verb = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  int open = -1;
  for (absl::string_view piece : absl::StrSplit(text, '/')) {
    if (absl::ConsumePrefix(&piece, "{")) {
      const size_t end = piece.find_first_of("=}");
      shape.variables.push_back({std::string(piece.substr(0, end)), shape.segments.size(), 0});
      open = static_cast<int>(shape.variables.size()) - 1;
      // A variable without a pattern is one segment.
      piece = piece[end] == '=' ? piece.substr(end + 1) : "*}";
    }
    const bool closes = open >= 0 && absl::ConsumeSuffix(&piece, "}");
    Shape::Segment s{Shape::Segment::kLiteral, std::string(piece), open};
    if (piece == "*") s.kind = Shape::Segment::kSingle;
    if (piece == "**") s.kind = Shape::Segment::kMulti;
    shape.segments.push_back(std::move(s));
    if (closes) {
      Shape::Variable& v = shape.variables[open];
      v.last = shape.segments.size();
      v.multi = v.last - v.first > 1 || shape.segments[v.first].kind == Shape::Segment::kMulti;
      open = -1;
    }
  }
  return shape;
}

// The bindings `path` must get from `shape`, read part by part; nothing when it must not match.
std::optional<std::vector<std::string>> ExpectedValues(const Shape& shape, absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  if (!shape.verb.empty() && !absl::ConsumeSuffix(&path, absl::StrCat(":", shape.verb))) {
    return std::nullopt;
  }
  std::vector<std::string> parts = absl::StrSplit(path, '/');
  const size_t n = shape.segments.size();
  const bool multi_last = shape.segments.back().kind == Shape::Segment::kMulti;
  if (multi_last ? parts.size() < n : parts.size() != n) return std::nullopt;
  std::vector<std::string> values(shape.variables.size());
  std::vector<bool> started(shape.variables.size(), false);
  for (size_t k = 0; k < n; ++k) {
    const Shape::Segment& s = shape.segments[k];
    // The last '**' takes every part left.
    const size_t to = s.kind == Shape::Segment::kMulti ? parts.size() : k + 1;
    for (size_t p = k; p < to; ++p) {
      if (s.kind == Shape::Segment::kLiteral &&
          (!EscapesWellFormed(parts[p]) || Decoded(parts[p], false) != Decoded(s.text, false))) {
        return std::nullopt;
      }
      // A '*' takes a part that is not empty; a '**' any parts, at least one.
      if (s.kind == Shape::Segment::kSingle && parts[p].empty()) return std::nullopt;
      // A wildcard's part is decoded only for the variable it binds.
      if (s.variable < 0) continue;
      if (!EscapesWellFormed(parts[p])) return std::nullopt;
      std::string& value = values[s.variable];
      if (started[s.variable]) value += '/';
      started[s.variable] = true;
      value += Decoded(parts[p], shape.variables[s.variable].multi);
    }
  }
  return values;
}

void CheckMatch(const PathTemplate& t, const Shape& shape, absl::string_view path) {
  std::optional<std::vector<PathBinding>> bindings = t.Match(path);
  std::optional<std::vector<std::string>> expected = ExpectedValues(shape, path);
  if (bindings.has_value() != expected.has_value()) std::abort();
  if (!bindings.has_value()) return;
  if (bindings->size() != shape.variables.size()) std::abort();
  for (size_t i = 0; i < bindings->size(); ++i) {
    const PathBinding& b = (*bindings)[i];
    if (absl::StrJoin(b.field_path, ".") != shape.variables[i].dotted) std::abort();
    if (b.value != (*expected)[i]) std::abort();
  }
}

// The path made from `shape` by filling its wildcards: `value` for a '*', `value`/`value` for a
// '**'. Literals and the verb are as written.
std::string Instance(const Shape& shape, absl::string_view value) {
  std::vector<std::string> parts;
  for (const Shape::Segment& s : shape.segments) {
    switch (s.kind) {
      case Shape::Segment::kLiteral:
        parts.push_back(s.text);
        break;
      case Shape::Segment::kSingle:
        parts.push_back(PercentEncode(value));
        break;
      case Shape::Segment::kMulti:
        parts.push_back(absl::StrCat(PercentEncode(value), "/", PercentEncode(value)));
        break;
    }
  }
  std::string path = absl::StrCat("/", absl::StrJoin(parts, "/"));
  if (!shape.verb.empty()) absl::StrAppend(&path, ":", shape.verb);
  return path;
}

void CheckTemplate(absl::string_view text, absl::string_view path) {
  absl::StatusOr<PathTemplate> t = PathTemplate::Parse(text);
  if (!t.ok()) return;  // a bad template is refused at start-up, which is all it must do
  if (t->text() != text) std::abort();
  const std::vector<std::string> variables = t->Variables();
  if (std::set<std::string>(variables.begin(), variables.end()).size() != variables.size()) {
    std::abort();
  }
  absl::StatusOr<PathTemplate> again = PathTemplate::Parse(t->text());
  if (!again.ok() || again->Variables() != variables || again->verb() != t->verb() ||
      again->Specificity() != t->Specificity()) {
    std::abort();
  }

  const Shape shape = ShapeOf(text);
  std::vector<std::string> dotted;
  for (const Shape::Variable& v : shape.variables) dotted.push_back(v.dotted);
  if (dotted != variables || shape.verb != t->verb()) std::abort();

  CheckMatch(*t, shape, path);
  // Its own instance matches, whatever fills it (the path's bytes, so that the fuzzer varies
  // them), as long as a '*' gets a part that is not empty.
  const std::string value = path.empty() ? "7" : std::string(path.substr(0, 64));
  const std::string instance = Instance(shape, value);
  if (!t->Match(instance).has_value()) std::abort();
  CheckMatch(*t, shape, instance);
}

}  // namespace
}  // namespace rectify::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const absl::string_view text = input.substr(0, eol);
  const absl::string_view path =
      eol == absl::string_view::npos ? absl::string_view() : input.substr(eol + 1);
  rectify::gateway::CheckPercentDecode(input);
  rectify::gateway::CheckTemplate(text, path);
  return 0;
}
