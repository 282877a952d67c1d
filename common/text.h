// Lengths of text as people count them: characters (Unicode code points of UTF-8), not bytes.
// A 200-character Chinese title is 600 bytes; limits, messages and columns speak characters.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace rectify {

size_t CharacterCount(absl::string_view utf8);

}  // namespace rectify
