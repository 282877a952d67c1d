#include "issue-service/domain/codec.h"

#include "common/status.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

using nlohmann::json;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(const json& j, const char* key) {
  return absl::FromUnixMicros(j.value(key, int64_t{0}));
}

template <typename E, size_t N>
E EnumFrom(const EnumName<E> (&table)[N], const json& j, const char* key, E fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fallback;
  return ParseEnum(table, it->get<std::string>()).value_or(fallback);
}

absl::Status Corrupt(absl::string_view what) {
  return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD",
                   std::string("stored ") + std::string(what) + " cannot be read");
}

}  // namespace

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json ToJson(const Issue& i, Personal personal) {
  json targets = json::array();
  for (const auto& t : i.targets) {
    json jt = {
        {"metric", t.metric}, {"unit", t.unit}, {"baseline", t.baseline}, {"target", t.target}};
    if (t.actual) jt["actual"] = *t.actual;
    targets.push_back(std::move(jt));
  }
  json measures = json::array();
  for (const auto& m : i.measures) {
    measures.push_back({{"id", m.id},
                        {"description", m.description},
                        {"due_date", m.due_date},
                        {"done", m.done},
                        {"done_date", m.done_date}});
  }
  json j = {
      {"id", i.id},
      {"inspection_id", i.inspection_id},
      {"source", EnumToName(kSourceNames, i.source)},
      {"title", i.title},
      {"description", i.description},
      {"category", EnumToName(kCategoryNames, i.category)},
      {"region_code", i.region_code},
      {"site", i.site},
      {"rectification_class", EnumToName(kClassNames, i.rectification_class)},
      {"priority", EnumToName(kPriorityNames, i.priority)},
      {"state", EnumToName(kStateNames, i.state)},
      {"lead_org_id", i.lead_org_id},
      {"responsible_org_ids", i.responsible_org_ids},
      {"acceptance_org_id", i.acceptance_org_id},
      {"joint_reviewer_org_ids", i.joint_reviewer_org_ids},
      {"responsible_official", i.responsible_official},
      {"deadline", i.deadline},
      {"target_text", i.target_text},
      {"targets", targets},
      {"measures", measures},
      {"progress_percent", i.progress_percent},
      {"rejection_count", i.rejection_count},
      {"create_time", Micros(i.create_time)},
      {"update_time", Micros(i.update_time)},
      {"version", i.version},
  };
  if (i.assign_time) j["assign_time"] = Micros(*i.assign_time);
  if (i.acknowledge_time) j["acknowledge_time"] = Micros(*i.acknowledge_time);
  if (i.complaint) {
    const auto& c = *i.complaint;
    j["complaint"] = {{"batch", c.batch},
                      {"finding", EnumToName(kFindingNames, c.finding)},
                      {"verification_report", c.verification_report},
                      {"follow_up_result", c.follow_up_result}};
    if (personal == Personal::kInclude) {
      j["complaint"]["complainant_contact"] = c.complainant_contact;
    }
  }
  return j;
}

absl::StatusOr<Issue> IssueFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Corrupt("issue");
  try {
    Issue i;
    i.id = j.at("id").get<int64_t>();
    i.inspection_id = j.value("inspection_id", int64_t{0});
    i.source = EnumFrom(kSourceNames, j, "source", IssueSource::kUnspecified);
    i.title = j.value("title", "");
    i.description = j.value("description", "");
    i.category = EnumFrom(kCategoryNames, j, "category", Category::kUnspecified);
    i.region_code = j.value("region_code", "");
    i.site = j.value("site", "");
    i.rectification_class =
        EnumFrom(kClassNames, j, "rectification_class", RectificationClass::kUnspecified);
    i.priority = EnumFrom(kPriorityNames, j, "priority", Priority::kNormal);
    i.state = EnumFrom(kStateNames, j, "state", IssueState::kUnspecified);
    i.lead_org_id = j.value("lead_org_id", "");
    i.responsible_org_ids = j.value("responsible_org_ids", std::vector<std::string>{});
    i.acceptance_org_id = j.value("acceptance_org_id", "");
    i.joint_reviewer_org_ids = j.value("joint_reviewer_org_ids", std::vector<std::string>{});
    i.responsible_official = j.value("responsible_official", "");
    i.deadline = j.value("deadline", "");
    i.target_text = j.value("target_text", "");
    for (const auto& jt : j.value("targets", json::array())) {
      Target t;
      t.metric = jt.value("metric", "");
      t.unit = jt.value("unit", "");
      t.baseline = jt.value("baseline", 0.0);
      t.target = jt.value("target", 0.0);
      if (jt.contains("actual")) t.actual = jt["actual"].get<double>();
      i.targets.push_back(std::move(t));
    }
    for (const auto& jm : j.value("measures", json::array())) {
      Measure m;
      m.id = jm.value("id", "");
      m.description = jm.value("description", "");
      m.due_date = jm.value("due_date", "");
      m.done = jm.value("done", false);
      m.done_date = jm.value("done_date", "");
      i.measures.push_back(std::move(m));
    }
    i.progress_percent = j.value("progress_percent", 0);
    i.rejection_count = j.value("rejection_count", 0);
    i.create_time = FromMicros(j, "create_time");
    i.update_time = FromMicros(j, "update_time");
    if (j.contains("assign_time")) i.assign_time = FromMicros(j, "assign_time");
    if (j.contains("acknowledge_time")) i.acknowledge_time = FromMicros(j, "acknowledge_time");
    i.version = j.value("version", int64_t{0});
    if (j.contains("complaint")) {
      const auto& jc = j["complaint"];
      Complaint c;
      c.batch = jc.value("batch", "");
      c.complainant_contact = jc.value("complainant_contact", "");
      c.finding = EnumFrom(kFindingNames, jc, "finding", ComplaintFinding::kUnspecified);
      c.verification_report = jc.value("verification_report", "");
      c.follow_up_result = jc.value("follow_up_result", "");
      i.complaint = std::move(c);
    }
    return i;
  } catch (const json::exception&) {
    return Corrupt("issue");
  }
}

