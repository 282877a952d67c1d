#include "common/etag.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify {

std::string EtagOf(int64_t version) { return absl::StrCat("v", version); }

absl::Status CheckEtag(absl::string_view sent, int64_t version, absl::string_view resource) {
  if (!sent.empty() && sent != EtagOf(version)) return StaleEtagError(resource);
  return absl::OkStatus();
}

}  // namespace rectify
