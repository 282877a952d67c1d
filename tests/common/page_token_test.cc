#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/status.h"
#include "gtest/gtest.h"

namespace rectify {
namespace {

TEST(PageTokenTest, RoundTripsThePosition) {
  PageTokenCodec codec("secret");
  std::string token = codec.Encode("issues|state = CLOSED", {"2023-06-30", 42});
  auto pos = codec.Decode(token, "issues|state = CLOSED");
  ASSERT_TRUE(pos.ok()) << pos.status();
  EXPECT_EQ(pos->key, "2023-06-30");
  EXPECT_EQ(pos->id, 42);
}

TEST(PageTokenTest, IsNotReadableBase64OfItsState) {
  PageTokenCodec codec("secret");
  std::string token = codec.Encode("q", {"2023-06-30", 42});
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_EQ(raw.find("2023-06-30"), std::string::npos);
  EXPECT_EQ(raw.find("42"), std::string::npos);
}

TEST(PageTokenTest, ATokenForAnotherQueryIsRefused) {
  PageTokenCodec codec("secret");
  std::string token = codec.Encode("issues|state = CLOSED", {"k", 1});
  auto pos = codec.Decode(token, "issues|state = RECTIFYING");
  EXPECT_EQ(pos.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolations(pos.status()).size(), 1u);
  EXPECT_EQ(FieldViolations(pos.status())[0].field, "page_token");
}

TEST(PageTokenTest, TamperedOrForeignTokensAreRefused) {
  PageTokenCodec codec("secret");
  std::string token = codec.Encode("q", {"k", 1});
  std::string flipped = token;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.Decode(flipped, "q").ok());
  EXPECT_FALSE(PageTokenCodec("other secret").Decode(token, "q").ok());
  for (const char* garbage : {"", "!!!", "AAAA", "not a token at all"}) {
    EXPECT_EQ(codec.Decode(garbage, "q").status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(codec.Decode(std::string(5000, 'A'), "q").ok());
}

// Found by fuzzing (tests/fuzz/page_token_fuzz.cc): a sealed plain text whose "k" was not a
// string threw out of Decode, and an "i" of 1e300 was converted to an integer with undefined
// behaviour. Only the codec's key seals such a text, but one of another format could.
TEST(PageTokenTest, ASealedTextOfAnotherShapeIsRefusedNotThrownOn) {
  PageTokenCodec codec("secret");
  const std::string key = crypto::Sha256("rectify page token v1\nsecret");
  const std::string q = crypto::ToHex(crypto::Sha256("q")).substr(0, 16);
  auto sealed = [&](const std::string& plain) {
    return absl::WebSafeBase64Escape(crypto::Seal(key, plain));
  };
  // The key is the codec's: what it wrote, sealed here, reads.
  ASSERT_TRUE(
      codec.Decode(sealed(absl::StrCat(R"({"i":7,"k":"2024-01-31","q":")", q, R"("})")), "q").ok());
  for (const char* members : {R"("i":7,"k":5)", R"("i":1e300,"k":"")", R"("i":"7","k":"")",
                              R"("i":18446744073709551615,"k":"")", R"("k":"")", R"("i":7)"}) {
    auto pos = codec.Decode(sealed(absl::StrCat("{", members, R"(,"q":")", q, R"("})")), "q");
    EXPECT_EQ(pos.status().code(), absl::StatusCode::kInvalidArgument) << members;
  }
}

TEST(PageSizeTest, FollowsAip158) {
  EXPECT_EQ(*EffectivePageSize(0, 50, 500), 50);
  EXPECT_EQ(*EffectivePageSize(10, 50, 500), 10);
  EXPECT_EQ(*EffectivePageSize(100000, 50, 500), 500);
  EXPECT_EQ(EffectivePageSize(-1, 50, 500).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KeysetPageTest, PagesWalkTheRowsOnceAndTheLastOneHasNoToken) {
  PageTokenCodec tokens("a-service-secret-of-enough-length-0123456789");
  std::vector<int64_t> ids = {3, 5, 8, 13, 21, 34, 55};
  int fetched_limit = 0;
  auto fetch = [&](const PagePosition& after, int limit) {
    fetched_limit = limit;
    std::vector<int64_t> out;
    for (int64_t id : ids) {
      if (id > after.id && static_cast<int>(out.size()) < limit) out.push_back(id);
    }
    return absl::StatusOr<std::vector<int64_t>>(out);
  };
  auto position = [](int64_t id) { return PagePosition{"", id}; };
  std::vector<int64_t> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = ReadKeysetPage<int64_t>(tokens, "numbers", token, 3, fetch, position);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(fetched_limit, 4) << "one row more than the page, to know whether one follows";
    seen.insert(seen.end(), page->rows.begin(), page->rows.end());
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);
  auto first = ReadKeysetPage<int64_t>(tokens, "numbers", "", 3, fetch, position);
  auto foreign =
      ReadKeysetPage<int64_t>(tokens, "other query", first->next_page_token, 3, fetch, position);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rectify
