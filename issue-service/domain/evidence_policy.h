// What a dossier file may be: an allow-list of media types recognised from the content itself
// (a renamed executable is not a PDF because its name says so).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::issues {

inline constexpr char kPdf[] = "application/pdf";
inline constexpr char kJpeg[] = "image/jpeg";
inline constexpr char kPng[] = "image/png";
inline constexpr char kCsv[] = "text/csv";
inline constexpr char kXlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr char kDocx[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// The media type of `content`, or INVALID_ARGUMENT (field "chunk") when it is none of the
// allowed ones, or when `declared` (if given) disagrees with the content.
absl::StatusOr<std::string> DetectMediaType(absl::string_view content, absl::string_view declared);

}  // namespace rectify::issues
