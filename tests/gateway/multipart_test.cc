// The streaming multipart/form-data reader: boundaries from Content-Type, fields and files from
// bodies fed whole, in every split and byte by byte, binary content that resembles delimiters,
// filenames in their encodings, malformed bodies and the limits.
#include "gateway/transcode/multipart.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace rectify::gateway {
namespace {

using std::string_literals::operator""s;

constexpr absl::string_view kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

// Writes down what the reader reports, one line an event. Consecutive pieces of a file make one
// "data" line, so that a body split differently reads the same.
class Recorder : public MultipartHandler {
 public:
  absl::Status OnField(const MultipartPart& part, std::string value) override {
    events.push_back(absl::StrCat("field ", part.name, " [", part.content_type, "] = ", value));
    return absl::OkStatus();
  }
  absl::Status OnFileBegin(const MultipartPart& part) override {
    events.push_back(
        absl::StrCat("file ", part.name, " \"", *part.filename, "\" [", part.content_type, "]"));
    return absl::OkStatus();
  }
  absl::Status OnFileData(absl::string_view piece) override {
    EXPECT_FALSE(piece.empty());
    ++pieces;
    delivered += piece.size();
    if (events.empty() || events.back().rfind("data ", 0) != 0) events.push_back("data ");
    content.append(piece.data(), piece.size());
    events.back() = absl::StrCat("data ", absl::CHexEscape(content));
    return fail_data;
  }
  absl::Status OnFileEnd() override {
    content.clear();
    events.push_back("end");
    return absl::OkStatus();
  }

