#include "gateway/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/routing/path_template.h"

namespace rectify::gateway {
namespace {

namespace fs = std::filesystem;

constexpr char kIndex[] = "index.html";
constexpr char kAssets[] = "assets";

// The request path, decoded and checked: no segment is empty, and none starts with '.'.
struct RequestPath {
  std::vector<std::string> segments;
  bool trailing_slash = false;  // "/docs/": only a directory may answer it
};

// A regular file under the root, as stat saw it.
struct File {
  fs::path path;
  uint64_t size = 0;
  std::string etag;
};

// What may name a file in a portal build. A leading '.' covers ".", ".." and dot-files (.env,
// .git); a '/' here came from "%2F", which would let one segment climb as two.
bool SafeSegment(absl::string_view segment) {
  if (segment.empty() || segment[0] == '.') return false;
  for (unsigned char c : segment) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

// InvalidArgument for a malformed %-escape, NotFound for a path that is not safe as it stands.
// Each segment is decoded once, and checked after: "%252e" is the literal name "%2e", never "."
absl::StatusOr<RequestPath> ParsePath(absl::string_view target) {
  target = target.substr(0, target.find('?'));
  if (!absl::ConsumePrefix(&target, "/")) return absl::NotFoundError("not an origin-form path");
  std::vector<std::string> decoded;
  for (absl::string_view raw : absl::StrSplit(target, '/')) {
    std::string segment;
    if (!PercentDecode(raw, segment)) return absl::InvalidArgumentError("a malformed %-escape");
    decoded.push_back(std::move(segment));
  }
  RequestPath path;
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i].empty() && i + 1 == decoded.size()) {
      path.trailing_slash = true;
      break;
    }
    if (!SafeSegment(decoded[i])) return absl::NotFoundError("an unsafe path");
    path.segments.push_back(std::move(decoded[i]));
  }
  return path;
}

bool IsAsset(const RequestPath& path) {
  return !path.segments.empty() && path.segments.front() == kAssets;
}

// A path the portal's router may own (/issues/42): not under /assets/, and its last segment
// has no '.', so it does not look like a file. A missing file gets a 404, not the portal's page.
bool MayBeClientRoute(const RequestPath& path) {
  return !IsAsset(path) &&
         (path.segments.empty() || path.segments.back().find('.') == std::string::npos);
}

// Both paths canonical: compared by components, so "/srv/portal2" is not under "/srv/portal".
bool IsUnder(const fs::path& root, const fs::path& path) {
  return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

// Strong: a deployment that changes a file changes its size or its modification time.
std::string EtagOf(const struct stat& st) {
  const uint64_t mtime_ns =
      static_cast<uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return absl::StrCat("\"", absl::Hex(st.st_size), "-", absl::Hex(mtime_ns), "\"");
}

// NotFound when nothing is there, or only a symlink out of the root: an escape must look like
// a missing file. PermissionDenied when something is there that is not served.
absl::StatusOr<File> Find(const fs::path& root, const RequestPath& request,
                          uint64_t max_file_bytes) {
  fs::path joined = root;
  for (const std::string& segment : request.segments) joined /= segment;
  std::error_code ec;
  fs::path real = fs::canonical(joined, ec);
  struct stat st;
  if (ec || !IsUnder(root, real) || ::stat(real.c_str(), &st) != 0) {
    return absl::NotFoundError("no such file");
  }
  if (S_ISDIR(st.st_mode)) {
    real = fs::canonical(real / kIndex, ec);
    if (ec || !IsUnder(root, real) || ::stat(real.c_str(), &st) != 0) {
      return absl::PermissionDeniedError("a directory without index.html");
    }
  } else if (request.trailing_slash) {
    return absl::NotFoundError("a file named as a directory");
  }
  if (!S_ISREG(st.st_mode)) return absl::PermissionDeniedError("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_file_bytes) {
    return absl::PermissionDeniedError("a file over the size cap");
  }
  return File{std::move(real), static_cast<uint64_t>(st.st_size), EtagOf(st)};
}

// Exactly the size stat saw, or an error: a file replaced mid-read would otherwise be served
// torn, under the old file's ETag.
absl::StatusOr<std::string> ReadWhole(const File& file) {
  std::ifstream in(file.path, std::ios::binary);
  std::string body(file.size, '\0');
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  if (!in || static_cast<uint64_t>(in.gcount()) != file.size || in.peek() != EOF) {
    return absl::InternalError("the file could not be read, or changed while read");
  }
  return body;
}

absl::string_view ContentTypeFor(const fs::path& file) {
  static constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
  };
  const std::string extension = absl::AsciiStrToLower(file.extension().string());
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

// A refusal in plain text, never cached: the same path may be there after the next deployment.
StaticAnswer Refusal(unsigned status, absl::string_view why, bool head) {
  StaticAnswer answer;
  answer.response.status = status;
  answer.response.content_type = "text/plain; charset=utf-8";
  answer.response.headers.emplace_back("Cache-Control", "no-store");
  answer.response.body = absl::StrCat(why, "\n");
  if (head) {
    answer.head_content_length = answer.response.body.size();
    answer.response.body.clear();
  }
  return answer;
}

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): "W/" is ignored, "*" matches.
bool EtagMatches(absl::string_view if_none_match, absl::string_view etag) {
  for (absl::string_view candidate : absl::StrSplit(if_none_match, ',')) {
    candidate = absl::StripAsciiWhitespace(candidate);
    if (candidate == "*") return true;
    absl::ConsumePrefix(&candidate, "W/");
    if (candidate == etag) return true;
  }
  return false;
}

