// The portal's built files (a Vite build: index.html, assets/<name>-<hash>.<ext>, and whatever
// public/ held), served by the gateway from one root directory. Only GET and HEAD; nothing outside
// the root, no dot-files, no directory listings; client-side routes (/issues/42) get index.html.
//
// Answers for a request path, in order:
//   - a method other than GET or HEAD: 405 with `Allow: GET, HEAD`;
//   - a malformed %-escape: 400;
//   - a path that is not safe as it stands, judged once decoded (NUL or other control bytes, a
//     backslash, an encoded slash, an empty segment other than the last, a segment that starts
//     with '.', which covers "." and ".." and dot-files): 404, as if it named nothing, and never
//     the SPA fallback;
//   - the file, or a directory's index.html: 200 (304 when If-None-Match names its ETag);
//   - a directory without index.html, or a file over the size cap: 404 (never a listing);
//   - nothing there (including a symlink that resolves outside the root, so an escape looks
//     exactly like a missing file): index.html when the path could be a client-side route (its
//     last segment has no '.', and it is not under /assets/), else 404.
// Every answer carries the security headers below.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/http/http_server.h"

namespace rectify::gateway {

// The headers every answer meant for a browser carries: a Content-Security-Policy for the
// self-hosted portal (Vue, Element Plus, ECharts: scripts and everything else only from this
// origin; inline styles allowed because Element Plus positions popovers with them; data:/blob:
// images for ECharts' exports and icons), no MIME sniffing, no Referer, no framing.
const std::vector<std::pair<std::string, std::string>>& BrowserSecurityHeaders();
// Appends BrowserSecurityHeaders() to `response`, so the gateway's other answers can carry them.
void AddSecurityHeaders(HttpResponse& response);

struct StaticAnswer {
  HttpResponse response;
  // Set for HEAD (except 304): the Content-Length a GET would carry. The body is empty then, so
  // the caller must write this instead of the body's size (Beast's prepare_payload would say 0).
  // Unset for GET, whose body's size is the right length.
  std::optional<uint64_t> head_content_length;
};

// Immutable once opened, so Serve may run on any number of threads at once. Files are read
// whole and synchronously on the calling thread: portal files are small and local.
class StaticFiles {
 public:
  // A file bigger than this has no business in a portal build, and is not served.
  static constexpr uint64_t kDefaultMaxFileBytes = uint64_t{32} << 20;

  // Resolves `root` once (symlinks included; a later change of where it points is not
  // followed). NotFound when it does not exist, FailedPrecondition when it is not a directory.
  static absl::StatusOr<StaticFiles> Open(std::string root,
                                          uint64_t max_file_bytes = kDefaultMaxFileBytes);

  // `target` is the request target in origin form ("/assets/app-1a2b.js?v=2"; the query is
  // ignored), still percent-encoded. `if_none_match` is the request's If-None-Match, or empty.
  // Always answers; the caller routes its own paths (/v1/..., /healthz) before calling this.
  //
  // Caching: a file under /assets/ has a content hash in its name, so it is cacheable for a
  // year and immutable; anything else (index.html above all) must be revalidated each time
  // (no-cache) so a deployment is seen at once. ETags are strong, from the file's size and
  // modification time, so a 304 costs a stat and no read.
  StaticAnswer Serve(absl::string_view method, absl::string_view target,
                     absl::string_view if_none_match) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  StaticFiles(std::filesystem::path root, uint64_t max_file_bytes)
      : root_(std::move(root)), max_file_bytes_(max_file_bytes) {}

  std::filesystem::path root_;  // canonical
  uint64_t max_file_bytes_;
};

}  // namespace rectify::gateway
