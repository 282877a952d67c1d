// `rectctl supervision`: whole-process supervision, served by supervision-service — the board
// of records, the escalation ladder and its sweeps, obligations, linkage, meetings and
// directives, the battle map, the policy and the service's status.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/rectctl/command.h"
#include "common/clock.h"
#include "common/proto_types.h"

ABSL_FLAG(std::string, level, "",
          "supervision escalate: WARNING, NOTICE, INTERVIEW, LISTED, TRANSFER");
ABSL_FLAG(std::string, skip_reason, "", "supervision escalate: why a level is skipped");
ABSL_FLAG(std::string, response_kind, "EXPLANATION",
          "supervision respond: INTERVIEW_RECORD, COMMITMENT or EXPLANATION");
ABSL_FLAG(std::string, text, "", "supervision respond/answer: the text");
ABSL_FLAG(std::string, as_of, "", "supervision sweep/map: YYYY-MM-DD or RFC 3339 (default: now)");
ABSL_FLAG(std::string, target, "", "supervision link: the department asked");
ABSL_FLAG(std::string, action, "", "supervision link: what it is asked to do");
ABSL_FLAG(std::string, due, "", "supervision link: YYYY-MM-DD");
ABSL_FLAG(std::string, answer, "", "supervision answer: ACCEPT, REPORT_DONE or DECLINE");
ABSL_FLAG(std::string, note, "", "supervision complete: how the directive was done");

namespace rectify::rectctl {
namespace {

using Stub = v1::Supervision::Stub;

template <typename Request, typename Response>
int Call(Session& session,
         grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
         const Request& req) {
  Response resp;
  auto s = (session.Supervision().*method)(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  return session.Print(resp);
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", FromProtoTime(t), ProvinceTimeZone());
}

// --as_of as an instant, into `request` when given: a date is its province midnight plus ten
// hours (office hours).
template <typename Request>
void AsOf(Request& request) {
  std::string text = absl::GetFlag(FLAGS_as_of);
  if (text.empty()) return;
  if (auto day = ParseDate(text)) {
    *request.mutable_as_of() =
        ToProtoTime(absl::FromCivil(*day, ProvinceTimeZone()) + absl::Hours(10));
    return;
  }
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    Fail(absl::StrCat("--as_of: a date YYYY-MM-DD or an RFC 3339 time (", error, ")"));
  }
  *request.mutable_as_of() = ToProtoTime(t);
}

int Board(Session& session, const Args&) {
  v1::ListSupervisionRecordsRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListSupervisionRecordsResponse resp;
  auto s = session.Supervision().ListSupervisionRecords(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : resp.records()) {
    std::vector<std::string> open;
    for (int l : r.open_escalations()) {
      open.push_back(v1::Escalation::Level_Name(static_cast<v1::Escalation::Level>(l)));
    }
    rows.push_back({absl::StrCat(r.issue_id()), v1::SupervisionRecord::Light_Name(r.light()),
                    v1::SupervisionRecord::Level_Name(r.level()),
                    v1::Issue::State_Name(r.issue_state()), r.region_code(), r.lead_org_id(),
                    r.deadline(), absl::StrCat(r.progress_percent(), "%"), absl::StrJoin(open, ","),
                    Clip(r.title(), 30)});
  }
  PrintPage(
      {"ISSUE", "LIGHT", "LEVEL", "STATE", "REGION", "LEAD", "DEADLINE", "DONE", "OPEN", "TITLE"},
      rows, resp.next_page_token());
  return 0;
}

int Record(Session& session, const Args& args) {
  v1::GetSupervisionRecordRequest req;
  req.set_issue_id(IdArg(args, 0, "an issue id"));
  return Call(session, &Stub::GetSupervisionRecord, req);
}

int Escalations(Session& session, const Args&) {
  v1::ListEscalationsRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListEscalationsResponse resp;
  auto s = session.Supervision().ListEscalations(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : resp.escalations()) {
    std::string transfer;
    if (e.has_transfer()) {
      transfer = absl::StrCat(
          v1::Escalation::Transfer::State_Name(e.transfer().state()),
          e.transfer().case_id() ? absl::StrCat(" case ", e.transfer().case_id()) : "");
    }
    rows.push_back({absl::StrCat(e.id()), absl::StrCat(e.issue_id()),
                    v1::Escalation::Level_Name(e.level()), v1::Escalation::State_Name(e.state()),
                    v1::Escalation::Cause_Name(e.cause()), e.org_id(), Time(e.as_of()), transfer,
                    Clip(e.detail(), 40)});
  }
  PrintPage({"ID", "ISSUE", "LEVEL", "STATE", "CAUSE", "ORG", "AS OF", "TRANSFER", "DETAIL"}, rows,
            resp.next_page_token());
  return 0;
}

int Escalation(Session& session, const Args& args) {
  v1::GetEscalationRequest req;
  req.set_id(IdArg(args, 0, "an escalation id"));
  return Call(session, &Stub::GetEscalation, req);
}

int Escalate(Session& session, const Args& args) {
  v1::EscalateIssueRequest req;
  req.set_issue_id(IdArg(args, 0, "an issue id"));
  req.set_level(ParseEnumFlag<v1::Escalation::Level>(absl::GetFlag(FLAGS_level),
                                                     v1::Escalation::Level_Parse, "level"));
  req.set_reason(absl::GetFlag(FLAGS_reason));
  req.set_skip_reason(absl::GetFlag(FLAGS_skip_reason));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::EscalateIssue, req);
}

int Respond(Session& session, const Args& args) {
  v1::RespondToEscalationRequest req;
  req.set_id(IdArg(args, 0, "an escalation id"));
  req.set_kind(ParseEnumFlag<v1::Escalation::ResponseKind>(
      absl::GetFlag(FLAGS_response_kind), v1::Escalation::ResponseKind_Parse, "response_kind"));
  req.set_text(absl::GetFlag(FLAGS_text));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::RespondToEscalation, req);
}

