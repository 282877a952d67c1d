#include "issue-service/domain/evidence_policy.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify::issues {
namespace {

bool ValidUtf8Text(absl::string_view s) {
  size_t i = 0;
  if (absl::StartsWith(s, "\xEF\xBB\xBF")) i = 3;
  for (; i < s.size();) {
    unsigned char c = s[i];
    if (c == 0) return false;
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    if (len == 1 && c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    i += len;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> DetectMediaType(absl::string_view content, absl::string_view declared) {
  std::string detected;
  if (absl::StartsWith(content, "%PDF-")) {
    detected = kPdf;
  } else if (absl::StartsWith(content, "\xFF\xD8\xFF")) {
    detected = kJpeg;
  } else if (absl::StartsWith(content, "\x89PNG\r\n\x1A\n")) {
    detected = kPng;
  } else if (absl::StartsWith(content, absl::string_view("PK\x03\x04", 4))) {
    // Office Open XML packages are ZIP archives; their part names tell them apart.
    if (absl::StrContains(content, "xl/workbook.xml")) {
      detected = kXlsx;
    } else if (absl::StrContains(content, "word/document.xml")) {
      detected = kDocx;
    }
  } else if (!content.empty() && ValidUtf8Text(content) &&
             (absl::StrContains(content, ",") || absl::StrContains(content, "\n"))) {
    detected = kCsv;
  }
  if (detected.empty()) {
    return InvalidField("chunk", "the content is not PDF, JPEG, PNG, XLSX, DOCX or CSV");
  }
  if (!declared.empty() && declared != detected) {
    return InvalidField("metadata.media_type",
                        absl::StrCat("declared ", declared, " but the content is ", detected));
  }
  return detected;
}

}  // namespace rectify::issues
