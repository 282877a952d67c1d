// `rectctl export`: the ledger as a CSV or XLSX file.
#include <string>

#include "absl/flags/flag.h"
#include "cli/rectctl/command.h"

ABSL_FLAG(std::string, format, "csv", "export: csv or xlsx");

namespace rectify::rectctl {
namespace {

int Export(Session& session, const Args&) {
  v1::ExportLedgerRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_order_by(absl::GetFlag(FLAGS_order_by));
  // Anything but xlsx is CSV.
  std::string format = absl::GetFlag(FLAGS_format);
  req.set_format(format == "xlsx" ? v1::ExportLedgerRequest::XLSX : v1::ExportLedgerRequest::CSV);
  auto ctx = session.StreamContext();
  auto reader = session.Registry().ExportLedger(ctx.get(), req);
  v1::ExportChunk chunk;
  std::string name, data;
  while (reader->Read(&chunk)) {
    if (!chunk.file_name().empty()) name = chunk.file_name();
    data += chunk.data();
  }
  auto status = reader->Finish();
  if (!status.ok()) return session.Report(status);
  return WriteOut(name, data);
}

}  // namespace

const Noun& ExportNoun() {
  static const Noun noun{
      .name = "export",
      .summary = "the ledger as a file (--format=csv|xlsx --out --filter)",
      .verbs = {{"", "", "", &Export}},
  };
  return noun;
}

}  // namespace rectify::rectctl
