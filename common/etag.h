// Etags of versioned resources (AIP-154): "v<version>". A request that names an etag acts only on
// the version it names; a stale one is refused with ABORTED, so the caller re-reads and retries.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify {

std::string EtagOf(int64_t version);
// OK when `sent` is empty (no precondition) or names `version`.
absl::Status CheckEtag(absl::string_view sent, int64_t version, absl::string_view resource);

}  // namespace rectify
