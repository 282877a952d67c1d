// `rectctl issues upload|download|evidence`: the files of an issue's dossier.
#include "cli/rectctl/dossier.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, file, "", "upload: the file to add to the dossier");
ABSL_FLAG(std::string, evidence_kind, "DOCUMENT",
          "upload: PHOTO_BEFORE, PHOTO_AFTER, DOCUMENT, ...");

namespace rectify::rectctl {

int UploadEvidence(Session& session, const Args& args) {
  int64_t issue = IdArg(args, 0);
  std::ifstream in(absl::GetFlag(FLAGS_file), std::ios::binary);
  if (absl::GetFlag(FLAGS_file).empty() || !in) Fail("--file: a readable file");
  v1::Evidence resp;
  auto ctx = session.StreamContext();
  auto writer = session.Registry().UploadEvidence(ctx.get(), &resp);
  // The first message carries the metadata, the rest the file in chunks of 1 MiB.
  v1::UploadEvidenceRequest md;
  md.mutable_metadata()->set_issue_id(issue);
  md.mutable_metadata()->set_kind(ParseEnumFlag<v1::Evidence::Kind>(
      absl::GetFlag(FLAGS_evidence_kind), v1::Evidence::Kind_Parse, "evidence_kind"));
  std::string path = absl::GetFlag(FLAGS_file);
  md.mutable_metadata()->set_file_name(path.substr(path.find_last_of('/') + 1));
  md.mutable_metadata()->set_description(absl::GetFlag(FLAGS_description));
  md.mutable_metadata()->set_request_id(absl::GetFlag(FLAGS_request_id));
  writer->Write(md);
  std::string buf(1 << 20, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() <= 0) break;
    v1::UploadEvidenceRequest part;
    part.set_chunk(buf.substr(0, static_cast<size_t>(in.gcount())));
    if (!writer->Write(part)) break;
  }
  writer->WritesDone();
  auto status = writer->Finish();
  if (!status.ok()) return session.Report(status);
  return session.Print(resp);
}

int DownloadEvidence(Session& session, const Args& args) {
  v1::DownloadEvidenceRequest req;
  req.set_issue_id(IdArg(args, 0));
  req.set_evidence_id(IdArg(args, 1));
  auto ctx = session.StreamContext();
  auto reader = session.Registry().DownloadEvidence(ctx.get(), req);
  v1::EvidenceChunk chunk;
  std::string name, data;
  while (reader->Read(&chunk)) {
    if (chunk.has_evidence()) name = chunk.evidence().file_name();
    data += chunk.data();
  }
  auto status = reader->Finish();
  if (!status.ok()) return session.Report(status);
  return WriteOut(name, data);
}

int ListEvidence(Session& session, const Args& args) {
  v1::ListEvidenceRequest req;
  req.set_issue_id(IdArg(args, 0));
  v1::ListEvidenceResponse resp;
  auto status = session.Registry().ListEvidence(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : resp.evidence()) {
    rows.push_back({absl::StrCat(e.id()), v1::Evidence::Kind_Name(e.kind()), e.file_name(),
                    e.media_type(), absl::StrCat(e.size_bytes()), e.sha256().substr(0, 16),
                    e.sealed() ? "sealed" : ""});
  }
  PrintTable({"ID", "KIND", "FILE", "TYPE", "BYTES", "SHA-256", ""}, rows);
  return 0;
}

}  // namespace rectify::rectctl