int Resolve(Session& session, const Args& args) {
  v1::ResolveEscalationRequest req;
  req.set_id(IdArg(args, 0, "an escalation id"));
  req.set_reason(absl::GetFlag(FLAGS_reason));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::ResolveEscalation, req);
}

int Sweep(Session& session, const Args&) {
  v1::RunSweepRequest req;
  AsOf(req);
  v1::RunSweepResponse resp;
  auto s = session.Supervision().RunSweep(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::cout << "evaluated " << resp.evaluated() << " supervised issues under policy version "
            << resp.policy_version() << "; raised " << resp.raised_count();
  for (const auto& c : resp.raised_by_level()) std::cout << " " << c.key() << "=" << c.count();
  std::cout << (resp.raised_count() > resp.raised_size() ? " (the first shown)" : "") << "\n";
  for (const auto& e : resp.raised()) {
    std::cout << "  " << e.id() << "  issue " << e.issue_id() << "  "
              << v1::Escalation::Level_Name(e.level()) << "  " << e.org_id() << "  " << e.detail()
              << "\n";
  }
  return 0;
}

int Obligations(Session& session, const Args&) {
  v1::ListObligationsRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListObligationsResponse resp;
  auto s = session.Supervision().ListObligations(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : resp.obligations()) {
    rows.push_back({absl::StrCat(o.id()), absl::StrCat(o.issue_id()),
                    v1::Obligation::Kind_Name(o.kind()), o.owner_org_id(), Time(o.due_time()),
                    v1::Obligation::State_Name(o.state()), Time(o.met_time())});
  }
  PrintPage({"ID", "ISSUE", "KIND", "OWNER", "DUE", "STATE", "MET"}, rows, resp.next_page_token());
  return 0;
}

int Sign(Session& session, const Args& args) {
  v1::SignObligationRequest req;
  req.set_id(IdArg(args, 0, "an obligation id"));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::SignObligation, req);
}

int LinkageList(Session& session, const Args&) {
  v1::ListLinkageRequestsRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListLinkageRequestsResponse resp;
  auto s = session.Supervision().ListLinkageRequests(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : resp.linkage_requests()) {
    rows.push_back({absl::StrCat(l.id()), absl::StrCat(l.issue_id()), l.requesting_org_id(),
                    l.target_org_id(), l.due_date(), v1::LinkageRequest::State_Name(l.state()),
                    Clip(l.action(), 40)});
  }
  PrintPage({"ID", "ISSUE", "FROM", "TO", "DUE", "STATE", "ACTION"}, rows, resp.next_page_token());
  return 0;
}

int Link(Session& session, const Args& args) {
  v1::CreateLinkageRequestRequest req;
  auto* l = req.mutable_linkage();
  l->set_issue_id(IdArg(args, 0, "an issue id"));
  l->set_target_org_id(absl::GetFlag(FLAGS_target));
  l->set_action(absl::GetFlag(FLAGS_action));
  l->set_due_date(absl::GetFlag(FLAGS_due));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::CreateLinkageRequest, req);
}

int Answer(Session& session, const Args& args) {
  v1::RespondToLinkageRequest req;
  req.set_id(IdArg(args, 0, "a linkage request id"));
  req.set_answer(ParseEnumFlag<v1::LinkageRequest::Answer>(
      absl::GetFlag(FLAGS_answer), v1::LinkageRequest::Answer_Parse, "answer"));
  req.set_text(absl::GetFlag(FLAGS_text));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::RespondToLinkage, req);
}

int Meetings(Session& session, const Args&) {
  v1::ListMeetingsRequest req;
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  return Call(session, &Stub::ListMeetings, req);
}

