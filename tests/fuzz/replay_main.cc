// The main() of a fuzz target built without libFuzzer (any compiler): runs every file in the
// directories (or the files) named on the command line through the target's
// LLVMFuzzerTestOneInput once, in name order, and says how many ran. ctest runs each target's
// committed corpus with it on every build, so that the seeds, and any crash reproducer saved next
// to them, stay regression tests without a fuzzing toolchain.
//
//   path_template_replay tests/fuzz/corpus/path_template [more directories or files...]
//
// A target reports a broken invariant by aborting, so a failure here is a crash, named by the
// line "running FILE" printed just before it. An empty or missing directory is an error too: a
// test that replays nothing would pass forever.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Runs one input from a buffer of exactly its size, as libFuzzer does, so that a sanitizer build
// catches a read one byte past the end.
void Run(const std::string& bytes) {
  auto copy = std::make_unique<uint8_t[]>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), copy.get());
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
}

bool ReadFile(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  namespace fs = std::filesystem;
  Run("");  // libFuzzer's first input too
  size_t ran = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code error;
    std::vector<fs::path> files;
    if (fs::is_directory(arg, error)) {
      for (const fs::directory_entry& entry : fs::directory_iterator(arg, error)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg, error)) {
      files.push_back(arg);
    }
    if (error || files.empty()) {
      std::fprintf(stderr, "%s: no inputs in %s\n", argv[0], argv[i]);
      return 1;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      std::string bytes;
      if (!ReadFile(file, bytes)) {
        std::fprintf(stderr, "%s: cannot read %s\n", argv[0], file.c_str());
        return 1;
      }
      std::fprintf(stderr, "running %s\n", file.c_str());
      Run(bytes);
      ++ran;
    }
  }
  std::printf("%zu inputs ran without a failure\n", ran);
  return 0;
}
