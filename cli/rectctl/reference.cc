// `rectctl regions` and `rectctl orgs`: the reference data.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "cli/rectctl/command.h"

namespace rectify::rectctl {
namespace {

int Regions(Session& session, const Args&) {
  v1::ListRegionsRequest req;
  v1::ListRegionsResponse resp;
  auto status = session.Registry().ListRegions(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : resp.regions()) {
    rows.push_back({r.code(), r.name(), v1::Region::Level_Name(r.level()), r.parent_code()});
  }
  PrintTable({"CODE", "NAME", "LEVEL", "PARENT"}, rows);
  return 0;
}

int Orgs(Session& session, const Args&) {
  v1::ListOrgsRequest req;
  v1::ListOrgsResponse resp;
  if (!absl::GetFlag(FLAGS_kind).empty()) {
    req.set_kind(
        ParseEnumFlag<v1::Org::Kind>(absl::GetFlag(FLAGS_kind), v1::Org::Kind_Parse, "kind"));
  }
  auto status = session.Registry().ListOrgs(session.Context().get(), req, &resp);
  if (!status.ok()) return session.Report(status);
  if (session.json()) return session.Print(resp);
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : resp.orgs()) {
    rows.push_back({o.id(), o.name(), v1::Org::Kind_Name(o.kind()), o.region_code()});
  }
  PrintTable({"ID", "NAME", "KIND", "REGION"}, rows);
  return 0;
}

}  // namespace

const Noun& RegionsNoun() {
  static const Noun noun{
      .name = "regions",
      .summary = "reference data: the regions (GB/T 2260)",
      .verbs = {{"", "", "", &Regions}},
  };
  return noun;
}

const Noun& OrgsNoun() {
  static const Noun noun{
      .name = "orgs",
      .summary = "reference data: the orgs of the rectification work (--kind)",
      .verbs = {{"", "", "", &Orgs}},
  };
  return noun;
}

}  // namespace rectify::rectctl
