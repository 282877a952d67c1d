#include "common/filter_expr.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify {
namespace {

// Bare words: ASCII letters, digits, _ - . and any non-ASCII character (a Chinese word needs no
// quotes).
bool IsWordByte(char c) {
  auto u = static_cast<unsigned char>(c);
  return absl::ascii_isalnum(u) || c == '_' || c == '-' || c == '.' || u >= 0x80;
}

constexpr size_t kMaxFilterLength = 2000;

absl::Status FilterError(absl::string_view description) {
  return InvalidField("filter", description);
}

struct Token {
  enum class Kind { kWord, kString, kOp, kEnd } kind;
  std::string text;
};

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '"') {
      std::string text;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          text += s[i + 1];
          i += 2;
        } else if (s[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          text += s[i++];
        }
      }
      if (!closed) return FilterError("unterminated string");
      out.push_back({Token::Kind::kString, text});
    } else if (c == '=' || c == ':') {
      out.push_back({Token::Kind::kOp, std::string(1, c)});
      ++i;
    } else if (c == '!' || c == '<' || c == '>') {
      if (i + 1 < s.size() && s[i + 1] == '=') {
        out.push_back({Token::Kind::kOp, std::string(s.substr(i, 2))});
        i += 2;
      } else if (c == '!') {
        return FilterError("'!' must be followed by '='");
      } else {
        out.push_back({Token::Kind::kOp, std::string(1, c)});
        ++i;
      }
    } else if (IsWordByte(c)) {
      size_t start = i;
      while (i < s.size() && IsWordByte(s[i])) ++i;
      out.push_back({Token::Kind::kWord, std::string(s.substr(start, i - start))});
    } else {
      return FilterError(absl::StrCat("unexpected character at position ", i));
    }
  }
  out.push_back({Token::Kind::kEnd, ""});
  return out;
}

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseConjunction(absl::string_view text) {
  if (text.size() > kMaxFilterLength) return FilterError("longer than 2000 characters");
  ASSIGN_OR_RETURN(auto tokens, Tokenize(text));
  std::vector<FilterTerm> terms;
  size_t i = 0;
  if (tokens[i].kind == Token::Kind::kEnd) return terms;
  while (true) {
    if (tokens[i].kind != Token::Kind::kWord) return FilterError("expected a field name");
    std::string field = tokens[i++].text;
    if (tokens[i].kind != Token::Kind::kOp) {
      return FilterError(absl::StrCat("expected an operator after ", field));
    }
    std::string op = tokens[i++].text;
    if (tokens[i].kind != Token::Kind::kWord && tokens[i].kind != Token::Kind::kString) {
      return FilterError(absl::StrCat("expected a value after ", field, " ", op));
    }
    terms.push_back({field, op, tokens[i++].text});
    if (tokens[i].kind == Token::Kind::kEnd) break;
    if (tokens[i].kind != Token::Kind::kWord || tokens[i].text != "AND") {
      return FilterError("terms are joined with AND");
    }
    ++i;
  }
  return terms;
}

}  // namespace rectify