  std::vector<std::string> events;
  std::string content;  // of the file being read
  size_t pieces = 0;
  size_t delivered = 0;
  absl::Status fail_data;
};

// The events, then the outcome, of reading `body` fed in the pieces that `splits` (ascending
// offsets) cut it into.
std::string Read(absl::string_view body, const std::vector<size_t>& splits = {},
                 const MultipartLimits& limits = {}, absl::string_view boundary = kBoundary) {
  Recorder recorder;
  absl::StatusOr<MultipartReader> reader = MultipartReader::Create(boundary, limits, &recorder);
  if (!reader.ok()) return reader.status().ToString();
  absl::Status status;
  size_t from = 0;
  for (size_t cut : splits) {
    status = reader->Feed(body.substr(from, cut - from));
    from = cut;
    if (!status.ok()) break;
  }
  if (status.ok()) status = reader->Feed(body.substr(from));
  if (status.ok()) status = reader->Finish();
  return absl::StrCat(absl::StrJoin(recorder.events, "\n"), "\n=> ", status.ToString());
}

std::string Delimiter() { return absl::StrCat("--", kBoundary); }

std::string FieldPart(absl::string_view name, absl::string_view value) {
  return absl::StrCat(Delimiter(), "\r\nContent-Disposition: form-data; name=\"", name,
                      "\"\r\n\r\n", value, "\r\n");
}

std::string FilePart(absl::string_view disposition, absl::string_view type,
                     absl::string_view content) {
  return absl::StrCat(Delimiter(), "\r\nContent-Disposition: ", disposition,
                      "\r\nContent-Type: ", type, "\r\n\r\n", content, "\r\n");
}

std::string Close() { return absl::StrCat(Delimiter(), "--\r\n"); }

const std::string& TypicalBody() {
  static const std::string* body =
      new std::string(absl::StrCat(FieldPart("title", "堤防渗漏"), FieldPart("issue_id", "42"),
                                   FilePart("form-data; name=\"evidence\"; filename=\"photo.jpg\"",
                                            "image/jpeg", "\xFF\xD8\xFF\xE0 jpeg bytes"),
                                   Close()));
  return *body;
}

constexpr absl::string_view kTypicalEvents =
    "field title [text/plain] = 堤防渗漏\n"
    "field issue_id [text/plain] = 42\n"
    "file evidence \"photo.jpg\" [image/jpeg]\n"
    "data \\xff\\xd8\\xff\\xe0 jpeg bytes\n"
    "end\n"
    "=> OK";

// Content that resembles delimiters without being one: CRLF "--" with no boundary, the boundary
// cut short or without its CRLF, a CR retried as the start of a match, every byte value, and a
// delimiter cut short just before the real one.
std::string TrickyContent() {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  return absl::StrCat(std::string("\0\1\r\n--", 6), "\r\n-", "\r\n--",
                      kBoundary.substr(0, kBoundary.size() - 1), "Q", Delimiter(), "--", "\n",
                      Delimiter(), "\r", Delimiter(), "\r\r\n--", kBoundary.substr(0, 5), all_bytes,
                      "\r\n--", kBoundary.substr(0, 9));
}

std::string TrickyBody() {
  return absl::StrCat(FilePart("form-data; name=\"blob\"; filename=\"dump.bin\"",
                               "application/octet-stream", TrickyContent()),
                      FieldPart("after", "x\r"), Close());
}

TEST(MultipartBoundaryTest, ReadsTheBoundary) {
  struct Case {
    std::string content_type, boundary;
  };
  std::vector<Case> cases = {
      {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
       "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
      {"Multipart/Form-Data; BOUNDARY=\"a b'()+_,-./:=?\"", "a b'()+_,-./:=?"},
      {"multipart/form-data;charset=utf-8;boundary=xyz", "xyz"},
      {"multipart/form-data ; boundary = \"q\\x\" ; ", "qx"},
      {"multipart/form-data; boundary=" + std::string(70, 'b'), std::string(70, 'b')},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::string> boundary = MultipartBoundary(c.content_type);
    ASSERT_TRUE(boundary.ok()) << c.content_type << ": " << boundary.status();
    EXPECT_EQ(*boundary, c.boundary) << c.content_type;
  }
}

TEST(MultipartBoundaryTest, RefusesBadContentTypes) {
  for (const std::string& bad : std::vector<std::string>{
           "",
           "text/plain; boundary=x",
           "multipart/mixed; boundary=x",
           "multipart/form-data",
           "multipart/form-data; charset=utf-8",
           "multipart/form-data; boundary=",
           "multipart/form-data; boundary=\"\"",
           "multipart/form-data; boundary=" + std::string(71, 'b'),
           "multipart/form-data; boundary=\"abc \"",
           "multipart/form-data; boundary=\"ab\rc\"",
           "multipart/form-data; boundary=abc{",
           "multipart/form-data; boundary=\"abc",
           "multipart/form-data; boundary=a; boundary=b",
           "multipart/form-data; boundary=a b",
           "multipart/form-data; =x",
       }) {
    absl::StatusOr<std::string> boundary = MultipartBoundary(bad);
    EXPECT_EQ(boundary.status().code(), absl::StatusCode::kInvalidArgument)
        << "\"" << absl::CHexEscape(bad) << "\" gave " << boundary.status();
  }
  EXPECT_EQ(MultipartBoundary("application/json").status().message(),
            "the Content-Type \"application/json\" is not multipart/form-data");
  EXPECT_EQ(MultipartBoundary("multipart/form-data").status().message(),
            "the multipart/form-data Content-Type has no boundary");
}

TEST(MultipartReaderTest, RefusesAnInvalidBoundary) {
  Recorder recorder;
  for (absl::string_view bad : {"", "a\rb", "a\nb", "trailing "}) {
    EXPECT_EQ(MultipartReader::Create(bad, {}, &recorder).status().code(),
              absl::StatusCode::kInvalidArgument)
        << absl::CHexEscape(bad);
  }
  EXPECT_FALSE(MultipartReader::Create(std::string(71, 'b'), {}, &recorder).ok());
}

TEST(MultipartReaderTest, ReadsATypicalForm) { EXPECT_EQ(Read(TypicalBody()), kTypicalEvents); }

TEST(MultipartReaderTest, EverySplitReadsTheSame) {
  const std::string& body = TypicalBody();
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    ASSERT_EQ(Read(body, {cut}), kTypicalEvents) << "split at " << cut;
  }
  std::vector<size_t> every_byte;
  for (size_t cut = 1; cut < body.size(); ++cut) every_byte.push_back(cut);
  EXPECT_EQ(Read(body, every_byte), kTypicalEvents);
}

TEST(MultipartReaderTest, BinaryContentThatResemblesDelimitersIsContent) {
  const std::string expected = absl::StrCat(
      "file blob \"dump.bin\" [application/octet-stream]\ndata ", absl::CHexEscape(TrickyContent()),
      "\nend\nfield after [text/plain] = x\r\n=> OK");
  const std::string body = TrickyBody();
  EXPECT_EQ(Read(body), expected);
  std::vector<size_t> every_byte;
  for (size_t cut = 1; cut < body.size(); ++cut) every_byte.push_back(cut);
  EXPECT_EQ(Read(body, every_byte), expected);
  // Every pair of cuts, so that a delimiter is also split in three.
  for (size_t a = 0; a <= body.size(); ++a) {
    for (size_t b = a; b <= body.size(); b += 5) {
      ASSERT_EQ(Read(body, {a, b}), expected) << "split at " << a << " and " << b;
    }
  }
}

TEST(MultipartReaderTest, StreamsAFileAsItArrivesHoldingBackLessThanADelimiter) {
  std::string content;
  uint32_t x = 12345;
  for (size_t i = 0; i < (size_t{3} << 20) + 17; ++i) {
    x = x * 1103515245 + 12345;
    content.push_back(static_cast<char>(x >> 24));
  }
  const std::string head = absl::StrCat(
      Delimiter(), "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n");
  const std::string body = absl::StrCat(head, content, "\r\n", Close());

  Recorder recorder;
  absl::StatusOr<MultipartReader> reader = MultipartReader::Create(kBoundary, {}, &recorder);
  ASSERT_TRUE(reader.ok());
  constexpr size_t kRead = 1 << 20;
  for (size_t fed = 0; fed < body.size();) {
    const size_t n = std::min(kRead, body.size() - fed);
    const size_t pieces_before = recorder.pieces;
    ASSERT_TRUE(reader->Feed(absl::string_view(body).substr(fed, n)).ok());
    fed += n;
    // At most two pieces a Feed (what was held back, then the new bytes), and only a delimiter's
    // worth less than what arrived is still waiting.
    EXPECT_LE(recorder.pieces - pieces_before, 2u);
    const size_t arrived = std::min(fed - std::min(fed, head.size()), content.size());
    EXPECT_GE(recorder.delivered + kBoundary.size() + 3, arrived) << "after " << fed;
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(recorder.delivered, content.size());
  ASSERT_EQ(recorder.events.size(), 3u);
  EXPECT_EQ(recorder.events[2], "end");
}

TEST(MultipartReaderTest, IgnoresPreambleEpilogueAndTransportPadding) {
  const std::string body = absl::StrCat(
      "This is the preamble.\r\n", Delimiter(), "x is not the boundary\r\n", Delimiter(),
      " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n", Delimiter(),
      "\t\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n", Delimiter(),
      "--  \r\nThe epilogue, with ", Delimiter(), "\r\n and \r\n", Delimiter(), "\r\n in it.");
  // A line of the preamble that starts with the delimiter is taken for one, and refused when it
  // goes on with anything else.
  EXPECT_EQ(Read(body),
            "\n=> INVALID_ARGUMENT: a line of the body starts with the delimiter "
            "\"------WebKitFormBoundary7MA4YWxkTrZu0gW\" but goes on with something other than "
            "spaces, tabs, \"--\" or its end");
  const std::string without = absl::StrCat(
      "This is the preamble.\r\n", Delimiter(),
      " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n", Delimiter(),
      "\t\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n", Delimiter(),
      "--  \r\nThe epilogue, with ", Delimiter(), "\r\n and \r\n", Delimiter(), "\r\n in it.");
  EXPECT_EQ(Read(without), "field a [text/plain] = 1\nfield empty [text/plain] = \n=> OK");
  EXPECT_EQ(Read(Close()), "\n=> OK");
  EXPECT_EQ(Read(absl::StrCat(Delimiter(), "--")), "\n=> OK");
}

TEST(MultipartReaderTest, ReadsHeadersInAnyCaseFoldedOrUnknown) {
  const std::string body = absl::StrCat(
      Delimiter(),
      "\r\ncontent-DISPOSITION: Form-Data;\r\n\tNAME=\"folded\";\r\n  FileName=report.pdf\r\n"
      "X-Unknown: ignored\r\nContent-Transfer-Encoding: binary\r\n"
      "CONTENT-TYPE:application/pdf\r\n\r\n%PDF\r\n",
      Close());
  EXPECT_EQ(Read(body), "file folded \"report.pdf\" [application/pdf]\ndata %PDF\nend\n=> OK");
}

TEST(MultipartReaderTest, DecodesFilenames) {
  struct Case {
    std::string disposition, filename;
  };
  std::vector<Case> cases = {
      // filename* wins over filename, before or after it.
      {"form-data; name=\"f\"; filename=\"evidence.pdf\"; "
       "filename*=UTF-8''%E6%95%B4%E6%94%B9%E8%AF%81%E6%8D%AE.pdf",
       "整改证据.pdf"},
      {"form-data; name=\"f\"; filename*=utf-8'zh-CN'%E8%AF%81%E6%8D%AE.pdf; filename=\"e.pdf\"",
       "证据.pdf"},
      {"form-data; name=\"f\"; filename*=ISO-8859-1''caf%E9.txt", "café.txt"},
      {"form-data; name=\"f\"; filename=\"整改报告.docx\"", "整改报告.docx"},
      {"form-data; name=\"f\"; filename=\"a\\\"b\\\\c; d.txt\"", "a\"b\\c; d.txt"},
      {"form-data; name=\"f\"; filename=\"\"", ""},
  };
  for (const auto& c : cases) {
    Recorder recorder;
    absl::StatusOr<MultipartReader> reader = MultipartReader::Create(kBoundary, {}, &recorder);
    ASSERT_TRUE(reader.ok());
    ASSERT_TRUE(
        reader->Feed(absl::StrCat(FilePart(c.disposition, "text/plain", "x"), Close())).ok())
        << c.disposition;
    ASSERT_TRUE(reader->Finish().ok());
    ASSERT_FALSE(recorder.events.empty());
    EXPECT_EQ(recorder.events[0], absl::StrCat("file f \"", c.filename, "\" [text/plain]"))
        << c.disposition;
  }
}

TEST(MultipartReaderTest, RefusesBadPartHeaders) {
  auto part = [](absl::string_view headers) {
    return absl::StrCat(Delimiter(), "\r\n", headers, "\r\n\r\nvalue\r\n", Close());
  };
  struct Case {
    std::string body, message;
  };
  std::vector<Case> cases = {
      {part("Content-Type: text/plain"), "part 1 has no Content-Disposition"},
      {absl::StrCat(Delimiter(), "\r\n\r\nvalue\r\n", Close()),
       "part 1 has no Content-Disposition"},
      {part("Content-Disposition: form-data; filename=\"a.txt\""),
       "the Content-Disposition of part 1 has no name"},
      {part("Content-Disposition: form-data; name=\"\""),
       "the Content-Disposition of part 1 has no name"},
      {part("Content-Disposition: attachment; name=\"a\""),
       "the Content-Disposition of part 1 is \"attachment\", not form-data"},
      {part("Content-Disposition: form-data; name=\"a\"\r\nno colon"),
       "the headers of part 1 have a line without a colon"},
      {part(" Content-Disposition: form-data; name=\"a\""),
       "the headers of part 1 begin with a continuation line"},
      {part("Content-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data"),
       "part 1 has more than one Content-Disposition"},
      {part("Content-Disposition: form-data; name=\"a\nb\""),
       "the headers of part 1 have a CR or LF that does not end a line"},
      {part("Content-Disposition: form-data; name=\"a"),
       "the Content-Disposition of part 1's parameter \"name\" has an unterminated quote"},
      {part("Content-Disposition: form-data; name=a; name=b"),
       "the Content-Disposition of part 1 repeats parameter \"name\""},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''a%0Db.txt"),
       "the filename of part 1 has a CR, LF or NUL character"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''a%0Ab.txt"),
       "the filename of part 1 has a CR, LF or NUL character"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''a%00b.txt"),
       "the filename of part 1 has a CR, LF or NUL character"},
      {part("Content-Disposition: form-data; name=\"f\"; filename=\"a\\\0b\""s),
       "the Content-Disposition of part 1's parameter \"filename\" has a control character"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%FF.txt"),
       "the filename of part 1 is not UTF-8"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=GBK''%D6%A4"),
       "the Content-Disposition of part 1: filename* is in charset \"GBK\", not UTF-8 or "
       "ISO-8859-1"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%4"),
       "the Content-Disposition of part 1: filename* has a malformed %-escape"},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''a\"b\""),
       "the Content-Disposition of part 1 has something other than ';' after parameter "
       "\"filename*\""},
      {part("Content-Disposition: form-data; name=\"f\"; filename*=a.txt"),
       "the Content-Disposition of part 1: filename* is not of the form "
       "charset'language'value"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Read(c.body), absl::StrCat("\n=> INVALID_ARGUMENT: ", c.message))
        << absl::CHexEscape(c.body);
  }
}

