// rectctl: the command line for department users and operators of Rectify.
//
//   rectctl token --role=office --org=hlj-office --region=230000
//   --dev_key=@.rectify/jwt.key rectctl issues list --filter='state = RECTIFYING AND region
//   = "230100"' rectctl issues get 42 rectctl issues create --title=... --category=WATER
//   --region=230100 --source=FEEDBACK rectctl issues assign 42 --lead=hlj-water
//   --rectifiers=gov-230100 --acceptance=hlj-deee
//       --deadline=2023-06-30 --class=TIME_LIMITED
//   rectctl issues ack 42
//   rectctl issues progress 42 --percent=60 --narrative="..." --done=m1
//   rectctl watch --after=0
//
// Human-readable tables by default; --json prints the API's JSON for scripts.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/config.h"
#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/accountability.grpc.pb.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "issue-service address");
ABSL_FLAG(std::string, accountability_addr, "127.0.0.1:50053", "accountability-service address");
ABSL_FLAG(std::string, token, "", "bearer token (or RECTIFY_TOKEN)");
ABSL_FLAG(bool, json, false, "print JSON instead of tables");
ABSL_FLAG(int, timeout_seconds, 30, "deadline of each call");
// token
ABSL_FLAG(std::string, role, "",
          "token: office, department, city, county, supervisor, "
          "discipline, public or service");
ABSL_FLAG(std::string, org, "", "token: org id");
ABSL_FLAG(std::string, region, "", "token: GB/T 2260 region; issues create: the issue's region");
ABSL_FLAG(std::string, sub, "", "token: subject (defaults to <role>@<org>)");
ABSL_FLAG(std::string, dev_key, "", "token: the development signing key, or @file");
ABSL_FLAG(int, ttl_hours, 12, "token: lifetime");
ABSL_FLAG(std::string, issuer, "rectify", "token: issuer");
ABSL_FLAG(std::string, audience, "rectify", "token: audience");
// list
ABSL_FLAG(std::string, filter, "", "list: filter expression");
ABSL_FLAG(std::string, order_by, "", "list: deadline, create_time or update_time [desc]");
ABSL_FLAG(int, page_size, 50, "list: rows per page");
ABSL_FLAG(std::string, page_token, "", "list: continue from this token");
ABSL_FLAG(bool, all, false, "list: follow every page");
// create / assign / progress
ABSL_FLAG(std::string, title, "", "create: title");
ABSL_FLAG(std::string, description, "", "create: description");
ABSL_FLAG(std::string, category, "", "create: WATER, AIR, SOIL, SOLID_WASTE, ECOLOGY, ...");
ABSL_FLAG(std::string, source, "FEEDBACK", "create: FEEDBACK, COMPLAINT, PROVINCIAL_FINDING, ...");
ABSL_FLAG(std::string, site, "", "create: site");
ABSL_FLAG(std::string, priority, "NORMAL", "create: NORMAL or KEY");
ABSL_FLAG(int64_t, inspection, 0, "create: inspection id");
ABSL_FLAG(std::string, batch, "", "create: complaint batch (source COMPLAINT)");
ABSL_FLAG(std::string, measures, "", "create: measures, separated by ';'");
ABSL_FLAG(std::string, request_id, "", "idempotency key for create and action commands");
ABSL_FLAG(std::string, lead, "", "assign: lead org");
ABSL_FLAG(std::string, rectifiers, "", "assign: rectifying orgs, comma separated");
ABSL_FLAG(std::string, acceptance, "", "assign: acceptance department");
ABSL_FLAG(std::string, reviewers, "", "assign: joint reviewers, comma separated");
ABSL_FLAG(std::string, deadline, "", "assign: YYYY-MM-DD");
ABSL_FLAG(std::string, deadline_passed_because, "",
          "assign: confirms a deadline before today, with the reason (recorded in history)");
ABSL_FLAG(std::string, klass, "TIME_LIMITED", "assign: IMMEDIATE, TIME_LIMITED or LONG_TERM");
ABSL_FLAG(std::string, official, "", "assign: responsible official");
ABSL_FLAG(int, percent, -1, "progress: percent done");
ABSL_FLAG(std::string, narrative, "", "progress: what was done");
ABSL_FLAG(std::string, done, "", "progress: measure ids now done, comma separated");
ABSL_FLAG(std::string, etag, "", "assign/ack: expected etag");
// inspections
ABSL_FLAG(std::string, kind, "", "inspections create: CENTRAL, CENTRAL_LOOK_BACK, PROVINCIAL, ...");
ABSL_FLAG(std::string, team, "", "inspections create: team");
ABSL_FLAG(std::string, feedback_date, "", "inspections create: YYYY-MM-DD");
// closure acceptance, dossier, export
ABSL_FLAG(std::string, self_check, "", "apply: the self-check statement");
ABSL_FLAG(std::string, evidence, "", "apply: evidence ids of the dossier, comma separated");
ABSL_FLAG(bool, stage, false, "apply: a long-term issue's stage goal");
ABSL_FLAG(std::string, step, "", "review: ON_SITE, PRE_EXAMINATION or JOINT_REVIEW");
ABSL_FLAG(bool, reject, false, "review: reject (with --reason)");
ABSL_FLAG(std::string, reason, "", "review/reopen: the reasons");
ABSL_FLAG(int, days, 0, "notice: working days (0: the policy default)");
ABSL_FLAG(std::string, reopen_reason, "LOOK_BACK_FINDING",
          "reopen: LOOK_BACK_FINDING, REBOUND, ...");
