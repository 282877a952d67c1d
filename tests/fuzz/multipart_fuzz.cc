// libFuzzer target for the multipart/form-data reader. An input is three bytes that choose where
// the body is cut, a Content-Type line ending in LF, then the body (see corpus/multipart/). Each
// body is read twice, whole and cut in up to five pieces, and must read the same: a reader that
// lost or invented bytes at a cut would show up here before it corrupted an upload.
//
// Built from the repository's root, for example:
//   clang++ -std=c++20 -fsanitize=fuzzer,address,undefined -I. tests/fuzz/multipart_fuzz.cc
//     gateway/transcode/multipart.cc common/text.cc $(pkg-config --libs absl_statusor absl_strings)
//   mkdir -p scratch && ./a.out scratch tests/fuzz/corpus/multipart
// (libFuzzer writes the inputs it finds into the first directory, so the seeds stay as they are).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "gateway/transcode/multipart.h"

namespace rectify::gateway {
namespace {

// Checks what the reader promises its handler and writes the events down, a file's pieces
// joined.
class Transcript : public MultipartHandler {
 public:
  absl::Status OnField(const MultipartPart& part, std::string value) override {
    Check(part);
    if (in_file_ || value.size() > kLimits.max_field_bytes) std::abort();
    absl::StrAppend(&text, "field ", part.name, "=", value, "\n");
    return absl::OkStatus();
  }
  absl::Status OnFileBegin(const MultipartPart& part) override {
    Check(part);
    if (in_file_) std::abort();
    in_file_ = true;
    absl::StrAppend(&text, "file ", part.name, " ", *part.filename, "\n");
    return absl::OkStatus();
  }
  absl::Status OnFileData(absl::string_view piece) override {
    if (!in_file_ || piece.empty()) std::abort();
    text.append(piece.data(), piece.size());
    return absl::OkStatus();
  }
  absl::Status OnFileEnd() override {
    if (!in_file_) std::abort();
    in_file_ = false;
    text += "\nend\n";
    return absl::OkStatus();
  }

  // Small, so that inputs of a few KiB reach every limit.
  static constexpr MultipartLimits kLimits = {256, 8, 64};

  std::string text;

 private:
  static void Check(const MultipartPart& part) {
    if (part.name.empty()) std::abort();
    if (part.filename.has_value() &&
        (!IsValidUtf8(*part.filename) ||
         absl::string_view(*part.filename).find_first_of(absl::string_view("\r\n\0", 3)) !=
             absl::string_view::npos)) {
      std::abort();
    }
  }

  bool in_file_ = false;
};

std::string Read(absl::string_view boundary, absl::string_view body,
                 const std::vector<size_t>& cuts) {
  Transcript transcript;
  absl::StatusOr<MultipartReader> reader =
      MultipartReader::Create(boundary, Transcript::kLimits, &transcript);
  if (!reader.ok()) std::abort();  // MultipartBoundary's boundaries are always accepted
  absl::Status status;
  size_t from = 0;
  for (size_t cut : cuts) {
    status = reader->Feed(body.substr(from, cut - from));
    from = cut;
    if (!status.ok()) break;
  }
  if (status.ok()) status = reader->Feed(body.substr(from));
  if (status.ok()) status = reader->Finish();
  // A refused reader stays refused.
  if (!status.ok() && reader->Feed("x").ToString() != status.ToString()) std::abort();
  return absl::StrCat(transcript.text, "=> ", status.ToString());
}

}  // namespace
}  // namespace rectify::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rectify::gateway::MultipartBoundary;
  using rectify::gateway::Read;
  constexpr size_t kCutBytes = 3;
  if (size < kCutBytes) return 0;
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::string_view cut_bytes = input.substr(0, kCutBytes);
  input.remove_prefix(kCutBytes);
  const size_t eol = input.find('\n');
  absl::StatusOr<std::string> boundary = MultipartBoundary(input.substr(0, eol));
  if (!boundary.ok() || eol == absl::string_view::npos) return 0;
  const absl::string_view body = input.substr(eol + 1);

  std::vector<size_t> cuts;
  for (char c : cut_bytes) cuts.push_back(static_cast<unsigned char>(c) * body.size() / 255);
  // One more cut a byte after the first, so that one piece is a single byte.
  cuts.push_back(std::min(body.size(), cuts.front() + 1));
  std::sort(cuts.begin(), cuts.end());
  if (Read(*boundary, body, {}) != Read(*boundary, body, cuts)) std::abort();
  return 0;
}