TEST(MultipartReaderTest, RefusesABodyWithoutItsClosingDelimiter) {
  const std::string& body = TypicalBody();
  const std::string cut = body.substr(0, body.size() - Close().size());
  EXPECT_EQ(Read(cut),
            absl::StrCat(kTypicalEvents.substr(0, kTypicalEvents.find("end\n")),
                         "=> INVALID_ARGUMENT: the body ended in part 3 (\"evidence\") before its "
                         "closing delimiter \"------WebKitFormBoundary7MA4YWxkTrZu0gW--\""));
  EXPECT_EQ(Read(absl::StrCat(FieldPart("a", "1"), Delimiter())),
            "field a [text/plain] = 1\n=> INVALID_ARGUMENT: the body ended within a delimiter "
            "line");
  EXPECT_EQ(Read(absl::StrCat(FieldPart("a", "1"), Delimiter(), "-")),
            "field a [text/plain] = 1\n=> INVALID_ARGUMENT: the body ended within a delimiter "
            "line");
  EXPECT_EQ(Read(absl::StrCat(Delimiter(), "\r\nContent-Disposition: form-data")),
            "\n=> INVALID_ARGUMENT: the body ended in part 1 before its closing delimiter "
            "\"------WebKitFormBoundary7MA4YWxkTrZu0gW--\"");
  EXPECT_EQ(Read(""),
            "\n=> INVALID_ARGUMENT: the body has no delimiter line "
            "\"------WebKitFormBoundary7MA4YWxkTrZu0gW\"");
  EXPECT_EQ(Read(TypicalBody(), {}, {}, "otherBoundary"),
            "\n=> INVALID_ARGUMENT: the body has no delimiter line \"--otherBoundary\"");
  // A line that starts with the delimiter and goes on is not content.
  EXPECT_EQ(Read(absl::StrCat(FieldPart("a", "1"), Delimiter(), "X\r\n", Close())),
            "field a [text/plain] = 1\n=> INVALID_ARGUMENT: a line of the body starts with the "
            "delimiter \"------WebKitFormBoundary7MA4YWxkTrZu0gW\" but goes on with something "
            "other than spaces, tabs, \"--\" or its end");
  EXPECT_EQ(Read(absl::StrCat(Delimiter(), " x\r\n")).substr(0, 40),
            "\n=> INVALID_ARGUMENT: a line of the body");
}

