// `rectctl inspections`: the inspection rounds whose findings become issues.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/rectctl/command.h"

ABSL_FLAG(std::string, team, "", "inspections create: team");
ABSL_FLAG(std::string, feedback_date, "", "inspections create: YYYY-MM-DD");

namespace rectify::rectctl {
namespace {

int List(Session& session, const Args&) {
  v1::ListInspectionsRequest req;
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  v1::ListInspectionsResponse resp;
  auto status = session.Registry().ListInspections(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& i : resp.inspections()) {
    rows.push_back({absl::StrCat(i.id()), v1::Inspection::Kind_Name(i.kind()), Clip(i.title(), 50),
                    i.feedback_date(), i.plan_due_date()});
  }
  PrintTable({"ID", "KIND", "TITLE", "FEEDBACK", "PLAN DUE"}, rows);
  return 0;
}

int Get(Session& session, const Args& args) {
  v1::GetInspectionRequest req;
  req.set_id(IdArg(args, 0));
  v1::Inspection resp;
  auto status = session.Registry().GetInspection(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  return session.Print(resp);
}

int Create(Session& session, const Args&) {
  v1::CreateInspectionRequest req;
  auto* i = req.mutable_inspection();
  i->set_kind(ParseEnumFlag<v1::Inspection::Kind>(absl::GetFlag(FLAGS_kind),
                                                  v1::Inspection::Kind_Parse, "kind"));
  i->set_title(absl::GetFlag(FLAGS_title));
  i->set_team(absl::GetFlag(FLAGS_team));
  // Without --region the round is the province's.
  i->set_region_code(absl::GetFlag(FLAGS_region).empty() ? "230000" : absl::GetFlag(FLAGS_region));
  i->set_feedback_date(absl::GetFlag(FLAGS_feedback_date));
  req.set_request_id(absl::GetFlag(FLAGS_request_id));
  v1::Inspection resp;
  auto status = session.Registry().CreateInspection(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  return session.Print(resp);
}

}  // namespace

const Noun& InspectionsNoun() {
  static const Noun noun{
      .name = "inspections",
      .summary = "inspection rounds",
      .verbs =
          {
              {"list", "", "the rounds", &List},
              {"get", "ID", "one round", &Get},
              {"create", "", "register a round (--kind --title --team --feedback_date --region)",
               &Create},
          },
      .default_verb = "list",
  };
  return noun;
}

}  // namespace rectify::rectctl
