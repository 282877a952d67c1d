// The portal's static files on a tree made for each test: index.html, hashed assets cached for
// good, ETags and 304s, HEAD, methods refused, every way out of the root refused alike, no
// directory listings, and the single-page app's fallback for its own routes only.
#include "gateway/static_files.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace rectify::gateway {
namespace {

namespace fs = std::filesystem;

constexpr char kIndexHtml[] = "<!doctype html><title>portal</title>";
constexpr char kAppJs[] = "console.log('portal')";
constexpr char kSecret[] = "TOP SECRET";

std::optional<std::string> Header(const HttpResponse& r, absl::string_view name) {
  for (const auto& [key, value] : r.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

void Write(const fs::path& path, absl::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// <dir>/root is the portal build; <dir>/outside is what no request may reach.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/static_files_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    root_ = dir_ / "root";
    Write(root_ / "index.html", kIndexHtml);
    Write(root_ / "assets/app-3f9a1c.js", kAppJs);
    Write(root_ / "assets/index-77b2e0.css", "body{margin:0}");
    Write(root_ / "assets/.hidden.js", kSecret);
    Write(root_ / ".env", kSecret);
    Write(root_ / ".git/config", kSecret);
    Write(root_ / "robots.txt", "User-agent: *");
    Write(root_ / "a\\b.txt", kSecret);  // a backslash is refused even where it is a name
    Write(root_ / "guide/index.html", "<p>guide</p>");
    fs::create_directories(root_ / "images");
    Write(root_ / "images/logo.svg", "<svg/>");
    Write(dir_ / "outside/secret.txt", kSecret);
    fs::create_symlink(dir_ / "outside/secret.txt", root_ / "leak.txt");
    fs::create_symlink(dir_ / "outside", root_ / "assets/out");
    fs::create_symlink(dir_ / "outside", root_ / "escape");
    fs::create_symlink("robots.txt", root_ / "robots-link.txt");  // stays inside: served
    auto files = StaticFiles::Open(root_.string());
    ASSERT_TRUE(files.ok()) << files.status();
    files_.emplace(*std::move(files));
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  StaticAnswer Get(absl::string_view target, absl::string_view if_none_match = "") {
    return files_->Serve("GET", target, if_none_match);
  }

  fs::path dir_;
  fs::path root_;
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, OpenRefusesAMissingRootOrAFile) {
  EXPECT_TRUE(absl::IsNotFound(StaticFiles::Open((dir_ / "nowhere").string()).status()));
  EXPECT_TRUE(
      absl::IsFailedPrecondition(StaticFiles::Open((root_ / "index.html").string()).status()));
  EXPECT_EQ(files_->root(), fs::canonical(root_));
}

TEST_F(StaticFilesTest, RootAnswersIndexHtmlRevalidatedEachTime) {
  for (const char* target : {"/", "/index.html", "/?from=mail"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 200u);
    EXPECT_EQ(a.response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(a.response.body, kIndexHtml);
    EXPECT_EQ(Header(a.response, "Cache-Control"), "no-cache");
    ASSERT_TRUE(Header(a.response, "ETag").has_value());
    EXPECT_FALSE(absl::StartsWith(*Header(a.response, "ETag"), "W/"));
    EXPECT_FALSE(a.head_content_length.has_value());
  }
}

TEST_F(StaticFilesTest, AssetsAreImmutableWithTheirContentType) {
  StaticAnswer js = Get("/assets/app-3f9a1c.js");
  EXPECT_EQ(js.response.status, 200u);
  EXPECT_EQ(js.response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.response.body, kAppJs);
  EXPECT_EQ(Header(js.response, "Cache-Control"), "public, max-age=31536000, immutable");

  StaticAnswer css = Get("/assets/index-77b2e0.css");
  EXPECT_EQ(css.response.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Header(css.response, "Cache-Control"), "public, max-age=31536000, immutable");

  // Outside /assets/ a name carries no hash, so it is revalidated.
  StaticAnswer svg = Get("/images/logo.svg");
  EXPECT_EQ(svg.response.content_type, "image/svg+xml");
  EXPECT_EQ(Header(svg.response, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ContentTypesByExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"a.json", "application/json"},
      {"a.map", "application/json"},
      {"a.png", "image/png"},
      {"a.JPG", "image/jpeg"},
      {"a.ico", "image/x-icon"},
      {"a.woff2", "font/woff2"},
      {"a.woff", "font/woff"},
      {"a.ttf", "font/ttf"},
      {"a.txt", "text/plain; charset=utf-8"},
      {"a.webp", "image/webp"},
      {"a.wasm", "application/wasm"},
      {"a.exe", "application/octet-stream"},
      {"noextension", "application/octet-stream"},
  };
  for (const auto& [name, type] : cases) {
    Write(root_ / "types" / name, "x");
    StaticAnswer a = Get(std::string("/types/") + name);
    EXPECT_EQ(a.response.status, 200u) << name;
    EXPECT_EQ(a.response.content_type, type) << name;
  }
}

TEST_F(StaticFilesTest, MatchingEtagIsNotModifiedWithoutABody) {
  const std::string etag = *Header(Get("/assets/app-3f9a1c.js").response, "ETag");
  for (const std::string& if_none_match :
       {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    SCOPED_TRACE(if_none_match);
    StaticAnswer a = Get("/assets/app-3f9a1c.js", if_none_match);
    EXPECT_EQ(a.response.status, 304u);
    EXPECT_TRUE(a.response.body.empty());
    EXPECT_TRUE(a.response.content_type.empty());
    EXPECT_EQ(Header(a.response, "ETag"), etag);
    EXPECT_EQ(Header(a.response, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(Header(a.response, "X-Content-Type-Options"), "nosniff");
  }
  EXPECT_EQ(Get("/assets/app-3f9a1c.js", "\"other\"").response.status, 200u);

  // A new build of the same name is a new ETag.
  Write(root_ / "assets/app-3f9a1c.js", "console.log('changed')");
  EXPECT_EQ(Get("/assets/app-3f9a1c.js", etag).response.status, 200u);
}

TEST_F(StaticFilesTest, HeadHasTheHeadersAndLengthButNoBody) {
  StaticAnswer a = files_->Serve("HEAD", "/assets/app-3f9a1c.js", "");
  EXPECT_EQ(a.response.status, 200u);
  EXPECT_TRUE(a.response.body.empty());
  EXPECT_EQ(a.head_content_length, std::string(kAppJs).size());
  EXPECT_EQ(a.response.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(a.response, "ETag"), Header(Get("/assets/app-3f9a1c.js").response, "ETag"));

  StaticAnswer missing = files_->Serve("HEAD", "/assets/missing.js", "");
  EXPECT_EQ(missing.response.status, 404u);
  EXPECT_TRUE(missing.response.body.empty());
  EXPECT_EQ(missing.head_content_length, Get("/assets/missing.js").response.body.size());
}

TEST_F(StaticFilesTest, OtherMethodsAreRefusedWithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"}) {
    SCOPED_TRACE(method);
    StaticAnswer a = files_->Serve(method, "/index.html", "");
    EXPECT_EQ(a.response.status, 405u);
    EXPECT_EQ(Header(a.response, "Allow"), "GET, HEAD");
    EXPECT_EQ(a.response.body.find("portal"), std::string::npos);
  }
}

TEST_F(StaticFilesTest, EveryWayOutOfTheRootOrIntoADotFileIsNotFound) {
  const std::string cases[] = {
      "/../outside/secret.txt",
      "/assets/../../outside/secret.txt",
      "/%2e%2e/outside/secret.txt",
      "/%2E%2E/outside/secret.txt",
      "/.%2e/outside/secret.txt",
      "/assets/%2e%2e/index.html",  // harmless, but ".." is refused wherever it is
      "/./index.html",
      "/%2e/index.html",
      "/assets%2Fapp-3f9a1c.js",  // the file exists: the encoded slash alone is refused
      "/assets%2fapp-3f9a1c.js",
      "/..%2F..%2Foutside%2Fsecret.txt",
      "/..\\outside\\secret.txt",
      "/assets\\app-3f9a1c.js",
      "/assets%5Capp-3f9a1c.js",
      "/a\\b.txt",
      "/a%5cb.txt",
      std::string("/index.html\0.txt", 16),
      "/index.html%00.txt",
      "/robots.txt%0a",
      "/.env",
      "/%2eenv",
      "/.git/config",
      "/assets/.hidden.js",
      "//index.html",
      "/assets//app-3f9a1c.js",
      "/leak.txt",               // a symlink to a file outside
      "/assets/out/secret.txt",  // a symlink to a directory outside
      "/escape/secret.txt",
      "index.html",  // not origin-form
  };
  for (const std::string& target : cases) {
    SCOPED_TRACE(target);
    for (const char* method : {"GET", "HEAD"}) {
      StaticAnswer a = files_->Serve(method, target, "");
      EXPECT_EQ(a.response.status, 404u) << method;
      EXPECT_EQ(a.response.body.find("SECRET"), std::string::npos);
      EXPECT_EQ(Header(a.response, "Content-Security-Policy"),
                BrowserSecurityHeaders().front().second);
    }
  }
}

TEST_F(StaticFilesTest, AnEscapingSymlinkLooksLikeAMissingPage) {
  // "/escape" could be a client-side route, and is answered exactly as a missing one is.
  StaticAnswer escape = Get("/escape");
  StaticAnswer missing = Get("/nothing-here");
  EXPECT_EQ(escape.response.status, missing.response.status);
  EXPECT_EQ(escape.response.body, missing.response.body);
  EXPECT_EQ(escape.response.body, kIndexHtml);
}

TEST_F(StaticFilesTest, SymlinksInsideTheRootAreServed) {
  StaticAnswer a = Get("/robots-link.txt");
  EXPECT_EQ(a.response.status, 200u);
  EXPECT_EQ(a.response.body, "User-agent: *");
}

TEST_F(StaticFilesTest, MalformedEscapesAreBadRequests) {
  for (const char* target : {"/%", "/assets/%2", "/%zz.js", "/%g0"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 400u);
    EXPECT_EQ(Header(a.response, "X-Frame-Options"), "DENY");
  }
}

TEST_F(StaticFilesTest, DirectoriesAnswerTheirIndexOrNothingNeverAListing) {
  for (const char* target : {"/images", "/images/", "/assets", "/assets/"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 404u);
    EXPECT_EQ(a.response.body.find("logo"), std::string::npos);
    EXPECT_EQ(a.response.body.find("app-"), std::string::npos);
    EXPECT_EQ(a.response.body.find("portal"), std::string::npos);  // not the SPA's page either
  }
  for (const char* target : {"/guide", "/guide/"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 200u);
    EXPECT_EQ(a.response.body, "<p>guide</p>");
    EXPECT_EQ(a.response.content_type, "text/html; charset=utf-8");
  }
  // A file named as if it were a directory is not there.
  EXPECT_EQ(Get("/robots.txt/").response.status, 404u);
}

TEST_F(StaticFilesTest, ClientSideRoutesGetIndexHtmlButMissingFilesDoNot) {
  for (const char* target : {"/issues/42", "/issues/", "/cases?status=open"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 200u);
    EXPECT_EQ(a.response.body, kIndexHtml);
    EXPECT_EQ(a.response.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(Header(a.response, "Cache-Control"), "no-cache");
    EXPECT_EQ(Header(a.response, "ETag"), Header(Get("/").response, "ETag"));
  }
  StaticAnswer head = files_->Serve("HEAD", "/issues/42", "");
  EXPECT_EQ(head.response.status, 200u);
  EXPECT_EQ(head.head_content_length, std::string(kIndexHtml).size());

  for (const char* target : {"/assets/missing.js", "/assets/missing", "/assets/nested/route",
                             "/missing.js", "/issues/report.pdf"}) {
    SCOPED_TRACE(target);
    StaticAnswer a = Get(target);
    EXPECT_EQ(a.response.status, 404u);
    EXPECT_EQ(Header(a.response, "Cache-Control"), "no-store");
  }

  // Without index.html there is nothing to fall back to.
  fs::remove(root_ / "index.html");
  EXPECT_EQ(Get("/issues/42").response.status, 404u);
}

TEST_F(StaticFilesTest, FilesOverTheCapAreRefused) {
  Write(root_ / "assets/big-0a0a0a.js", std::string(2048, 'x'));
  auto small = StaticFiles::Open(root_.string(), /*max_file_bytes=*/1024);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->Serve("GET", "/assets/big-0a0a0a.js", "").response.status, 404u);
  EXPECT_EQ(small->Serve("GET", "/assets/app-3f9a1c.js", "").response.status, 200u);
  EXPECT_EQ(Get("/assets/big-0a0a0a.js").response.body.size(), 2048u);
}

TEST_F(StaticFilesTest, EveryAnswerCarriesTheSecurityHeaders) {
  const std::pair<const char*, const char*> requests[] = {
      {"GET", "/"},          {"GET", "/assets/app-3f9a1c.js"}, {"HEAD", "/"},
      {"GET", "/issues/42"}, {"GET", "/assets/missing.js"},    {"GET", "/%zz"},
      {"DELETE", "/"},
  };
  for (const auto& [method, target] : requests) {
    SCOPED_TRACE(std::string(method) + " " + target);
    HttpResponse r = files_->Serve(method, target, "").response;
    EXPECT_EQ(Header(r, "Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
              "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(Header(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  }

  HttpResponse other;
  AddSecurityHeaders(other);
  EXPECT_EQ(other.headers, BrowserSecurityHeaders());
}

}  // namespace
}  // namespace rectify::gateway