ABSL_FLAG(std::string, cause, "", "reopen: what caused it, e.g. inspections/3");
ABSL_FLAG(std::string, file, "", "upload: the file to add to the dossier");
ABSL_FLAG(std::string, evidence_kind, "DOCUMENT",
          "upload: PHOTO_BEFORE, PHOTO_AFTER, DOCUMENT, ...");
ABSL_FLAG(std::string, out, "", "download/export: where to write the file");
ABSL_FLAG(std::string, format, "csv", "export: csv or xlsx");
ABSL_FLAG(bool, newest_first, false, "history: newest record first");
// cases
ABSL_FLAG(std::string, issues, "", "cases open: linked issue ids, comma separated");
ABSL_FLAG(std::string, failure_types, "",
          "cases open/finding: FALSE, SUPERFICIAL, PERFUNCTORY, ...");
ABSL_FLAG(std::string, case_source, "OTHER", "cases open: TRANSFER, LOOK_BACK, INSPECTION, ...");
ABSL_FLAG(std::string, transfer_id, "", "cases open: the escalation transferred");
ABSL_FLAG(std::string, subject_orgs, "", "cases open: orgs held to account, comma separated");
ABSL_FLAG(std::string, officials, "", "cases open: officials as org:name:post, comma separated");
ABSL_FLAG(std::string, summary, "", "cases open: summary");
ABSL_FLAG(std::string, facts, "", "cases finding: the facts found");
ABSL_FLAG(std::string, sanctions, "", "cases decide: one sanction per subject, comma separated");
ABSL_FLAG(std::string, decided_by, "", "cases decide: the deciding body");
ABSL_FLAG(std::string, decision_date, "", "cases decide: YYYY-MM-DD");
// watch
ABSL_FLAG(int64_t, after, 0, "watch: replay after this cursor");
ABSL_FLAG(std::string, types, "", "watch: event types, comma separated");
ABSL_FLAG(int, limit, 0, "watch: stop after this many events (0: follow until interrupted)");

namespace rectify {
namespace {

constexpr char kUsage[] =
    "rectctl <command> [flags]\n"
    "  token                          mint a development token (--role --org --region --dev_key)\n"
    "  health                         check the service is serving\n"
    "  regions | orgs                 reference data\n"
    "  inspections list|get ID|create\n"
    "  issues list|get ID|create|assign ID|ack ID|progress ID|reports ID\n"
    "  issues apply ID|review ID|notice ID|close ID|reopen ID   closure acceptance (销号)\n"
    "  issues upload ID --file=F | download ID EVIDENCE_ID --out=F | evidence ID\n"
    "  issues history ID | verify ID\n"
    "  stats [--region=]              ledger statistics\n"
    "  cases list|get ID|open|start ID|finding ID|decide ID|close ID|dismiss ID|stats\n"
    "  export --format=csv|xlsx --out=F [--filter=]\n"
    "  watch                          follow the ledger's events\n";

using v1::IssueRegistry;

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "rectctl: %s\n", message.c_str());
  std::exit(1);
}

