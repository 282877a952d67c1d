// What every rectctl noun shares: the flags several nouns read, the connection to the
// services, and the helpers that print tables and report errors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/accountability.grpc.pb.h"
#include "rectify/v1/issue_registry.grpc.pb.h"
#include "rectify/v1/supervision.grpc.pb.h"

ABSL_DECLARE_FLAG(std::string, addr);
ABSL_DECLARE_FLAG(std::string, accountability_addr);
ABSL_DECLARE_FLAG(std::string, supervision_addr);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(int, timeout_seconds);
ABSL_DECLARE_FLAG(std::string, request_id);
ABSL_DECLARE_FLAG(std::string, etag);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, filter);
ABSL_DECLARE_FLAG(std::string, order_by);
ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(std::string, page_token);
ABSL_DECLARE_FLAG(std::string, region);
ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::string, description);
ABSL_DECLARE_FLAG(std::string, kind);
ABSL_DECLARE_FLAG(std::string, out);

namespace rectify::rectctl {

// Positional arguments after the noun and the verb: `issues download 17 5` gives {"17", "5"}.
using Args = std::vector<std::string>;

// One invocation's view of the services. Stubs are made on first use, so `token` never
// touches gRPC and `cases` never dials the issue registry.
class Session {
 public:
  Session(std::string addr, std::string accountability_addr, std::string supervision_addr,
          std::string token, bool json, int timeout_seconds);

  const std::shared_ptr<grpc::Channel>& Channel();  // the issue registry's
  v1::IssueRegistry::Stub& Registry();
  v1::Accountability::Stub& Accountability();
  v1::Supervision::Stub& Supervision();

  bool json() const { return json_; }

  // A unary call's context: the --timeout_seconds deadline and the bearer token.
  std::unique_ptr<grpc::ClientContext> Context() const;
  // A stream's context: the bearer token only, since a transfer or a watch lasts as long as
  // it needs.
  std::unique_ptr<grpc::ClientContext> StreamContext() const;

  // Prints the message as the API's JSON; returns the exit code 0.
  int Print(const google::protobuf::Message& message) const;
  // Prints a failed call's status on stderr; returns the exit code 1.
  int Report(const grpc::Status& status) const;

 private:
  std::string addr_;
  std::string accountability_addr_;
  std::string supervision_addr_;
  std::string token_;
  bool json_ = false;
  int timeout_seconds_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IssueRegistry::Stub> registry_;
  std::unique_ptr<v1::Accountability::Stub> accountability_;
  std::unique_ptr<v1::Supervision::Stub> supervision_;
};

// Prints "rectctl: <message>" on stderr and exits with 1.
[[noreturn]] void Fail(const std::string& message);

// Prints rows under a header, columns aligned by display width (CJK takes two columns).
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);
// A page of a listing: its table, then how to ask for the next page when there is one.
void PrintPage(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows,
               const std::string& next_page_token);

// Cuts `s` to `max_width` display columns, marking the cut with "…".
std::string Clip(const std::string& s, size_t max_width);

// Splits a flag's list on ',' or ';', dropping empty items.
std::vector<std::string> SplitList(const std::string& s);

// The id at args[i]; fails with "expected <what>" when it is missing or not a number.
int64_t IdArg(const Args& args, size_t i, const char* what = "an id");

// Writes a downloaded file to --out, or to `name` (the server's name for it) without --out.
int WriteOut(const std::string& name, const std::string& data);

// Parses an enum flag with the generated `<Enum>_Parse`; fails naming the flag.
template <typename Enum>
Enum ParseEnumFlag(const std::string& value, bool (*parse)(const std::string&, Enum*),
                   const char* flag) {
  Enum e{};
  if (!parse(value, &e)) Fail(absl::StrCat("--", flag, ": unknown value \"", value, "\""));
  return e;
}

}  // namespace rectify::rectctl