TEST(MultipartReaderTest, EnforcesItsLimits) {
  // The header block of this part, its blank line included, is exactly `header` bytes.
  const std::string headers = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: 0123456789";
  const size_t header = headers.size() + 4;
  const std::string body = absl::StrCat(Delimiter(), "\r\n", headers, "\r\n\r\nv\r\n", Close());
  MultipartLimits limits;
  limits.max_header_bytes = header;
  EXPECT_EQ(Read(body, {}, limits), "field a [text/plain] = v\n=> OK");
  limits.max_header_bytes = header - 1;
  EXPECT_EQ(Read(body, {}, limits), absl::StrCat("\n=> RESOURCE_EXHAUSTED: the headers of part 1 "
                                                 "exceed ",
                                                 header - 1, " bytes"));

  const std::string three =
      absl::StrCat(FieldPart("a", "1"), FieldPart("b", "2"), FieldPart("c", "3"), Close());
  limits = {};
  limits.max_parts = 3;
  EXPECT_EQ(Read(three, {}, limits),
            "field a [text/plain] = 1\nfield b [text/plain] = 2\nfield c [text/plain] = 3\n=> OK");
  limits.max_parts = 2;
  EXPECT_EQ(Read(three, {}, limits),
            "field a [text/plain] = 1\nfield b [text/plain] = 2\n=> RESOURCE_EXHAUSTED: the body "
            "has more than 2 parts");

  const std::string field_and_file = absl::StrCat(
      FieldPart("note", "0123456789"),
      FilePart("form-data; name=\"f\"; filename=\"f.txt\"", "text/plain", std::string(100, 'z')),
      Close());
  limits = {};
  limits.max_field_bytes = 10;
  std::vector<size_t> every_byte;
  for (size_t cut = 1; cut < field_and_file.size(); ++cut) every_byte.push_back(cut);
  const std::string expected =
      absl::StrCat("field note [text/plain] = 0123456789\nfile f \"f.txt\" [text/plain]\ndata ",
                   std::string(100, 'z'), "\nend\n=> OK");
  EXPECT_EQ(Read(field_and_file, {}, limits), expected);
  EXPECT_EQ(Read(field_and_file, every_byte, limits), expected);
  limits.max_field_bytes = 9;
  EXPECT_EQ(Read(field_and_file, {}, limits),
            "\n=> RESOURCE_EXHAUSTED: the value of field \"note\" exceeds 9 bytes");
  EXPECT_EQ(Read(field_and_file, every_byte, limits),
            "\n=> RESOURCE_EXHAUSTED: the value of field \"note\" exceeds 9 bytes");
}

TEST(MultipartReaderTest, StopsAtTheFirstRefusalAndAfterFinish) {
  Recorder recorder;
  recorder.fail_data = absl::UnavailableError("the service went away");
  absl::StatusOr<MultipartReader> reader = MultipartReader::Create(kBoundary, {}, &recorder);
  ASSERT_TRUE(reader.ok());
  const std::string body = TrickyBody();
  EXPECT_EQ(reader->Feed(body).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(recorder.pieces, 1u);
  EXPECT_EQ(reader->Feed(Close()).message(), "the service went away");
  EXPECT_EQ(reader->Finish().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(recorder.pieces, 1u);
  EXPECT_EQ(recorder.events.back().substr(0, 5), "data ");

  Recorder second;
  reader = MultipartReader::Create(kBoundary, {}, &second);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->Feed(TypicalBody()).ok());
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(reader->Feed("more").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->Finish().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rectify::gateway
