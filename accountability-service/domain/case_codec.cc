#include "accountability-service/domain/case_codec.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify::accountability {
using nlohmann::json;

std::string CaseResource(int64_t id) { return absl::StrCat("cases/", id); }

const char* CaseStateName(CaseState s) {
  switch (s) {
    case CaseState::kOpen:
      return "OPEN";
    case CaseState::kInvestigating:
      return "INVESTIGATING";
    case CaseState::kDecided:
      return "DECIDED";
    case CaseState::kClosed:
      return "CLOSED";
    case CaseState::kDismissed:
      return "DISMISSED";
    case CaseState::kUnspecified:
      break;
  }
  return "STATE_UNSPECIFIED";
}

bool ReopensIssues(FailureType t) {
  return t == FailureType::kFalse || t == FailureType::kSuperficial ||
         t == FailureType::kPerfunctory;
}

json ToJson(const Case& c, Personal personal) {
  json subjects = json::array();
  for (const auto& s : c.subjects) {
    json js = {{"kind", static_cast<int>(s.kind)}, {"org_id", s.org_id}, {"sanction", s.sanction}};
    if (personal == Personal::kInclude) {
      js["name"] = s.name;
      js["post"] = s.post;
    }
    subjects.push_back(std::move(js));
  }
  json failures = json::array();
  for (auto f : c.failure_types) failures.push_back(static_cast<int>(f));
  json reopens = json::array();
  for (const auto& r : c.reopens) {
    reopens.push_back({{"issue_id", r.issue_id},
                       {"state", static_cast<int>(r.state)},
                       {"attempts", r.attempts},
                       {"last_error", r.last_error},
                       {"next_attempt", Micros(r.next_attempt)}});
  }
  json j = {{"id", c.id},
            {"state", static_cast<int>(c.state)},
            {"source", static_cast<int>(c.source)},
            {"issue_ids", c.issue_ids},
            {"failure_types", failures},
            {"subjects", subjects},
            {"summary", c.summary},
            {"transfer_id", c.transfer_id},
            {"region_code", c.region_code},
            {"decided_by", c.decided_by},
            {"decision_date", c.decision_date},
            {"dismissal_reason", c.dismissal_reason},
            {"reopens", reopens},
            {"opened_by", c.opened_by},
            {"create_time", Micros(c.create_time)},
            {"update_time", Micros(c.update_time)},
            {"version", c.version}};
  if (c.finding) {
    json confirmed = json::array();
    for (auto f : c.finding->confirmed) confirmed.push_back(static_cast<int>(f));
    j["finding"] = {{"facts", c.finding->facts},
                    {"confirmed", confirmed},
                    {"evidence_refs", c.finding->evidence_refs},
                    {"recorded_by", c.finding->recorded_by},
                    {"time", Micros(c.finding->time)}};
  }
  return j;
}

absl::StatusOr<Case> CaseFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD", "stored case unreadable");
  }
  try {
    Case c;
    c.id = IntegerAt(j, "id", int64_t{0});
    c.state = EnumAt<CaseState>(j, "state", kMaxCaseState);
    c.source = EnumAt<CaseSource>(j, "source", kMaxCaseSource);
    c.issue_ids = IntegersAt<int64_t>(j, "issue_ids");
    c.failure_types = EnumsAt<FailureType>(j, "failure_types", kMaxFailureType);
    for (const auto& js : j.value("subjects", json::array())) {
      c.subjects.push_back({EnumAt<SubjectKind>(js, "kind", kMaxSubjectKind),
                            js.value("org_id", ""), js.value("name", ""), js.value("post", ""),
                            IntegerAt(js, "sanction", 0)});
    }
    c.summary = j.value("summary", "");
    c.transfer_id = j.value("transfer_id", "");
    c.region_code = j.value("region_code", "");
    c.decided_by = j.value("decided_by", "");
    c.decision_date = j.value("decision_date", "");
    c.dismissal_reason = j.value("dismissal_reason", "");
    for (const auto& jr : j.value("reopens", json::array())) {
      c.reopens.push_back({IntegerAt(jr, "issue_id", int64_t{0}),
                           EnumAt<DeliveryState>(jr, "state", kMaxDeliveryState),
                           IntegerAt(jr, "attempts", 0), jr.value("last_error", ""),
                           absl::FromUnixMicros(IntegerAt(jr, "next_attempt", int64_t{0}))});
    }
    c.opened_by = j.value("opened_by", "");
    c.create_time = absl::FromUnixMicros(IntegerAt(j, "create_time", int64_t{0}));
    c.update_time = absl::FromUnixMicros(IntegerAt(j, "update_time", int64_t{0}));
    c.version = IntegerAt(j, "version", int64_t{0});
    if (j.contains("finding")) {
      const auto& jf = j["finding"];
      Finding f;
      f.facts = jf.value("facts", "");
      f.confirmed = EnumsAt<FailureType>(jf, "confirmed", kMaxFailureType);
      f.evidence_refs = jf.value("evidence_refs", std::vector<std::string>{});
      f.recorded_by = jf.value("recorded_by", "");
      f.time = absl::FromUnixMicros(IntegerAt(jf, "time", int64_t{0}));
      c.finding = std::move(f);
    }
    return c;
  } catch (const json::exception&) {
    return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD", "stored case unreadable");
  }
}

}  // namespace rectify::accountability
