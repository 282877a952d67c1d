#include "cli/rectctl/session.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "issue-service address");
ABSL_FLAG(std::string, accountability_addr, "127.0.0.1:50053", "accountability-service address");
ABSL_FLAG(std::string, supervision_addr, "127.0.0.1:50052", "supervision-service address");
ABSL_FLAG(std::string, token, "", "bearer token (or RECTIFY_TOKEN)");
ABSL_FLAG(bool, json, false, "print JSON instead of tables");
ABSL_FLAG(int, timeout_seconds, 30, "deadline of each call");
ABSL_FLAG(std::string, request_id, "", "idempotency key for create and action commands");
ABSL_FLAG(std::string, etag, "", "assign/ack: expected etag");
ABSL_FLAG(std::string, reason, "", "review/reopen: the reasons");
ABSL_FLAG(std::string, filter, "", "list: filter expression");
ABSL_FLAG(std::string, order_by, "", "list: deadline, create_time or update_time [desc]");
ABSL_FLAG(int, page_size, 50, "list: rows per page");
ABSL_FLAG(std::string, page_token, "", "list: continue from this token");
ABSL_FLAG(std::string, region, "", "token: GB/T 2260 region; issues create: the issue's region");
ABSL_FLAG(std::string, title, "", "create: title");
ABSL_FLAG(std::string, description, "", "create: description");
ABSL_FLAG(std::string, kind, "", "inspections create: CENTRAL, CENTRAL_LOOK_BACK, PROVINCIAL, ...");
ABSL_FLAG(std::string, out, "", "download/export: where to write the file");

namespace rectify::rectctl {

Session::Session(std::string addr, std::string accountability_addr, std::string supervision_addr,
                 std::string token, bool json, int timeout_seconds)
    : addr_(std::move(addr)),
      accountability_addr_(std::move(accountability_addr)),
      supervision_addr_(std::move(supervision_addr)),
      token_(std::move(token)),
      json_(json),
      timeout_seconds_(timeout_seconds) {}

const std::shared_ptr<grpc::Channel>& Session::Channel() {
  if (!channel_) channel_ = grpc::CreateChannel(addr_, grpc::InsecureChannelCredentials());
  return channel_;
}

v1::IssueRegistry::Stub& Session::Registry() {
  if (!registry_) registry_ = v1::IssueRegistry::NewStub(Channel());
  return *registry_;
}

v1::Accountability::Stub& Session::Accountability() {
  if (!accountability_) {
    accountability_ = v1::Accountability::NewStub(
        grpc::CreateChannel(accountability_addr_, grpc::InsecureChannelCredentials()));
  }
  return *accountability_;
}

v1::Supervision::Stub& Session::Supervision() {
  if (!supervision_) {
    supervision_ = v1::Supervision::NewStub(
        grpc::CreateChannel(supervision_addr_, grpc::InsecureChannelCredentials()));
  }
  return *supervision_;
}

std::unique_ptr<grpc::ClientContext> Session::Context() const {
  auto ctx = StreamContext();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds_));
  return ctx;
}

std::unique_ptr<grpc::ClientContext> Session::StreamContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token_.empty()) ctx->AddMetadata("authorization", "Bearer " + token_);
  return ctx;
}

int Session::Print(const google::protobuf::Message& message) const {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  std::cout << out;
  return 0;
}

int Session::Report(const grpc::Status& status) const {
  absl::Status s = FromGrpcStatus(status);
  std::fprintf(stderr, "rectctl: %s: %s\n", absl::StatusCodeToString(s.code()).c_str(),
               std::string(s.message()).c_str());
  return 1;
}

void Fail(const std::string& message) {
  std::fprintf(stderr, "rectctl: %s\n", message.c_str());
  std::exit(1);
}

namespace {

// Bytes of the UTF-8 sequence that starts with `c`.
size_t SequenceLength(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// Display width: CJK characters (three- and four-byte sequences) take two columns in a
// terminal.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = SequenceLength(s[i]);
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

}  // namespace

std::string Clip(const std::string& s, size_t max_width) {
  std::string out;
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = SequenceLength(s[i]);
    size_t cw = len >= 3 ? 2 : 1;
    if (w + cw > max_width) return out + "…";
    out.append(s, i, len);
    w += cw;
    i += len;
  }
  return out;
}

void PrintPage(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows,
               const std::string& next_page_token) {
  PrintTable(header, rows);
  if (!next_page_token.empty()) std::cout << "\nmore: --page_token=" << next_page_token << "\n";
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& h : header) widths.push_back(Width(h));
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], Width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(widths[i] - Width(cells[i]) + 2, ' ');
    }
    std::cout << out << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
}

std::vector<std::string> SplitList(const std::string& s) {
  return absl::StrSplit(s, absl::ByAnyChar(",;"), absl::SkipWhitespace());
}

int64_t IdArg(const Args& args, size_t i, const char* what) {
  int64_t id = 0;
  if (args.size() <= i || !absl::SimpleAtoi(args[i], &id)) Fail(absl::StrCat("expected ", what));
  return id;
}

int WriteOut(const std::string& name, const std::string& data) {
  std::string out = absl::GetFlag(FLAGS_out).empty() ? name : absl::GetFlag(FLAGS_out);
  std::ofstream file(out, std::ios::binary);
  file << data;
  if (!file) Fail("cannot write " + out);
  std::cout << "wrote " << out << " (" << data.size() << " bytes)\n";
  return 0;
}

}  // namespace rectify::rectctl
