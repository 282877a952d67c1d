#include "common/text.h"

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