int Directives(Session& session, const Args&) {
  v1::ListDirectivesRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  req.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListDirectivesResponse resp;
  auto s = session.Supervision().ListDirectives(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : resp.directives()) {
    rows.push_back({absl::StrCat(d.id()), absl::StrCat(d.meeting_id()), d.owner_org_id(),
                    d.due_date(), v1::Directive::State_Name(d.state()),
                    d.issue_id() ? absl::StrCat(d.issue_id()) : "", Clip(d.text(), 40)});
  }
  PrintPage({"ID", "MEETING", "OWNER", "DUE", "STATE", "ISSUE", "TEXT"}, rows,
            resp.next_page_token());
  return 0;
}

int Complete(Session& session, const Args& args) {
  v1::CompleteDirectiveRequest req;
  req.set_id(IdArg(args, 0, "a directive id"));
  req.set_note(absl::GetFlag(FLAGS_note));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::CompleteDirective, req);
}

int Map(Session& session, const Args&) {
  v1::GetBattleMapRequest req;
  req.set_region_code(absl::GetFlag(FLAGS_region));
  AsOf(req);
  v1::BattleMap resp;
  auto s = session.Supervision().GetBattleMap(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  auto row = [](const v1::BattleMap::Tile& t) {
    std::string escalations;
    for (const auto& c : t.escalations())
      absl::StrAppend(&escalations, c.key(), "=", c.count(), " ");
    return std::vector<std::string>{t.region_code(),
                                    t.name(),
                                    absl::StrCat(t.supervised()),
                                    absl::StrCat(t.green()),
                                    absl::StrCat(t.yellow()),
                                    absl::StrCat(t.red()),
                                    absl::StrCat(t.overdue()),
                                    absl::StrFormat("%.0f%%", 100 * t.completion_rate()),
                                    escalations};
  };
  std::vector<std::vector<std::string>> rows = {row(resp.total())};
  for (const auto& t : resp.tiles()) rows.push_back(row(t));
  std::cout << "as of " << resp.as_of_date() << "\n";
  PrintTable({"REGION", "NAME", "SUPERVISED", "GREEN", "YELLOW", "RED", "OVERDUE", "RECTIFIED",
              "OPEN ESCALATIONS"},
             rows);
  return 0;
}

int Circular(Session& session, const Args& args) {
  if (args.empty()) Fail("expected a period YYYY-MM");
  v1::GetCircularRequest req;
  req.set_period(args[0]);
  return Call(session, &Stub::GetCircular, req);
}

int Policy(Session& session, const Args&) {
  v1::GetEscalationPolicyRequest req;
  return Call(session, &Stub::GetEscalationPolicy, req);
}

int Status(Session& session, const Args&) {
  v1::GetSupervisionStatusRequest req;
  return Call(session, &Stub::GetSupervisionStatus, req);
}

}  // namespace

const Noun& SupervisionNoun() {
  static const Noun noun{
      .name = "supervision",
      .summary = "whole-process supervision (--supervision_addr)",
      .verbs =
          {
              {"board", "", "the supervised issues (--filter 'light = RED AND region = ...')",
               &Board},
              {"record", "ISSUE", "one issue's supervision record", &Record},
              {"escalations", "", "the ladder's escalations (--filter 'level = NOTICE ...')",
               &Escalations},
              {"escalation", "ID", "one escalation", &Escalation},
              {"escalate", "ISSUE", "escalate by hand (--level --reason [--skip_reason])",
               &Escalate},
              {"respond", "ID", "answer an escalation (--response_kind --text)", &Respond},
              {"resolve", "ID", "resolve an escalation (--reason)", &Resolve},
              {"sweep", "", "evaluate every supervised issue (--as_of)", &Sweep},
              {"obligations", "", "the three-level sign-offs and five reports (--filter)",
               &Obligations},
              {"sign", "ID", "sign off an obligation for your level", &Sign},
              {"linkage", "", "linkage requests between departments (--filter)", &LinkageList},
              {"link", "ISSUE", "ask a department to act (--target --action --due)", &Link},
              {"answer", "ID", "answer a linkage request (--answer --text)", &Answer},
              {"meetings", "", "the register of meetings", &Meetings},
              {"directives", "", "directives of meetings (--filter)", &Directives},
              {"complete", "ID", "complete a directive (--note)", &Complete},
              {"map", "", "the battle map (--region --as_of)", &Map},
              {"circular", "PERIOD", "a month's circular of notices (YYYY-MM)", &Circular},
              {"policy", "", "the escalation policy in force", &Policy},
              {"status", "", "consumer lag, policy version, last sweep", &Status},
          },
      .default_verb = "board",
  };
  return noun;
}

}  // namespace rectify::rectctl
