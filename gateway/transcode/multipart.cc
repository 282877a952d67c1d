#include "gateway/transcode/multipart.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "common/text.h"

namespace rectify::gateway {
namespace {

// RFC 2046's limit; a longer boundary would also make the held-back tail longer.
constexpr size_t kMaxBoundaryLength = 70;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// A byte of a parameter's name or of its unquoted value: anything that does not end it.
bool IsTokenByte(char c) {
  return !IsControl(c) && !IsSpace(c) && c != ';' && c != '=' && c != '"';
}

// RFC 2046's bchars.
bool IsBoundaryByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("'()+_,-./:=? ").find(c) != absl::string_view::npos;
}

// RFC 5987's attr-char, what an ext-value may hold besides %-escapes.
bool IsAttrByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$&+-.^_`|~").find(c) != absl::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Shows a name or value from the request in a message, quoted and cut short if long.
std::string Quoted(absl::string_view text) {
  constexpr size_t kShown = 80;
  if (text.size() <= kShown) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kShown), "...\"");
}

absl::Status ValidateBoundary(absl::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("the multipart boundary must be 1 to ", kMaxBoundaryLength, " characters"));
  }
  for (char c : boundary) {
    if (!IsBoundaryByte(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the multipart boundary ", Quoted(boundary),
                       " has a character RFC 2046 does not allow in one"));
    }
  }
  if (boundary.back() == ' ') {
    return absl::InvalidArgumentError("the multipart boundary must not end with a space");
  }
  return absl::OkStatus();
}

// A header value of the form `type; name=value; name="quoted value"`: a media type or a
// disposition type and its parameters, names lowercased and values unquoted.
struct ParameterizedValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> parameters;

  const std::string* Find(absl::string_view name) const {
    for (const auto& [n, v] : parameters) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

// `what` names the header in messages.
absl::StatusOr<ParameterizedValue> ParseParameterized(absl::string_view text,
                                                      absl::string_view what) {
  ParameterizedValue out;
  size_t i = text.find(';');
  out.type = std::string(absl::StripAsciiWhitespace(text.substr(0, i)));
  if (out.type.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " has no type"));
  auto skip_space = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  // Each turn starts at a ';' (or at the end).
  while (i < text.size()) {
    ++i;
    skip_space();
    if (i == text.size() || text[i] == ';') continue;  // an empty parameter, as in "a;;b" or "a;"
    const size_t name_start = i;
    while (i < text.size() && IsTokenByte(text[i])) ++i;
    const std::string name = absl::AsciiStrToLower(text.substr(name_start, i - name_start));
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(what, " has a parameter without a name"));
    }
    skip_space();
    if (i == text.size() || text[i] != '=') {
      return absl::InvalidArgumentError(
          absl::StrCat(what, "'s parameter ", Quoted(name), " has no value"));
    }
    ++i;
    skip_space();
    std::string value;
    if (i < text.size() && text[i] == '"') {
      // A quoted string: a backslash takes the next byte as it is.
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i == text.size()) break;
          c = text[i++];
        }
        if (IsControl(c) && c != '\t') {
          return absl::InvalidArgumentError(
              absl::StrCat(what, "'s parameter ", Quoted(name), " has a control character"));
        }
        value.push_back(c);
      }
      if (!closed) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "'s parameter ", Quoted(name), " has an unterminated quote"));
      }
    } else {
      const size_t value_start = i;
      while (i < text.size() && IsTokenByte(text[i])) ++i;
      value = std::string(text.substr(value_start, i - value_start));
      if (value.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, "'s parameter ", Quoted(name), " has no value"));
      }
    }
    skip_space();
    if (i < text.size() && text[i] != ';') {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " has something other than ';' after parameter ", Quoted(name)));
    }
    // A repeated parameter could be read one way here and another way by the service's
    // clients, so neither is taken.
    if (out.Find(name) != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(what, " repeats parameter ", Quoted(name)));
    }
    out.parameters.emplace_back(name, std::move(value));
  }
  return out;
}

// An RFC 5987 ext-value (`UTF-8''%E8%AF%81.pdf`) decoded to UTF-8.
absl::StatusOr<std::string> DecodeExtValue(absl::string_view ext) {
  const std::vector<absl::string_view> pieces = absl::StrSplit(ext, absl::MaxSplits('\'', 2));
  if (pieces.size() != 3) {
    return absl::InvalidArgumentError("filename* is not of the form charset'language'value");
  }
  const bool latin1 = absl::EqualsIgnoreCase(pieces[0], "iso-8859-1");
  if (!latin1 && !absl::EqualsIgnoreCase(pieces[0], "utf-8")) {
    return absl::InvalidArgumentError(
        absl::StrCat("filename* is in charset ", Quoted(pieces[0]), ", not UTF-8 or ISO-8859-1"));
  }
  const absl::string_view encoded = pieces[2];
  std::string bytes;
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%') {
      const int hi = i + 2 < encoded.size() ? HexValue(encoded[i + 1]) : -1;
      const int lo = hi >= 0 ? HexValue(encoded[i + 2]) : -1;
      if (lo < 0) return absl::InvalidArgumentError("filename* has a malformed %-escape");
      bytes.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (IsAttrByte(c)) {
      bytes.push_back(c);
    } else {
      return absl::InvalidArgumentError("filename* has a character that must be %-escaped");
    }
  }
  if (!latin1) return bytes;
  // Each ISO-8859-1 byte is the code point of the same number.
  std::string utf8;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      utf8.push_back(c);
    } else {
      utf8.push_back(static_cast<char>(0xC0 | (u >> 6)));
      utf8.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    }
  }
  return utf8;
}

// A name or filename goes on into protobuf strings and file names, where a line break or NUL
// could split a log line or a path.
absl::Status ValidateNameText(absl::string_view text, absl::string_view what) {
  if (!IsValidUtf8(text)) return absl::InvalidArgumentError(absl::StrCat(what, " is not UTF-8"));
  if (text.find_first_of(absl::string_view("\r\n\0", 3)) != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(what, " has a CR, LF or NUL character"));
  }
  return absl::OkStatus();
}

// filename* (decoded) or filename, if the disposition has either.
// `what` names the header, `label` the name, in messages.
absl::StatusOr<std::optional<std::string>> FileNameParameter(const ParameterizedValue& disposition,
                                                             absl::string_view what,
                                                             absl::string_view label) {
  std::optional<std::string> name;
  // filename* carries any character exactly, where filename's quoting differs between clients,
  // so it wins when a client sends both.
  if (const std::string* ext = disposition.Find("filename*"); ext != nullptr) {
    absl::StatusOr<std::string> decoded = DecodeExtValue(*ext);
    if (!decoded.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", decoded.status().message()));
    }
    name = *std::move(decoded);
  } else if (const std::string* filename = disposition.Find("filename"); filename != nullptr) {
    name = *filename;
  }
  if (name.has_value()) RETURN_IF_ERROR(ValidateNameText(*name, label));
  return name;
}

absl::Status ReadContentDisposition(absl::string_view value, absl::string_view where,
                                    MultipartPart& part) {
  const std::string what = absl::StrCat("the Content-Disposition of ", where);
  ASSIGN_OR_RETURN(ParameterizedValue disposition, ParseParameterized(value, what));
  if (!absl::EqualsIgnoreCase(disposition.type, "form-data")) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is ", Quoted(disposition.type), ", not form-data"));
  }
  const std::string* name = disposition.Find("name");
  if (name == nullptr || name->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " has no name"));
  }
  RETURN_IF_ERROR(ValidateNameText(*name, absl::StrCat("the name of ", where)));
  part.name = *name;
  ASSIGN_OR_RETURN(part.filename,
                   FileNameParameter(disposition, what, absl::StrCat("the filename of ", where)));
  return absl::OkStatus();
}

// A part's header block, its final blank line taken off: one header a line, CRLF between lines,
// a line that starts with a space or tab continuing the one before (obsolete folding).
absl::StatusOr<MultipartPart> ParsePartHeaders(absl::string_view block, absl::string_view where) {
  std::vector<std::string> headers;
  if (!block.empty()) {
    for (absl::string_view line : absl::StrSplit(block, "\r\n")) {
      if (line.find_first_of("\r\n") != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("the headers of ", where, " have a CR or LF that does not end a line"));
      }
      if (!line.empty() && IsSpace(line.front())) {
        if (headers.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat("the headers of ", where, " begin with a continuation line"));
        }
        absl::StrAppend(&headers.back(), " ", absl::StripAsciiWhitespace(line));
      } else {
        headers.emplace_back(line);
      }
    }
  }
  MultipartPart part;
  bool has_disposition = false, has_type = false;
  for (absl::string_view header : headers) {
    const size_t colon = header.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("the headers of ", where, " have a line without a colon"));
    }
    const absl::string_view name = absl::StripAsciiWhitespace(header.substr(0, colon));
    const absl::string_view value = absl::StripAsciiWhitespace(header.substr(colon + 1));
    if (absl::EqualsIgnoreCase(name, "content-disposition")) {
      if (has_disposition) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " has more than one Content-Disposition"));
      }
      has_disposition = true;
      RETURN_IF_ERROR(ReadContentDisposition(value, where, part));
    } else if (absl::EqualsIgnoreCase(name, "content-type")) {
      if (has_type) {
        return absl::InvalidArgumentError(absl::StrCat(where, " has more than one Content-Type"));
      }
      has_type = true;
      if (!value.empty()) part.content_type = std::string(value);
    }
  }
  if (!has_disposition) {
    return absl::InvalidArgumentError(absl::StrCat(where, " has no Content-Disposition"));
  }
  return part;
}

}  // namespace

absl::StatusOr<std::string> DispositionFileName(absl::string_view content_disposition) {
  ASSIGN_OR_RETURN(ParameterizedValue disposition,
                   ParseParameterized(content_disposition, "Content-Disposition"));
  ASSIGN_OR_RETURN(
      std::optional<std::string> name,
      FileNameParameter(disposition, "Content-Disposition", "the filename in Content-Disposition"));
  return name.value_or("");
}

absl::StatusOr<std::string> MultipartBoundary(absl::string_view content_type) {
  absl::StatusOr<ParameterizedValue> value = ParseParameterized(content_type, "the Content-Type");
  if (!value.ok()) return value.status();
  if (!absl::EqualsIgnoreCase(value->type, "multipart/form-data")) {
    return absl::InvalidArgumentError(
        absl::StrCat("the Content-Type ", Quoted(value->type), " is not multipart/form-data"));
  }
  const std::string* boundary = value->Find("boundary");
  if (boundary == nullptr) {
    return absl::InvalidArgumentError("the multipart/form-data Content-Type has no boundary");
  }
  RETURN_IF_ERROR(ValidateBoundary(*boundary));
  return *boundary;
}

absl::StatusOr<MultipartReader> MultipartReader::Create(absl::string_view boundary,
                                                        const MultipartLimits& limits,
                                                        MultipartHandler* handler) {
  // The search for the delimiter relies on its CR appearing nowhere but at its start, which the
  // boundary's characters guarantee.
  RETURN_IF_ERROR(ValidateBoundary(boundary));
  return MultipartReader(std::string(boundary), limits, handler);
}

MultipartReader::MultipartReader(std::string boundary, const MultipartLimits& limits,
                                 MultipartHandler* handler)
    : limits_(limits), handler_(handler), delimiter_(absl::StrCat("\r\n--", boundary)) {}

absl::Status MultipartReader::Feed(absl::string_view data) {
  if (!status_.ok()) return status_;
  if (finished_) {
    status_ = absl::FailedPreconditionError("multipart data was fed after the body's end");
    return status_;
  }
  while (!data.empty()) {
    absl::Status step = Step(data);
    if (!step.ok()) {
      status_ = std::move(step);
      return status_;
    }
  }
  return absl::OkStatus();
}

absl::Status MultipartReader::Finish() {
  if (!status_.ok() || finished_) return status_;
  finished_ = true;
  switch (state_) {
    case State::kEpilogue:
      break;
    case State::kPreamble:
      status_ = absl::InvalidArgumentError(
          absl::StrCat("the body has no delimiter line ", Quoted(delimiter_.substr(2))));
      break;
    case State::kHeaders:
    case State::kContent:
      status_ = absl::InvalidArgumentError(
          absl::StrCat("the body ended in ", Where(), " before its closing delimiter ",
                       Quoted(absl::StrCat(absl::string_view(delimiter_).substr(2), "--"))));
      break;
    case State::kAfterBoundary:
    case State::kPadding:
    case State::kLineFeed:
    case State::kCloseDash:
      status_ = absl::InvalidArgumentError("the body ended within a delimiter line");
      break;
  }
  return status_;
}

// Consumes a prefix of `data` in the current state.
absl::Status MultipartReader::Step(absl::string_view& data) {
  switch (state_) {
    case State::kPreamble:
    case State::kContent:
      return ScanContent(data);
    case State::kHeaders:
      return ReadHeaders(data);
    case State::kEpilogue:
      data = {};
      return absl::OkStatus();
    case State::kAfterBoundary:
    case State::kPadding:
    case State::kLineFeed:
    case State::kCloseDash:
      break;
  }
  const char c = data.front();
  data.remove_prefix(1);
  return ReadDelimiterTail(c);
}

// Content (or preamble) up to the end of the next delimiter, or all of `data`. The held-back
// bytes are always the first matched_ bytes of delimiter_, so the delimiter itself stands in for
// them and none are copied. As the delimiter's only CR is its first byte, a mismatch means that
// none of the held-back bytes can start a delimiter: they are content, and the search starts
// over at the byte that failed to match.
absl::Status MultipartReader::ScanContent(absl::string_view& data) {
  const absl::string_view delimiter = delimiter_;
  // Held-back bytes that came before `data`; once they turn out to be content they are
  // delivered, and everything since is a run of `data` from its start.
  size_t carried = matched_;
  size_t i = 0;
  while (i < data.size()) {
    if (matched_ == 0) {
      const void* cr = std::memchr(data.data() + i, '\r', data.size() - i);
      if (cr == nullptr) {
        i = data.size();
        break;
      }
      i = static_cast<size_t>(static_cast<const char*>(cr) - data.data()) + 1;
      matched_ = 1;
    } else if (data[i] == delimiter[matched_]) {
      ++i;
      if (++matched_ == delimiter.size()) {
        // The delimiter's bytes within `data` are the last (size - carried) before i.
        RETURN_IF_ERROR(Deliver(data.substr(0, i - (delimiter.size() - carried))));
        data.remove_prefix(i);
        matched_ = 0;
        const bool ends_part = state_ == State::kContent;
        state_ = State::kAfterBoundary;
        return ends_part ? EndPart() : absl::OkStatus();
      }
    } else {
      if (carried > 0) {
        RETURN_IF_ERROR(Deliver(delimiter.substr(0, carried)));
        carried = 0;
      }
      matched_ = 0;
    }
  }
  // Keep back what may begin a delimiter: the bytes matched so far that lie within `data`.
  RETURN_IF_ERROR(Deliver(data.substr(0, data.size() - (matched_ - carried))));
  data = {};
  return absl::OkStatus();
}

// After a delimiter's boundary: "--" closes the body; otherwise optional padding and CRLF begin
// the next part.
absl::Status MultipartReader::ReadDelimiterTail(char c) {
  switch (state_) {
    case State::kAfterBoundary:
      if (c == '-') {
        state_ = State::kCloseDash;
        return absl::OkStatus();
      }
      [[fallthrough]];
    case State::kPadding:
      if (IsSpace(c)) {
        state_ = State::kPadding;
        return absl::OkStatus();
      }
      if (c == '\r') {
        state_ = State::kLineFeed;
        return absl::OkStatus();
      }
      break;
    case State::kLineFeed:
      if (c != '\n') break;
      if (++parts_ > limits_.max_parts) {
        return absl::ResourceExhaustedError(
            absl::StrCat("the body has more than ", limits_.max_parts, " parts"));
      }
      header_block_.clear();
      state_ = State::kHeaders;
      return absl::OkStatus();
    case State::kCloseDash:
      if (c != '-') break;
      state_ = State::kEpilogue;
      return absl::OkStatus();
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("a line of the body starts with the delimiter ",
                   Quoted(absl::string_view(delimiter_).substr(2)),
                   " but goes on with something other than spaces, tabs, \"--\" or its end"));
}

absl::Status MultipartReader::ReadHeaders(absl::string_view& data) {
  while (!data.empty()) {
    const char c = data.front();
    data.remove_prefix(1);
    header_block_.push_back(c);
    if (header_block_.size() > limits_.max_header_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the headers of ", Where(), " exceed ", limits_.max_header_bytes, " bytes"));
    }
    if (c == '\n' && (header_block_ == "\r\n" || absl::EndsWith(header_block_, "\r\n\r\n"))) {
      return BeginPart();
    }
  }
  return absl::OkStatus();
}

absl::Status MultipartReader::BeginPart() {
  // Without the blank line that ends the block (and, when there are headers, the last line's
  // CRLF before it).
  absl::string_view block = header_block_;
  block.remove_suffix(block.size() == 2 ? 2 : 4);
  ASSIGN_OR_RETURN(part_, ParsePartHeaders(block, Where()));
  header_block_.clear();
  field_value_.clear();
  state_ = State::kContent;
  matched_ = 0;
  return part_.is_file() ? handler_->OnFileBegin(part_) : absl::OkStatus();
}

absl::Status MultipartReader::EndPart() {
  if (part_.is_file()) return handler_->OnFileEnd();
  return handler_->OnField(part_, std::exchange(field_value_, std::string()));
}

absl::Status MultipartReader::Deliver(absl::string_view content) {
  if (state_ == State::kPreamble || content.empty()) return absl::OkStatus();
  if (part_.is_file()) return handler_->OnFileData(content);
  if (content.size() > limits_.max_field_bytes - field_value_.size()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the value of field ", Quoted(part_.name), " exceeds ", limits_.max_field_bytes, " bytes"));
  }
  field_value_.append(content.data(), content.size());
  return absl::OkStatus();
}

// The part being read, for messages.
std::string MultipartReader::Where() const {
  if (state_ == State::kHeaders) return absl::StrCat("part ", parts_);
  return absl::StrCat("part ", parts_, " (", Quoted(part_.name), ")");
}

}  // namespace rectify::gateway
