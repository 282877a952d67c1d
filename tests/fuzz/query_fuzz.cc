// libFuzzer target for the small parsers of what a client puts in a request line or header: the
// query string (ParseQuery), If-Match (EtagFromIfMatch), Grpc-Timeout (ParseTimeout), the merged
// feed's Last-Event-ID (ParseFeedCursors) and a raw upload's Content-Disposition (FileNameOf).
// Each input goes to all of them whole (see corpus/query/): they are cheap, and a seed written
// for one is an odd input for the others. Besides not crashing, each must keep what it promises:
//
//   - a query splits at its raw '&' and '=' only, decodes exactly when every '%' is an escape,
//     and reads back the same from its pairs encoded again;
//   - an etag comes back from EntityTag's quoting, weak or not;
//   - a timeout is a non-negative count of its unit, and digits and a unit always parse;
//   - a feed id names known services once each with cursors >= 0, and reads back from them;
//   - a file name is UTF-8 without CR, LF or NUL, and ContentDisposition's header gives it back.
//
// Built from the repository's root like multipart_fuzz.cc, against gateway_lib (the parsers'
// files bring the transcoder, the event stream and the gateway); tests/fuzz/CMakeLists.txt
// builds it as query_fuzz (libFuzzer) and query_replay (its corpus, run by ctest).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/text.h"
#include "gateway/event_stream.h"
#include "gateway/file_transfer.h"
#include "gateway/gateway.h"
#include "gateway/transcode/request_transcoder.h"
#include "tests/fuzz/percent_encode.h"

namespace rectify::gateway {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

size_t Count(absl::string_view text, absl::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != absl::string_view::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

void CheckQuery(absl::string_view query) {
  Pairs pairs;
  const bool ok = ParseQuery(query, pairs);
  bool escapes_ok = true;
  for (size_t i = 0; i < query.size(); ++i) {
    if (query[i] != '%') continue;
    escapes_ok = escapes_ok && i + 2 < query.size() &&
                 absl::ascii_isxdigit(static_cast<unsigned char>(query[i + 1])) &&
                 absl::ascii_isxdigit(static_cast<unsigned char>(query[i + 2]));
  }
  if (ok != escapes_ok) std::abort();
  if (!ok) return;
  // One pair for each non-empty piece between raw '&'s; a decoded '&' or '=' came from its
  // escape, never from the separators (percent-escapes are case-insensitive: %3d is '=' too).
  std::vector<absl::string_view> pieces = absl::StrSplit(query, '&', absl::SkipEmpty());
  if (pairs.size() != pieces.size()) std::abort();
  const std::string lower = absl::AsciiStrToLower(query);
  size_t ampersands = 0, equals_in_names = 0, names_with_equals = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [name, value] = pairs[i];
    ampersands += Count(name, "&") + Count(value, "&");
    equals_in_names += Count(name, "=");
    // The first raw '=' ends the name.
    absl::string_view raw_name = pieces[i].substr(0, pieces[i].find('='));
    names_with_equals += Count(absl::AsciiStrToLower(raw_name), "%3d");
  }
  if (ampersands != Count(lower, "%26") || equals_in_names != names_with_equals) std::abort();
  // Encoded again and read back: the same pairs.
  std::vector<std::string> encoded;
  for (const auto& [name, value] : pairs) {
    encoded.push_back(absl::StrCat(PercentEncode(name), "=", PercentEncode(value)));
  }
  Pairs again;
  if (!ParseQuery(absl::StrJoin(encoded, "&"), again)) std::abort();
  // A pair "" = "" encodes to "=", which is a piece and reads back as itself.
  if (again != pairs) std::abort();
}

void CheckEtag(absl::string_view header) {
  const std::string etag = EtagFromIfMatch(header);
  if (etag.size() > header.size() || header.find(etag) == absl::string_view::npos) std::abort();
  if (EtagFromIfMatch(EntityTag(header)) != header) std::abort();
  if (EtagFromIfMatch(absl::StrCat("W/", EntityTag(header))) != header) std::abort();
}

void CheckTimeout(absl::string_view text) {
  absl::Duration d = absl::ZeroDuration();
  if (ParseTimeout(text, d) && (d < absl::ZeroDuration() || d > absl::Hours(99999999))) {
    std::abort();
  }
  // Up to eight digits and a unit, as gRPC writes them: always read, exactly.
  size_t digits = 0;
  while (digits < 8 && digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  if (digits == 0 || digits == text.size()) return;
  const std::string canonical(text.substr(0, digits + 1));
  int64_t n = 0;
  for (char c : canonical.substr(0, digits)) n = n * 10 + (c - '0');
  const std::map<char, absl::Duration> units = {
      {'H', absl::Hours(1)},        {'M', absl::Minutes(1)},      {'S', absl::Seconds(1)},
      {'m', absl::Milliseconds(1)}, {'u', absl::Microseconds(1)}, {'n', absl::Nanoseconds(1)}};
  auto unit = units.find(canonical.back());
  absl::Duration parsed;
  const bool ok = ParseTimeout(canonical, parsed);
  if (ok != (unit != units.end())) std::abort();
  if (ok && parsed != n * unit->second) std::abort();
}

void CheckFeedCursors(absl::string_view text) {
  // The merged feed's services by name; the route and channel are not looked at.
  static const std::vector<FeedSource> kSources = {
      {"issues", nullptr, nullptr}, {"supervision", nullptr, nullptr}, {"cases", nullptr, nullptr}};
  absl::StatusOr<std::map<std::string, int64_t>> cursors = ParseFeedCursors(text, kSources);
  if (!cursors.ok()) return;
  if (text.empty() != cursors->empty()) std::abort();
  if (!text.empty() && cursors->size() != Count(text, ",") + 1) std::abort();
  std::vector<std::string> items;
  for (const auto& [name, cursor] : *cursors) {
    if (cursor < 0 || (name != "issues" && name != "supervision" && name != "cases")) {
      std::abort();
    }
    items.push_back(absl::StrCat(name, "=", cursor));
  }
  absl::StatusOr<std::map<std::string, int64_t>> again =
      ParseFeedCursors(absl::StrJoin(items, ","), kSources);
  if (!again.ok() || *again != *cursors) std::abort();
}

// What a file name must not hold: it ends up in log lines and paths.
bool HasCrLfOrNul(absl::string_view text) {
  return text.find_first_of(absl::string_view("\r\n\0", 3)) != absl::string_view::npos;
}

void CheckFileName(absl::string_view header) {
  absl::StatusOr<std::string> name = FileNameOf(header);
  if (name.ok() && (!IsValidUtf8(*name) || HasCrLfOrNul(*name))) std::abort();
  // What the gateway writes for a download, an upload's client may send back.
  if (IsValidUtf8(header) && !HasCrLfOrNul(header)) {
    absl::StatusOr<std::string> back = FileNameOf(ContentDisposition(header));
    if (!back.ok() || *back != header) std::abort();
  }
}

}  // namespace
}  // namespace rectify::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  rectify::gateway::CheckQuery(input);
  rectify::gateway::CheckEtag(input);
  rectify::gateway::CheckTimeout(input);
  rectify::gateway::CheckFeedCursors(input);
  rectify::gateway::CheckFileName(input);
  return 0;
}