int Report(const grpc::Status& status) {
  absl::Status s = FromGrpcStatus(status);
  std::fprintf(stderr, "rectctl: %s: %s\n", absl::StatusCodeToString(s.code()).c_str(),
               std::string(s.message()).c_str());
  return 1;
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

// Display width: CJK characters take two columns in a terminal.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

std::string Clip(const std::string& s, size_t max_width) {
  std::string out;
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t cw = len >= 3 ? 2 : 1;
    if (w + cw > max_width) return out + "…";
    out.append(s, i, len);
    w += cw;
    i += len;
  }
  return out;
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

template <typename Enum>
Enum ParseEnumFlag(const std::string& value, bool (*parse)(const std::string&, Enum*),
                   const char* flag) {
  Enum e{};
  if (!parse(value, &e)) Fail(absl::StrCat("--", flag, ": unknown value \"", value, "\""));
  return e;
}

class Cli {
 public:
  Cli() {
    channel_ = grpc::CreateChannel(absl::GetFlag(FLAGS_addr), grpc::InsecureChannelCredentials());
    stub_ = IssueRegistry::NewStub(channel_);
    token_ = absl::GetFlag(FLAGS_token);
    json_ = absl::GetFlag(FLAGS_json);
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
    if (!token_.empty()) ctx->AddMetadata("authorization", "Bearer " + token_);
    return ctx;
  }

  int Health() {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    auto status = stub->Check(&ctx, req, &resp);
    if (!status.ok()) return Report(status);
    std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status()) << "\n";
    return resp.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
  }

  int Regions() {
    v1::ListRegionsRequest req;
    v1::ListRegionsResponse resp;
    auto status = stub_->ListRegions(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    if (json_) return Print(resp);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : resp.regions()) {
      rows.push_back({r.code(), r.name(), v1::Region::Level_Name(r.level()), r.parent_code()});
    }
    PrintTable({"CODE", "NAME", "LEVEL", "PARENT"}, rows);
    return 0;
  }

  int Orgs() {
    v1::ListOrgsRequest req;
    v1::ListOrgsResponse resp;
    if (!absl::GetFlag(FLAGS_kind).empty()) {
      req.set_kind(
          ParseEnumFlag<v1::Org::Kind>(absl::GetFlag(FLAGS_kind), v1::Org::Kind_Parse, "kind"));
    }
    auto status = stub_->ListOrgs(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    if (json_) return Print(resp);
    std::vector<std::vector<std::string>> rows;
    for (const auto& o : resp.orgs()) {
      rows.push_back({o.id(), o.name(), v1::Org::Kind_Name(o.kind()), o.region_code()});
    }
    PrintTable({"ID", "NAME", "KIND", "REGION"}, rows);
    return 0;
  }

  int Inspections(const std::vector<std::string>& args) {
    std::string verb = args.size() > 2 ? args[2] : "list";
    if (verb == "create") {
      v1::CreateInspectionRequest req;
      auto* i = req.mutable_inspection();
      i->set_kind(ParseEnumFlag<v1::Inspection::Kind>(absl::GetFlag(FLAGS_kind),
                                                      v1::Inspection::Kind_Parse, "kind"));
      i->set_title(absl::GetFlag(FLAGS_title));
      i->set_team(absl::GetFlag(FLAGS_team));
      i->set_region_code(absl::GetFlag(FLAGS_region).empty() ? "230000"
                                                             : absl::GetFlag(FLAGS_region));
      i->set_feedback_date(absl::GetFlag(FLAGS_feedback_date));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      v1::Inspection resp;
      auto status = stub_->CreateInspection(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      return Print(resp);
    }
    if (verb == "get") {
      v1::GetInspectionRequest req;
      req.set_id(IdArg(args, 3));
      v1::Inspection resp;
      auto status = stub_->GetInspection(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      return Print(resp);
    }
    v1::ListInspectionsRequest req;
    req.set_page_size(absl::GetFlag(FLAGS_page_size));
    v1::ListInspectionsResponse resp;
    auto status = stub_->ListInspections(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    if (json_) return Print(resp);
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : resp.inspections()) {
      rows.push_back({absl::StrCat(i.id()), v1::Inspection::Kind_Name(i.kind()),
                      Clip(i.title(), 50), i.feedback_date(), i.plan_due_date()});
    }
    PrintTable({"ID", "KIND", "TITLE", "FEEDBACK", "PLAN DUE"}, rows);
    return 0;
  }

  int Issues(const std::vector<std::string>& args) {
    std::string verb = args.size() > 2 ? args[2] : "list";
    if (verb == "list") return ListIssues();
    if (verb == "get") {
      v1::GetIssueRequest req;
      req.set_id(IdArg(args, 3));
      return IssueAction(&v1::IssueRegistry::Stub::GetIssue, req);
    }
    if (verb == "create") return CreateIssue();
    if (verb == "assign") return AssignIssue(IdArg(args, 3));
    if (verb == "ack") {
      v1::AcknowledgeAssignmentRequest req;
      req.set_id(IdArg(args, 3));
      req.set_etag(absl::GetFlag(FLAGS_etag));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::AcknowledgeAssignment, req);
    }
    if (verb == "progress") return ReportProgress(IdArg(args, 3));
    if (verb == "reports") {
      v1::ListProgressReportsRequest req;
      req.set_issue_id(IdArg(args, 3));
      req.set_page_size(absl::GetFlag(FLAGS_page_size));
      v1::ListProgressReportsResponse resp;
      auto status = stub_->ListProgressReports(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      if (json_) return Print(resp);
      std::vector<std::vector<std::string>> rows;
      for (const auto& r : resp.reports()) {
        rows.push_back({absl::StrCat(r.id()), absl::StrCat(r.percent_done(), "%"),
                        r.reporter_org_id(), Clip(r.narrative(), 60)});
      }
      PrintTable({"ID", "DONE", "BY", "NARRATIVE"}, rows);
      return 0;
    }
    if (verb == "apply") {
      v1::RequestAcceptanceRequest req;
      req.set_id(IdArg(args, 3));
      req.set_self_check(absl::GetFlag(FLAGS_self_check));
      for (const auto& e : SplitList(absl::GetFlag(FLAGS_evidence))) {
        int64_t id = 0;
        if (!absl::SimpleAtoi(e, &id)) Fail("--evidence: ids, comma separated");
        req.add_evidence_ids(id);
      }
      req.set_stage(absl::GetFlag(FLAGS_stage));
      req.set_etag(absl::GetFlag(FLAGS_etag));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::RequestAcceptance, req);
    }
    if (verb == "review") {
      v1::ReviewAcceptanceRequest req;
      req.set_id(IdArg(args, 3));
      req.set_step(ParseEnumFlag<v1::AcceptanceStep>(absl::GetFlag(FLAGS_step),
                                                     v1::AcceptanceStep_Parse, "step"));
      req.set_decision(absl::GetFlag(FLAGS_reject) ? v1::REJECT : v1::APPROVE);
      req.set_reason(absl::GetFlag(FLAGS_reason));
      req.set_etag(absl::GetFlag(FLAGS_etag));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::ReviewAcceptance, req);
    }
    if (verb == "notice") {
      v1::OpenPublicNoticeRequest req;
      req.set_id(IdArg(args, 3));
      req.set_working_days(absl::GetFlag(FLAGS_days));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::OpenPublicNotice, req);
    }
    if (verb == "close") {
      v1::CloseIssueRequest req;
      req.set_id(IdArg(args, 3));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::CloseIssue, req);
    }
    if (verb == "reopen") {
      v1::ReopenIssueRequest req;
      req.set_id(IdArg(args, 3));
      req.set_reason(ParseEnumFlag<v1::Reopening::Reason>(
          absl::GetFlag(FLAGS_reopen_reason), v1::Reopening::Reason_Parse, "reopen_reason"));
      req.set_explanation(absl::GetFlag(FLAGS_reason));
      req.set_cause(absl::GetFlag(FLAGS_cause));
      req.set_request_id(absl::GetFlag(FLAGS_request_id));
      return IssueAction(&v1::IssueRegistry::Stub::ReopenIssue, req);
    }
    if (verb == "upload") return Upload(IdArg(args, 3));
    if (verb == "download") return Download(IdArg(args, 3), IdArg(args, 4));
    if (verb == "evidence") {
      v1::ListEvidenceRequest req;
      req.set_issue_id(IdArg(args, 3));
      v1::ListEvidenceResponse resp;
      auto status = stub_->ListEvidence(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      if (json_) return Print(resp);
      std::vector<std::vector<std::string>> rows;
      for (const auto& e : resp.evidence()) {
        rows.push_back({absl::StrCat(e.id()), v1::Evidence::Kind_Name(e.kind()), e.file_name(),
                        e.media_type(), absl::StrCat(e.size_bytes()), e.sha256().substr(0, 16),
                        e.sealed() ? "sealed" : ""});
      }
      PrintTable({"ID", "KIND", "FILE", "TYPE", "BYTES", "SHA-256", ""}, rows);
      return 0;
    }
    if (verb == "history") {
      v1::GetIssueHistoryRequest req;
      req.set_id(IdArg(args, 3));
      req.set_page_size(absl::GetFlag(FLAGS_page_size));
      req.set_newest_first(absl::GetFlag(FLAGS_newest_first));
      v1::GetIssueHistoryResponse resp;
      auto status = stub_->GetIssueHistory(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      if (json_) return Print(resp);
      std::vector<std::vector<std::string>> rows;
      for (const auto& r : resp.records()) {
        rows.push_back(
            {absl::StrCat(r.seq()), r.action(), r.actor(), r.actor_org(), r.hash().substr(0, 16)});
      }
      PrintTable({"SEQ", "ACTION", "ACTOR", "ORG", "HASH"}, rows);
      return 0;
    }
    if (verb == "verify") {
      v1::VerifyIssueHistoryRequest req;
      req.set_id(IdArg(args, 3));
      v1::VerifyIssueHistoryResponse resp;
      auto status = stub_->VerifyIssueHistory(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      if (json_) return Print(resp);
      if (resp.ok()) {
        std::cout << "OK: " << resp.records_checked() << " records and " << resp.evidence_checked()
                  << " files match their chain\n";
        return 0;
      }
      std::cout << "TAMPERED at record " << resp.first_bad_seq() << ": " << resp.problem() << "\n";
      return 3;
    }
    Fail(absl::StrCat("unknown issues command \"", verb, "\"\n", kUsage));
  }

  int Stats() {
    v1::GetLedgerStatsRequest req;
    req.set_region_code(absl::GetFlag(FLAGS_region));
    v1::LedgerStats resp;
    auto status = stub_->GetLedgerStats(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    if (json_) return Print(resp);
    std::cout << "as of " << resp.as_of_date() << ": " << resp.total() << " issues, "
              << resp.rectification_completed() << " rectified ("
              << absl::StrFormat("%.1f%%", 100 * resp.completion_rate()) << "), "
              << resp.accepted_and_closed() << " accepted and closed ("
              << absl::StrFormat("%.1f%%", 100 * resp.closure_rate()) << "), "
              << resp.acceptance_not_completed() << " in acceptance, "
              << resp.acceptance_not_applied() << " done but not applied for, " << resp.overdue()
              << " overdue\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : resp.by_state())
      rows.push_back({"state", c.key(), absl::StrCat(c.count())});
    for (const auto& c : resp.by_city()) rows.push_back({"city", c.key(), absl::StrCat(c.count())});
    for (const auto& c : resp.by_category()) {
      rows.push_back({"category", c.key(), absl::StrCat(c.count())});
    }
    PrintTable({"BY", "KEY", "ISSUES"}, rows);
    return 0;
  }

  int Export() {
    v1::ExportLedgerRequest req;
    req.set_filter(absl::GetFlag(FLAGS_filter));
    req.set_order_by(absl::GetFlag(FLAGS_order_by));
    std::string format = absl::GetFlag(FLAGS_format);
    req.set_format(format == "xlsx" ? v1::ExportLedgerRequest::XLSX : v1::ExportLedgerRequest::CSV);
    grpc::ClientContext ctx;
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    auto reader = stub_->ExportLedger(&ctx, req);
    v1::ExportChunk chunk;
    std::string name, data;
    while (reader->Read(&chunk)) {
      if (!chunk.file_name().empty()) name = chunk.file_name();
      data += chunk.data();
    }
    auto status = reader->Finish();
    if (!status.ok()) return Report(status);
    std::string out = absl::GetFlag(FLAGS_out).empty() ? name : absl::GetFlag(FLAGS_out);
    std::ofstream file(out, std::ios::binary);
    file << data;
    if (!file) Fail("cannot write " + out);
    std::cout << "wrote " << out << " (" << data.size() << " bytes)\n";
    return 0;
  }

  int Upload(int64_t issue) {
    std::ifstream in(absl::GetFlag(FLAGS_file), std::ios::binary);
    if (absl::GetFlag(FLAGS_file).empty() || !in) Fail("--file: a readable file");
    v1::Evidence resp;
    grpc::ClientContext ctx;
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    auto writer = stub_->UploadEvidence(&ctx, &resp);
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
    if (!status.ok()) return Report(status);
    return Print(resp);
  }

  int Download(int64_t issue, int64_t evidence) {
    v1::DownloadEvidenceRequest req;
    req.set_issue_id(issue);
    req.set_evidence_id(evidence);
    grpc::ClientContext ctx;
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    auto reader = stub_->DownloadEvidence(&ctx, req);
    v1::EvidenceChunk chunk;
    std::string name, data;
    while (reader->Read(&chunk)) {
      if (chunk.has_evidence()) name = chunk.evidence().file_name();
      data += chunk.data();
    }
    auto status = reader->Finish();
    if (!status.ok()) return Report(status);
    std::string out = absl::GetFlag(FLAGS_out).empty() ? name : absl::GetFlag(FLAGS_out);
    std::ofstream file(out, std::ios::binary);
    file << data;
    if (!file) Fail("cannot write " + out);
    std::cout << "wrote " << out << " (" << data.size() << " bytes)\n";
    return 0;
  }

  int Watch() {
    v1::WatchEventsRequest req;
    req.set_after_cursor(absl::GetFlag(FLAGS_after));
    for (const auto& t : SplitList(absl::GetFlag(FLAGS_types))) req.add_types(t);
    grpc::ClientContext ctx;  // no deadline: a watch follows until interrupted
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    auto reader = stub_->WatchEvents(&ctx, req);
    v1::Event event;
    int limit = absl::GetFlag(FLAGS_limit);
    int n = 0;
    while (reader->Read(&event)) {
      if (json_) {
        std::string line;
        google::protobuf::util::JsonPrintOptions o;
        o.preserve_proto_field_names = true;
        (void)google::protobuf::util::MessageToJsonString(event, &line, o);
        std::cout << line << std::endl;
      } else {
        std::cout << event.cursor() << "  " << event.type() << "  " << event.resource() << "  by "
                  << event.actor() << " (" << event.actor_org() << ")" << std::endl;
      }
      if (limit > 0 && ++n >= limit) {
        ctx.TryCancel();
        break;
      }
    }
    auto status = reader->Finish();
    if (!status.ok() && !(limit > 0 && n >= limit)) return Report(status);
    return 0;
  }

 private:
  // Calls an RPC that answers with the issue, and shows it.
  template <typename Request>
  int IssueAction(grpc::Status (v1::IssueRegistry::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, v1::Issue*),
                  const Request& req) {
    v1::Issue resp;
    auto status = (stub_.get()->*method)(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    return json_ ? Print(resp) : PrintIssue(resp);
  }

  int Print(const google::protobuf::Message& m) {
    std::cout << Json(m);
    return 0;
  }

  static int64_t IdArg(const std::vector<std::string>& args, size_t i) {
    int64_t id = 0;
    if (args.size() <= i || !absl::SimpleAtoi(args[i], &id)) Fail("expected an id");
    return id;
  }

  int PrintIssue(const v1::Issue& i) {
    std::vector<std::vector<std::string>> rows = {
        {"id", absl::StrCat(i.id())},
        {"title", i.title()},
        {"state", v1::Issue::State_Name(i.state())},
        {"source", v1::Issue::Source_Name(i.source())},
        {"category", v1::Issue::Category_Name(i.category())},
        {"region", i.region_code()},
        {"site", i.site()},
        {"class", v1::Issue::RectificationClass_Name(i.rectification_class())},
        {"priority", v1::Issue::Priority_Name(i.priority())},
        {"lead org", i.lead_org_id()},
        {"rectifying", absl::StrJoin(i.responsible_org_ids(), ", ")},
        {"acceptance", i.acceptance_org_id()},
        {"reviewers", absl::StrJoin(i.joint_reviewer_org_ids(), ", ")},
        {"deadline", absl::StrCat(i.deadline(), i.overdue() ? "  (OVERDUE)" : "")},
        {"progress", absl::StrCat(i.progress_percent(), "%")},
        {"rejections",
         absl::StrCat(i.rejection_count(), i.last_rejection_reason().empty()
                                               ? ""
                                               : "  last: " + i.last_rejection_reason())},
        {"etag", i.etag()},
    };
    if (i.has_notice()) {
      rows.push_back(
          {"public notice", absl::StrCat(i.notice().start_date(), " to ", i.notice().end_date())});
    }
    for (const auto& m : i.measures()) {
      rows.push_back({absl::StrCat("measure ", m.id()),
                      absl::StrCat(m.done() ? "[x] " : "[ ] ", m.description(),
                                   m.due_date().empty() ? "" : "  due " + m.due_date())});
    }
    PrintTable({"FIELD", "VALUE"}, rows);
    return 0;
  }

  int ListIssues() {
    v1::ListIssuesRequest req;
    req.set_filter(absl::GetFlag(FLAGS_filter));
    req.set_order_by(absl::GetFlag(FLAGS_order_by));
    req.set_page_size(absl::GetFlag(FLAGS_page_size));
    req.set_page_token(absl::GetFlag(FLAGS_page_token));
    std::vector<std::vector<std::string>> rows;
    v1::ListIssuesResponse all;
    while (true) {
      v1::ListIssuesResponse resp;
      auto status = stub_->ListIssues(Context().get(), req, &resp);
      if (!status.ok()) return Report(status);
      for (const auto& i : resp.issues()) {
        *all.add_issues() = i;
        rows.push_back({absl::StrCat(i.id()), v1::Issue::State_Name(i.state()), i.region_code(),
                        v1::Issue::Category_Name(i.category()), i.lead_org_id(),
                        absl::StrCat(i.deadline(), i.overdue() ? "!" : ""),
                        absl::StrCat(i.progress_percent(), "%"), Clip(i.title(), 40)});
      }
      all.set_next_page_token(resp.next_page_token());
      if (!absl::GetFlag(FLAGS_all) || resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    if (json_) return Print(all);
    PrintTable({"ID", "STATE", "REGION", "CATEGORY", "LEAD", "DEADLINE", "DONE", "TITLE"}, rows);
    if (!all.next_page_token().empty()) {
      std::cout << "\nmore: --page_token=" << all.next_page_token() << "  (or --all)\n";
    }
    return 0;
  }

  int CreateIssue() {
    v1::CreateIssueRequest req;
    auto* i = req.mutable_issue();
    i->set_title(absl::GetFlag(FLAGS_title));
    i->set_description(absl::GetFlag(FLAGS_description));
    i->set_category(ParseEnumFlag<v1::Issue::Category>(absl::GetFlag(FLAGS_category),
                                                       v1::Issue::Category_Parse, "category"));
    i->set_source(ParseEnumFlag<v1::Issue::Source>(absl::GetFlag(FLAGS_source),
                                                   v1::Issue::Source_Parse, "source"));
    i->set_priority(ParseEnumFlag<v1::Issue::Priority>(absl::GetFlag(FLAGS_priority),
                                                       v1::Issue::Priority_Parse, "priority"));
    i->set_region_code(absl::GetFlag(FLAGS_region));
    i->set_site(absl::GetFlag(FLAGS_site));
    i->set_inspection_id(absl::GetFlag(FLAGS_inspection));
    for (const auto& m :
         absl::StrSplit(absl::GetFlag(FLAGS_measures), ';', absl::SkipWhitespace())) {
      i->add_measures()->set_description(std::string(m));
    }
    if (i->source() == v1::Issue::COMPLAINT) {
      i->mutable_complaint()->set_batch(absl::GetFlag(FLAGS_batch));
    }
    req.set_request_id(absl::GetFlag(FLAGS_request_id));
    return IssueAction(&v1::IssueRegistry::Stub::CreateIssue, req);
  }

  int AssignIssue(int64_t id) {
    v1::AssignIssueRequest req;
    req.set_id(id);
    req.set_lead_org_id(absl::GetFlag(FLAGS_lead));
    for (const auto& o : SplitList(absl::GetFlag(FLAGS_rectifiers))) req.add_responsible_org_ids(o);
    req.set_acceptance_org_id(absl::GetFlag(FLAGS_acceptance));
    for (const auto& o : SplitList(absl::GetFlag(FLAGS_reviewers))) {
      req.add_joint_reviewer_org_ids(o);
    }
    req.set_deadline(absl::GetFlag(FLAGS_deadline));
    if (!absl::GetFlag(FLAGS_deadline_passed_because).empty()) {
      req.set_deadline_already_passed(true);
      req.set_deadline_reason(absl::GetFlag(FLAGS_deadline_passed_because));
    }
    req.set_rectification_class(ParseEnumFlag<v1::Issue::RectificationClass>(
        absl::GetFlag(FLAGS_klass), v1::Issue::RectificationClass_Parse, "klass"));
    req.set_responsible_official(absl::GetFlag(FLAGS_official));
    req.set_etag(absl::GetFlag(FLAGS_etag));
    req.set_request_id(absl::GetFlag(FLAGS_request_id));
    return IssueAction(&v1::IssueRegistry::Stub::AssignIssue, req);
  }

  int ReportProgress(int64_t id) {
    v1::ReportProgressRequest req;
    req.set_issue_id(id);
    req.mutable_report()->set_percent_done(absl::GetFlag(FLAGS_percent));
    req.mutable_report()->set_narrative(absl::GetFlag(FLAGS_narrative));
    for (const auto& m : SplitList(absl::GetFlag(FLAGS_done))) {
      auto* u = req.mutable_report()->add_measure_updates();
      u->set_measure_id(m);
      u->set_done(true);
    }
    req.set_request_id(absl::GetFlag(FLAGS_request_id));
    v1::ProgressReport resp;
    auto status = stub_->ReportProgress(Context().get(), req, &resp);
    if (!status.ok()) return Report(status);
    return Print(resp);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<IssueRegistry::Stub> stub_;
  std::string token_;
  bool json_ = false;
};

// `rectctl cases ...`: the accountability docket.
class CasesCli {
 public:
  CasesCli()
      : stub_(v1::Accountability::NewStub(grpc::CreateChannel(
            absl::GetFlag(FLAGS_accountability_addr), grpc::InsecureChannelCredentials()))),
        token_(absl::GetFlag(FLAGS_token)),
        json_(absl::GetFlag(FLAGS_json)) {}

  int Run(const std::vector<std::string>& args) {
    std::string verb = args.size() > 2 ? args[2] : "list";
    auto id = [&] {
      int64_t v = 0;
      if (args.size() < 4 || !absl::SimpleAtoi(args[3], &v)) Fail("expected a case id");
      return v;
    };
    auto rid = absl::GetFlag(FLAGS_request_id);
    // Every case action names its case, may carry an etag and an idempotency key.
    auto stamp = [&](auto& req) {
      req.set_id(id());
      req.set_etag(absl::GetFlag(FLAGS_etag));
      req.set_request_id(rid);
    };
    if (verb == "list") {
      v1::ListCasesRequest req;
      req.set_filter(absl::GetFlag(FLAGS_filter));
      req.set_page_size(absl::GetFlag(FLAGS_page_size));
      v1::ListCasesResponse resp;
      auto s = stub_->ListCases(Context().get(), req, &resp);
      if (!s.ok()) return Report(s);
      if (json_) return Print(resp);
      std::vector<std::vector<std::string>> rows;
      for (const auto& c : resp.cases()) {
        std::vector<std::string> types;
        for (int t : c.failure_types()) types.push_back(v1::Case::FailureType_Name(t));
        rows.push_back({absl::StrCat(c.id()), v1::Case::State_Name(c.state()),
                        v1::Case::Source_Name(c.source()), c.region_code(),
                        absl::StrJoin(types, ","), Clip(c.summary(), 40)});
      }
      PrintTable({"ID", "STATE", "SOURCE", "REGION", "FAILURES", "SUMMARY"}, rows);
      return 0;
    }
    if (verb == "get") {
      v1::GetCaseRequest req;
      req.set_id(id());
      return Call(&v1::Accountability::Stub::GetCase, req);
    }
    if (verb == "open") {
      v1::OpenCaseRequest req;
      auto* c = req.mutable_case_();
      c->set_source(ParseEnumFlag<v1::Case::Source>(absl::GetFlag(FLAGS_case_source),
                                                    v1::Case::Source_Parse, "case_source"));
      for (const auto& i : SplitList(absl::GetFlag(FLAGS_issues))) {
        int64_t v = 0;
        if (!absl::SimpleAtoi(i, &v)) Fail("--issues: ids, comma separated");
        c->add_issue_ids(v);
      }
      for (const auto& f : SplitList(absl::GetFlag(FLAGS_failure_types))) {
        c->add_failure_types(
            ParseEnumFlag<v1::Case::FailureType>(f, v1::Case::FailureType_Parse, "failure_types"));
      }
      for (const auto& o : SplitList(absl::GetFlag(FLAGS_subject_orgs))) {
        auto* s = c->add_subjects();
        s->set_kind(v1::Subject::ORG);
        s->set_org_id(o);
      }
      for (const auto& o : SplitList(absl::GetFlag(FLAGS_officials))) {
        std::vector<std::string> parts = absl::StrSplit(o, ':');
        if (parts.size() != 3) Fail("--officials: org:name:post");
        auto* s = c->add_subjects();
        s->set_kind(v1::Subject::OFFICIAL);
        s->set_org_id(parts[0]);
        s->set_name(parts[1]);
        s->set_post(parts[2]);
      }
      c->set_summary(absl::GetFlag(FLAGS_summary));
      c->set_transfer_id(absl::GetFlag(FLAGS_transfer_id));
      req.set_request_id(rid);
      return Call(&v1::Accountability::Stub::OpenCase, req);
    }
    if (verb == "start") {
      v1::StartInvestigationRequest req;
      stamp(req);
      return Call(&v1::Accountability::Stub::StartInvestigation, req);
    }
    if (verb == "finding") {
      v1::RecordFindingRequest req;
      stamp(req);
      req.mutable_finding()->set_facts(absl::GetFlag(FLAGS_facts));
      for (const auto& f : SplitList(absl::GetFlag(FLAGS_failure_types))) {
        req.mutable_finding()->add_confirmed(
            ParseEnumFlag<v1::Case::FailureType>(f, v1::Case::FailureType_Parse, "failure_types"));
      }
      return Call(&v1::Accountability::Stub::RecordFinding, req);
    }
    if (verb == "decide") {
      v1::DecideCaseRequest req;
      stamp(req);
      int index = 0;
      for (const auto& s : SplitList(absl::GetFlag(FLAGS_sanctions))) {
        auto* ss = req.add_sanctions();
        ss->set_subject_index(index++);
        ss->set_sanction(ParseEnumFlag<v1::Sanction>(s, v1::Sanction_Parse, "sanctions"));
      }
      req.set_decided_by(absl::GetFlag(FLAGS_decided_by));
      req.set_decision_date(absl::GetFlag(FLAGS_decision_date));
      return Call(&v1::Accountability::Stub::DecideCase, req);
    }
    if (verb == "close") {
      v1::CloseCaseRequest req;
      stamp(req);
      return Call(&v1::Accountability::Stub::CloseCase, req);
    }
    if (verb == "dismiss") {
      v1::DismissCaseRequest req;
      stamp(req);
      req.set_reason(absl::GetFlag(FLAGS_reason));
      return Call(&v1::Accountability::Stub::DismissCase, req);
    }
    if (verb == "stats") {
      v1::GetAccountabilityStatsRequest req;
      req.set_region_code(absl::GetFlag(FLAGS_region));
      v1::AccountabilityStats resp;
      auto s = stub_->GetAccountabilityStats(Context().get(), req, &resp);
      if (!s.ok()) return Report(s);
      if (json_) return Print(resp);
      std::cout << resp.cases() << " cases, " << resp.transferred_cases()
                << " transferred for accountability (" << resp.transferred_problems()
                << " problems), " << resp.officials_held_accountable() << " officials and "
                << resp.orgs_held_accountable() << " orgs held accountable\n";
      return 0;
    }
    Fail(absl::StrCat("unknown cases command \"", verb, "\"\n", kUsage));
  }

 private:
  std::unique_ptr<grpc::ClientContext> Context() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
    if (!token_.empty()) ctx->AddMetadata("authorization", "Bearer " + token_);
    return ctx;
  }

  template <typename Request>
  int Call(grpc::Status (v1::Accountability::Stub::*method)(grpc::ClientContext*, const Request&,
                                                            v1::Case*),
           const Request& req) {
    v1::Case resp;
    auto s = (stub_.get()->*method)(Context().get(), req, &resp);
    if (!s.ok()) return Report(s);
    return Print(resp);
  }

  int Print(const google::protobuf::Message& m) {
    std::cout << Json(m);
    return 0;
  }

  std::unique_ptr<v1::Accountability::Stub> stub_;
  std::string token_;
  bool json_;
};

int MintDevelopmentToken() {
  auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_key));
  if (absl::GetFlag(FLAGS_dev_key).empty() || !key.ok()) {
    Fail("token needs --dev_key (the development signing key, e.g. @.rectify/jwt.key)");
  }
  // Development keys carry a marker; a production key is refused so that this command can
  // never mint real credentials.
  if (!absl::StartsWith(*key, "rectify-dev-")) {
    Fail("--dev_key is not a development signing key (it must start with rectify-dev-)");
  }
  auto role = ParseRole(absl::GetFlag(FLAGS_role));
  if (!role)
    Fail("--role: office, department, city, county, supervisor, discipline, public, service");
  Principal p;
  p.role = *role;
  p.org = absl::GetFlag(FLAGS_org);
  p.region = absl::GetFlag(FLAGS_region);
  p.subject = absl::GetFlag(FLAGS_sub);
  if (p.subject.empty())
    p.subject = absl::StrCat(RoleName(p.role), "@", p.org.empty() ? "public" : p.org);
  JwtSettings settings{*key, absl::GetFlag(FLAGS_issuer), absl::GetFlag(FLAGS_audience)};
  std::cout << MintToken(settings, p, absl::Now(), absl::Hours(absl::GetFlag(FLAGS_ttl_hours)))
            << "\n";
  return 0;
}

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) {
  using namespace rectify;
  auto raw = ParseFlagsWithEnvironment(argc, argv, kUsage);
  std::vector<std::string> args(raw.begin(), raw.end());
  if (args.size() < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& cmd = args[1];
  if (cmd == "token") return MintDevelopmentToken();
  if (cmd == "cases") return CasesCli().Run(args);
  Cli cli;
  if (cmd == "health") return cli.Health();
  if (cmd == "regions") return cli.Regions();
  if (cmd == "orgs") return cli.Orgs();
  if (cmd == "inspections") return cli.Inspections(args);
  if (cmd == "issues") return cli.Issues(args);
  if (cmd == "watch") return cli.Watch();
  if (cmd == "stats") return cli.Stats();
  if (cmd == "export") return cli.Export();
  std::fprintf(stderr, "unknown command \"%s\"\n%s", cmd.c_str(), kUsage);
  return 2;
}
