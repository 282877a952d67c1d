// `rectctl issues`: the ledger, from registration through closure acceptance (销号) to its
// history. The dossier's verbs are in dossier.cc.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/rectctl/command.h"
#include "cli/rectctl/dossier.h"

// list
ABSL_FLAG(bool, all, false, "list: follow every page");
// create
ABSL_FLAG(std::string, category, "", "create: WATER, AIR, SOIL, SOLID_WASTE, ECOLOGY, ...");
ABSL_FLAG(std::string, source, "FEEDBACK", "create: FEEDBACK, COMPLAINT, PROVINCIAL_FINDING, ...");
ABSL_FLAG(std::string, site, "", "create: site");
ABSL_FLAG(std::string, priority, "NORMAL", "create: NORMAL or KEY");
ABSL_FLAG(int64_t, inspection, 0, "create: inspection id");
ABSL_FLAG(std::string, batch, "", "create: complaint batch (source COMPLAINT)");
ABSL_FLAG(std::string, measures, "", "create: measures, separated by ';'");
// assign
ABSL_FLAG(std::string, lead, "", "assign: lead org");
ABSL_FLAG(std::string, rectifiers, "", "assign: rectifying orgs, comma separated");
ABSL_FLAG(std::string, acceptance, "", "assign: acceptance department");
ABSL_FLAG(std::string, reviewers, "", "assign: joint reviewers, comma separated");
ABSL_FLAG(std::string, deadline, "", "assign: YYYY-MM-DD");
ABSL_FLAG(std::string, deadline_passed_because, "",
          "assign: confirms a deadline before today, with the reason (recorded in history)");
ABSL_FLAG(std::string, klass, "TIME_LIMITED", "assign: IMMEDIATE, TIME_LIMITED or LONG_TERM");
ABSL_FLAG(std::string, official, "", "assign: responsible official");
// progress
ABSL_FLAG(int, percent, -1, "progress: percent done");
ABSL_FLAG(std::string, narrative, "", "progress: what was done");
ABSL_FLAG(std::string, done, "", "progress: measure ids now done, comma separated");
// closure acceptance
ABSL_FLAG(std::string, self_check, "", "apply: the self-check statement");
ABSL_FLAG(std::string, evidence, "", "apply: evidence ids of the dossier, comma separated");
ABSL_FLAG(bool, stage, false, "apply: a long-term issue's stage goal");
ABSL_FLAG(std::string, step, "", "review: ON_SITE, PRE_EXAMINATION or JOINT_REVIEW");
ABSL_FLAG(bool, reject, false, "review: reject (with --reason)");
ABSL_FLAG(int, days, 0, "notice: working days (0: the policy default)");
ABSL_FLAG(std::string, reopen_reason, "LOOK_BACK_FINDING",
          "reopen: LOOK_BACK_FINDING, REBOUND, ...");
ABSL_FLAG(std::string, cause, "", "reopen: what caused it, e.g. inspections/3");
// history
ABSL_FLAG(bool, newest_first, false, "history: newest record first");

namespace rectify::rectctl {
namespace {

using Stub = v1::IssueRegistry::Stub;

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

// Calls an RPC that answers with the issue, and shows it.
template <typename Request>
int IssueAction(Session& session,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, v1::Issue*),
                const Request& req) {
  v1::Issue resp;
  auto status = (session.Registry().*method)(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  return session.json() ? session.Print(resp) : PrintIssue(resp);
}

int List(Session& session, const Args&) {
  v1::ListIssuesRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_order_by(absl::GetFlag(FLAGS_order_by));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  std::vector<std::vector<std::string>> rows;
  v1::ListIssuesResponse all;
  while (true) {
    v1::ListIssuesResponse resp;
    auto status = session.Registry().ListIssues(session.Context().get(), req, &resp);
    if (!status.ok()) return session.Report(status);
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
  if (session.json()) return session.Print(all);
  PrintTable({"ID", "STATE", "REGION", "CATEGORY", "LEAD", "DEADLINE", "DONE", "TITLE"}, rows);
  if (!all.next_page_token().empty()) {
    std::cout << "\nmore: --page_token=" << all.next_page_token() << "  (or --all)\n";
  }
  return 0;
}

int Get(Session& session, const Args& args) {
  v1::GetIssueRequest req;
  req.set_id(IdArg(args, 0));
  return IssueAction(session, &Stub::GetIssue, req);
}

int Create(Session& session, const Args&) {
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
  for (const auto& m : absl::StrSplit(absl::GetFlag(FLAGS_measures), ';', absl::SkipWhitespace())) {
    i->add_measures()->set_description(std::string(m));
  }
  if (i->source() == v1::Issue::COMPLAINT) {
    i->mutable_complaint()->set_batch(absl::GetFlag(FLAGS_batch));
  }
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::CreateIssue, req);
}

int Assign(Session& session, const Args& args) {
  v1::AssignIssueRequest req;
  req.set_id(IdArg(args, 0));
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
  return IssueAction(session, &Stub::AssignIssue, req);
}

int Acknowledge(Session& session, const Args& args) {
  v1::AcknowledgeAssignmentRequest req;
  req.set_id(IdArg(args, 0));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::AcknowledgeAssignment, req);
}

int ReportProgress(Session& session, const Args& args) {
  v1::ReportProgressRequest req;
  req.set_issue_id(IdArg(args, 0));
  req.mutable_report()->set_percent_done(absl::GetFlag(FLAGS_percent));
  req.mutable_report()->set_narrative(absl::GetFlag(FLAGS_narrative));
  for (const auto& m : SplitList(absl::GetFlag(FLAGS_done))) {
    auto* u = req.mutable_report()->add_measure_updates();
    u->set_measure_id(m);
    u->set_done(true);
  }
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  v1::ProgressReport resp;
  auto status = session.Registry().ReportProgress(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  return session.Print(resp);
}

int ListReports(Session& session, const Args& args) {
  v1::ListProgressReportsRequest req;
  req.set_issue_id(IdArg(args, 0));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  v1::ListProgressReportsResponse resp;
  auto status = session.Registry().ListProgressReports(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : resp.reports()) {
    rows.push_back({absl::StrCat(r.id()), absl::StrCat(r.percent_done(), "%"), r.reporter_org_id(),
                    Clip(r.narrative(), 60)});
  }
  PrintTable({"ID", "DONE", "BY", "NARRATIVE"}, rows);
  return 0;
}

int Apply(Session& session, const Args& args) {
  v1::RequestAcceptanceRequest req;
  req.set_id(IdArg(args, 0));
  req.set_self_check(absl::GetFlag(FLAGS_self_check));
  for (const auto& e : SplitList(absl::GetFlag(FLAGS_evidence))) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(e, &id)) Fail("--evidence: ids, comma separated");
    req.add_evidence_ids(id);
  }
  req.set_stage(absl::GetFlag(FLAGS_stage));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::RequestAcceptance, req);
}

