#include "common/text.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

TEST(TextTest, LengthsAreCountedInCharactersNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("黑臭水体"), 4u);  // 12 bytes
  EXPECT_EQ(CharacterCount("𝄞a"), 2u);        // a four-byte character
}

}  // namespace
}  // namespace rectify

namespace rectify {
namespace {

TEST(TextTest, Utf8IsCheckedAsWellFormed) {
  for (const char* good : {"", "abc", "黑臭水体", "\xF0\x9F\x98\x80", "\xC2\xA9", "\xEF\xBF\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(good)) << good;
  }
  for (std::string bad :
       {std::string("\xFF"), std::string("\x80"), std::string("\xC0\xAF"),
        std::string("\xE0\x80\xAF"), std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"),
        std::string("\xE6\xB0"), std::string("a\xC2")}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << absl::CEscape(bad);
  }
}

}  // namespace
}  // namespace rectify
