// `rectctl cases`: the accountability docket, served by accountability-service.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/rectctl/command.h"

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

namespace rectify::rectctl {
namespace {

using Stub = v1::Accountability::Stub;

// Every case action names its case, may carry an etag and an idempotency key.
template <typename Request>
void Stamp(Request& req, const Args& args) {
  req.set_id(IdArg(args, 0, "a case id"));
  req.set_etag(absl::GetFlag(FLAGS_etag));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
}

// Calls an RPC that answers with the case, and prints it as JSON.
template <typename Request>
int Call(Session& session,
         grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, v1::Case*),
         const Request& req) {
  v1::Case resp;
  auto s = (session.Accountability().*method)(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  return session.Print(resp);
}

v1::Case::FailureType FailureType(const std::string& value) {
  return ParseEnumFlag<v1::Case::FailureType>(value, v1::Case::FailureType_Parse, "failure_types");
}

int List(Session& session, const Args&) {
  v1::ListCasesRequest req;
  req.set_filter(absl::GetFlag(FLAGS_filter));
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  v1::ListCasesResponse resp;
  auto s = session.Accountability().ListCases(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : resp.cases()) {
    std::vector<std::string> types;
    for (int t : c.failure_types()) types.push_back(v1::Case::FailureType_Name(t));
    rows.push_back({absl::StrCat(c.id()), v1::Case::State_Name(c.state()),
                    v1::Case::Source_Name(c.source()), c.region_code(), absl::StrJoin(types, ","),
                    Clip(c.summary(), 40)});
  }
  PrintTable({"ID", "STATE", "SOURCE", "REGION", "FAILURES", "SUMMARY"}, rows);
  return 0;
}

int Get(Session& session, const Args& args) {
  v1::GetCaseRequest req;
  req.set_id(IdArg(args, 0, "a case id"));
  return Call(session, &Stub::GetCase, req);
}

int Open(Session& session, const Args&) {
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
    c->add_failure_types(FailureType(f));
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
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  return Call(session, &Stub::OpenCase, req);
}

int Start(Session& session, const Args& args) {
  v1::StartInvestigationRequest req;
  Stamp(req, args);
  return Call(session, &Stub::StartInvestigation, req);
}

int Finding(Session& session, const Args& args) {
  v1::RecordFindingRequest req;
  Stamp(req, args);
  req.mutable_finding()->set_facts(absl::GetFlag(FLAGS_facts));
  for (const auto& f : SplitList(absl::GetFlag(FLAGS_failure_types))) {
    req.mutable_finding()->add_confirmed(FailureType(f));
  }
  return Call(session, &Stub::RecordFinding, req);
}

int Decide(Session& session, const Args& args) {
  v1::DecideCaseRequest req;
  Stamp(req, args);
  // Sanctions go to the subjects in the order the case lists them.
  int index = 0;
  for (const auto& s : SplitList(absl::GetFlag(FLAGS_sanctions))) {
    auto* ss = req.add_sanctions();
    ss->set_subject_index(index++);
    ss->set_sanction(ParseEnumFlag<v1::Sanction>(s, v1::Sanction_Parse, "sanctions"));
  }
  req.set_decided_by(absl::GetFlag(FLAGS_decided_by));
  req.set_decision_date(absl::GetFlag(FLAGS_decision_date));
  return Call(session, &Stub::DecideCase, req);
}

int Close(Session& session, const Args& args) {
  v1::CloseCaseRequest req;
  Stamp(req, args);
  return Call(session, &Stub::CloseCase, req);
}

int Dismiss(Session& session, const Args& args) {
  v1::DismissCaseRequest req;
  Stamp(req, args);
  req.set_reason(absl::GetFlag(FLAGS_reason));
  return Call(session, &Stub::DismissCase, req);
}

int Stats(Session& session, const Args&) {
  v1::GetAccountabilityStatsRequest req;
  req.set_region_code(absl::GetFlag(FLAGS_region));
  v1::AccountabilityStats resp;
  auto s = session.Accountability().GetAccountabilityStats(session.Context().get(), req, &resp);
  if (!s.ok()) return session.Report(s);
  if (session.json()) return session.Print(resp);
  std::cout << resp.cases() << " cases, " << resp.transferred_cases()
            << " transferred for accountability (" << resp.transferred_problems() << " problems), "
            << resp.officials_held_accountable() << " officials and "
            << resp.orgs_held_accountable() << " orgs held accountable\n";
  return 0;
}

}  // namespace

const Noun& CasesNoun() {
  static const Noun noun{
      .name = "cases",
      .summary = "accountability cases (--accountability_addr)",
      .verbs =
          {
              {"list", "", "the docket (--filter)", &List},
              {"get", "ID", "one case", &Get},
              {"open", "", "open a case (--case_source --issues --subject_orgs ...)", &Open},
              {"start", "ID", "start the investigation", &Start},
              {"finding", "ID", "record the finding (--facts --failure_types)", &Finding},
              {"decide", "ID", "decide (--sanctions --decided_by --decision_date)", &Decide},
              {"close", "ID", "close the case", &Close},
              {"dismiss", "ID", "dismiss the case (--reason)", &Dismiss},
              {"stats", "", "accountability statistics (--region)", &Stats},
          },
      .default_verb = "list",
  };
  return noun;
}

}  // namespace rectify::rectctl