json ToJson(const ProgressReport& r) {
  json updates = json::array();
  for (const auto& u : r.measure_updates) {
    updates.push_back({{"measure_id", u.measure_id}, {"done", u.done}, {"note", u.note}});
  }
  return {{"id", r.id},
          {"issue_id", r.issue_id},
          {"percent_done", r.percent_done},
          {"narrative", r.narrative},
          {"measure_updates", updates},
          {"reporter_org_id", r.reporter_org_id},
          {"reporter", r.reporter},
          {"create_time", Micros(r.create_time)}};
}

absl::StatusOr<ProgressReport> ProgressReportFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Corrupt("progress report");
  try {
    ProgressReport r;
    r.id = j.value("id", int64_t{0});
    r.issue_id = j.value("issue_id", int64_t{0});
    r.percent_done = j.value("percent_done", 0);
    r.narrative = j.value("narrative", "");
    for (const auto& ju : j.value("measure_updates", json::array())) {
      r.measure_updates.push_back(
          {ju.value("measure_id", ""), ju.value("done", false), ju.value("note", "")});
    }
    r.reporter_org_id = j.value("reporter_org_id", "");
    r.reporter = j.value("reporter", "");
    r.create_time = FromMicros(j, "create_time");
    return r;
  } catch (const json::exception&) {
    return Corrupt("progress report");
  }
}

json ToJson(const Inspection& i) {
  return {{"id", i.id},
          {"kind", EnumToName(kInspectionKindNames, i.kind)},
          {"title", i.title},
          {"team", i.team},
          {"region_code", i.region_code},
          {"stationed_from", i.stationed_from},
          {"stationed_to", i.stationed_to},
          {"feedback_date", i.feedback_date},
          {"plan_due_date", i.plan_due_date},
          {"create_time", Micros(i.create_time)},
          {"version", i.version}};
}

absl::StatusOr<Inspection> InspectionFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Corrupt("inspection");
  try {
    Inspection i;
    i.id = j.value("id", int64_t{0});
    i.kind = EnumFrom(kInspectionKindNames, j, "kind", InspectionKind::kUnspecified);
    i.title = j.value("title", "");
    i.team = j.value("team", "");
    i.region_code = j.value("region_code", "");
    i.stationed_from = j.value("stationed_from", "");
    i.stationed_to = j.value("stationed_to", "");
    i.feedback_date = j.value("feedback_date", "");
    i.plan_due_date = j.value("plan_due_date", "");
    i.create_time = FromMicros(j, "create_time");
    i.version = j.value("version", int64_t{0});
    return i;
  } catch (const json::exception&) {
    return Corrupt("inspection");
  }
}

json ToJson(const Org& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"kind", EnumToName(kOrgKindNames, o.kind)},
          {"region_code", o.region_code},
          {"version", o.version}};
}

absl::StatusOr<Org> OrgFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Corrupt("org");
  try {
    Org o;
    o.id = j.value("id", "");
    o.name = j.value("name", "");
    o.kind = EnumFrom(kOrgKindNames, j, "kind", OrgKind::kUnspecified);
    o.region_code = j.value("region_code", "");
    o.version = j.value("version", int64_t{0});
    return o;
  } catch (const json::exception&) {
    return Corrupt("org");
  }
}

}  // namespace rectify::issues
