#include "common/text.h"

namespace rectify {
namespace {
bool StartsCharacter(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }
}  // namespace

size_t CharacterCount(absl::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += StartsCharacter(c) ? 1 : 0;
  return n;
}

}  // namespace rectify
