// Lengths of text as people count them: characters (Unicode code points of UTF-8), not bytes.
// A 200-character Chinese title is 600 bytes; limits, messages and columns speak characters.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace rectify {

size_t CharacterCount(absl::string_view utf8);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): what arrives from outside is checked before it goes into JSON or protobuf strings.
bool IsValidUtf8(absl::string_view text);

}  // namespace rectify