StaticAnswer FileAnswer(const File& file, bool immutable, bool head,
                        absl::string_view if_none_match) {
  StaticAnswer answer;
  HttpResponse& r = answer.response;
  r.headers.emplace_back("ETag", file.etag);
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (EtagMatches(if_none_match, file.etag)) {
    // A 304 carries the validators and caching, but no description of a body (RFC 9110 15.4.5).
    r.status = 304;
    r.content_type.clear();
    return answer;
  }
  r.status = 200;
  r.content_type = std::string(ContentTypeFor(file.path));
  if (head) {
    answer.head_content_length = file.size;
    return answer;
  }
  absl::StatusOr<std::string> body = ReadWhole(file);
  if (!body.ok()) return Refusal(500, "internal error", head);
  r.body = *std::move(body);
  return answer;
}

StaticAnswer Get(const fs::path& root, uint64_t max_file_bytes, absl::string_view target, bool head,
                 absl::string_view if_none_match) {
  absl::StatusOr<RequestPath> path = ParsePath(target);
  if (!path.ok()) {
    return absl::IsInvalidArgument(path.status()) ? Refusal(400, "bad request", head)
                                                  : Refusal(404, "not found", head);
  }
  absl::StatusOr<File> file = Find(root, *path, max_file_bytes);
  if (file.ok()) return FileAnswer(*file, IsAsset(*path), head, if_none_match);
  if (absl::IsNotFound(file.status()) && MayBeClientRoute(*path)) {
    file = Find(root, RequestPath{{kIndex}}, max_file_bytes);
    if (file.ok()) return FileAnswer(*file, /*immutable=*/false, head, if_none_match);
  }
  return Refusal(404, "not found", head);
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& BrowserSecurityHeaders() {
  static const auto* const kHeaders = new std::vector<std::pair<std::string, std::string>>{
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
  return *kHeaders;
}

void AddSecurityHeaders(HttpResponse& response) {
  const auto& headers = BrowserSecurityHeaders();
  response.headers.insert(response.headers.end(), headers.begin(), headers.end());
}

absl::StatusOr<StaticFiles> StaticFiles::Open(std::string root, uint64_t max_file_bytes) {
  std::error_code ec;
  fs::path real = fs::canonical(root, ec);
  if (ec) return absl::NotFoundError(absl::StrCat("static root ", root, ": ", ec.message()));
  if (!fs::is_directory(real, ec)) {
    return absl::FailedPreconditionError(absl::StrCat("static root ", root, " is not a directory"));
  }
  return StaticFiles(std::move(real), max_file_bytes);
}

StaticAnswer StaticFiles::Serve(absl::string_view method, absl::string_view target,
                                absl::string_view if_none_match) const {
  StaticAnswer answer;
  if (method == "GET" || method == "HEAD") {
    answer = Get(root_, max_file_bytes_, target, method == "HEAD", if_none_match);
  } else {
    answer = Refusal(405, "method not allowed", /*head=*/false);
    answer.response.headers.emplace_back("Allow", "GET, HEAD");
  }
  AddSecurityHeaders(answer.response);
  return answer;
}

}  // namespace rectify::gateway