int Review(Session& session, const Args& args) {
  v1::ReviewAcceptanceRequest req;
  req.set_id(IdArg(args, 0));
  req.set_step(ParseEnumFlag<v1::AcceptanceStep>(absl::GetFlag(FLAGS_step),
                                                 v1::AcceptanceStep_Parse, "step"));
  req.set_decision(absl::GetFlag(FLAGS_reject) ? v1::REJECT : v1::APPROVE);
  req.set_reason(absl::GetFlag(FLAGS_reason));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::ReviewAcceptance, req);
}

int Notice(Session& session, const Args& args) {
  v1::OpenPublicNoticeRequest req;
  req.set_id(IdArg(args, 0));
  req.set_working_days(absl::GetFlag(FLAGS_days));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::OpenPublicNotice, req);
}

int Close(Session& session, const Args& args) {
  v1::CloseIssueRequest req;
  req.set_id(IdArg(args, 0));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::CloseIssue, req);
}

int Reopen(Session& session, const Args& args) {
  v1::ReopenIssueRequest req;
  req.set_id(IdArg(args, 0));
  req.set_reason(ParseEnumFlag<v1::Reopening::Reason>(
      absl::GetFlag(FLAGS_reopen_reason), v1::Reopening::Reason_Parse, "reopen_reason"));
  req.set_explanation(absl::GetFlag(FLAGS_reason));
  req.set_cause(absl::GetFlag(FLAGS_cause));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return IssueAction(session, &Stub::ReopenIssue, req);
}

int History(Session& session, const Args& args) {
  v1::GetIssueHistoryRequest req;
  req.set_id(IdArg(args, 0));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_newest_first(absl::GetFlag(FLAGS_newest_first));
  v1::GetIssueHistoryResponse resp;
  auto status = session.Registry().GetIssueHistory(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : resp.records()) {
    rows.push_back(
        {absl::StrCat(r.seq()), r.action(), r.actor(), r.actor_org(), r.hash().substr(0, 16)});
  }
  PrintTable({"SEQ", "ACTION", "ACTOR", "ORG", "HASH"}, rows);
  return 0;
}

// Exits with 3 when the chain is broken, so that scripts can tell tampering from a failed call.
int Verify(Session& session, const Args& args) {
  v1::VerifyIssueHistoryRequest req;
  req.set_id(IdArg(args, 0));
  v1::VerifyIssueHistoryResponse resp;
  auto status = session.Registry().VerifyIssueHistory(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  if (resp.ok()) {
    std::cout << "OK: " << resp.records_checked() << " records and " << resp.evidence_checked()
              << " files match their chain\n";
    return 0;
  }
  std::cout << "TAMPERED at record " << resp.first_bad_seq() << ": " << resp.problem() << "\n";
  return 3;
}

}  // namespace

const Noun& IssuesNoun() {
  static const Noun noun{
      .name = "issues",
      .summary = "the ledger and its closure acceptance (销号)",
      .verbs =
          {
              {"list", "", "a page of the ledger (--filter --order_by --page_token --all)", &List},
              {"get", "ID", "one issue", &Get},
              {"create", "", "register an issue (--title --category --region --source ...)",
               &Create},
              {"assign", "ID", "assign it, 交办 (--lead --rectifiers --acceptance --deadline)",
               &Assign},
              {"ack", "ID", "acknowledge the assignment", &Acknowledge},
              {"progress", "ID", "report progress (--percent --narrative --done)", &ReportProgress},
              {"reports", "ID", "its progress reports", &ListReports},
              {"apply", "ID", "apply for closure acceptance (--self_check --evidence)", &Apply},
              {"review", "ID",
               "on-site, pre-examination or joint review (--step --reject --reason)", &Review},
              {"notice", "ID", "open its public notice, 公示 (--days)", &Notice},
              {"close", "ID", "close it after the notice", &Close},
              {"reopen", "ID", "reopen it (--reopen_reason --reason --cause)", &Reopen},
              {"upload", "ID", "add a file to its dossier (--file --evidence_kind)",
               &UploadEvidence},
              {"download", "ID EVIDENCE_ID", "fetch a file of its dossier (--out)",
               &DownloadEvidence},
              {"evidence", "ID", "the files of its dossier", &ListEvidence},
              {"history", "ID", "its tamper-evident history (--newest_first)", &History},
              {"verify", "ID", "check its history's chain (exit 3: tampered)", &Verify},
          },
      .default_verb = "list",
  };
  return noun;
}

}  // namespace rectify::rectctl
