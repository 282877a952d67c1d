#include "issue-service/domain/codec.h"

#include <functional>

#include "common/status.h"
#include "issue-service/domain/names.h"

namespace rectify::issues {
namespace {

using nlohmann::json;

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

json SignatureJson(const Signature& s) {
  return {{"org", s.org},
          {"actor", s.actor},
          {"time", Micros(s.time)},
          {"decision", EnumToName(kDecisionNames, s.decision)},
          {"reason", s.reason}};
}

Signature SignatureFrom(const json& j) {
  return Signature{j.value("org", ""), j.value("actor", ""), TimeAt(j, "time"),
                   EnumFrom(kDecisionNames, j, "decision", Decision::kUnspecified),
                   j.value("reason", "")};
}

template <typename T>
absl::StatusOr<T> Decode(const std::string& text, const char* what,
                         const std::function<T(const json&)>& read) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Corrupt(what);
  try {
    return read(j);
  } catch (const json::exception&) {
    return Corrupt(what);
  }
}

}  // namespace

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
  if (i.acceptance) {
    const auto& a = *i.acceptance;
    json joint = json::array();
    for (const auto& s : a.joint_review) joint.push_back(SignatureJson(s));
    j["acceptance"] = {{"round", a.round},
                       {"stage", a.stage},
                       {"self_check", a.self_check},
                       {"evidence_ids", a.evidence_ids},
                       {"application", SignatureJson(a.application)},
                       {"joint_review", joint}};
    if (a.on_site) j["acceptance"]["on_site"] = SignatureJson(*a.on_site);
    if (a.pre_examination) j["acceptance"]["pre_examination"] = SignatureJson(*a.pre_examination);
  }
  if (i.notice) {
    j["notice"] = {{"start_date", i.notice->start_date},
                   {"end_date", i.notice->end_date},
                   {"working_days", i.notice->working_days}};
  }
  if (!i.last_rejection_reason.empty()) j["last_rejection_reason"] = i.last_rejection_reason;
  if (i.reopen_count) j["reopen_count"] = i.reopen_count;
  if (i.last_reopening) {
    const auto& r = *i.last_reopening;
    j["last_reopening"] = {{"reason", EnumToName(kReopenReasonNames, r.reason)},
                           {"explanation", r.explanation},
                           {"cause", r.cause},
                           {"actor", r.actor},
                           {"time", Micros(r.time)}};
  }
  if (i.close_time) j["close_time"] = Micros(*i.close_time);
  if (!i.imported_from.empty()) j["imported_from"] = i.imported_from;
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
    i.id = IntegerOf<int64_t>(j.at("id"));
    i.inspection_id = IntegerAt(j, "inspection_id", int64_t{0});
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
    i.progress_percent = IntegerAt(j, "progress_percent", 0);
    i.rejection_count = IntegerAt(j, "rejection_count", 0);
    i.create_time = TimeAt(j, "create_time");
    i.update_time = TimeAt(j, "update_time");
    if (j.contains("assign_time")) i.assign_time = TimeAt(j, "assign_time");
    if (j.contains("acknowledge_time")) i.acknowledge_time = TimeAt(j, "acknowledge_time");
    if (j.contains("acceptance")) {
      const auto& ja = j["acceptance"];
      Acceptance a;
      a.round = IntegerAt(ja, "round", 0);
      a.stage = ja.value("stage", false);
      a.self_check = ja.value("self_check", "");
      a.evidence_ids = IntegersAt<int64_t>(ja, "evidence_ids");
      a.application = SignatureFrom(ja.at("application"));
      if (ja.contains("on_site")) a.on_site = SignatureFrom(ja["on_site"]);
      if (ja.contains("pre_examination")) a.pre_examination = SignatureFrom(ja["pre_examination"]);
      for (const auto& js : ja.value("joint_review", json::array())) {
        a.joint_review.push_back(SignatureFrom(js));
      }
      i.acceptance = std::move(a);
    }
    if (j.contains("notice")) {
      const auto& jn = j["notice"];
      i.notice = PublicNotice{jn.value("start_date", ""), jn.value("end_date", ""),
                              IntegerAt(jn, "working_days", 0)};
    }
    i.last_rejection_reason = j.value("last_rejection_reason", "");
    i.reopen_count = IntegerAt(j, "reopen_count", 0);
    if (j.contains("last_reopening")) {
      const auto& jr = j["last_reopening"];
      i.last_reopening =
          Reopening{EnumFrom(kReopenReasonNames, jr, "reason", ReopenReason::kUnspecified),
                    jr.value("explanation", ""), jr.value("cause", ""), jr.value("actor", ""),
                    TimeAt(jr, "time")};
    }
    if (j.contains("close_time")) i.close_time = TimeAt(j, "close_time");
    i.imported_from = j.value("imported_from", "");
    i.version = IntegerAt(j, "version", int64_t{0});
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
    r.id = IntegerAt(j, "id", int64_t{0});
    r.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    r.percent_done = IntegerAt(j, "percent_done", 0);
    r.narrative = j.value("narrative", "");
    for (const auto& ju : j.value("measure_updates", json::array())) {
      r.measure_updates.push_back(
          {ju.value("measure_id", ""), ju.value("done", false), ju.value("note", "")});
    }
    r.reporter_org_id = j.value("reporter_org_id", "");
    r.reporter = j.value("reporter", "");
    r.create_time = TimeAt(j, "create_time");
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
    i.id = IntegerAt(j, "id", int64_t{0});
    i.kind = EnumFrom(kInspectionKindNames, j, "kind", InspectionKind::kUnspecified);
    i.title = j.value("title", "");
    i.team = j.value("team", "");
    i.region_code = j.value("region_code", "");
    i.stationed_from = j.value("stationed_from", "");
    i.stationed_to = j.value("stationed_to", "");
    i.feedback_date = j.value("feedback_date", "");
    i.plan_due_date = j.value("plan_due_date", "");
    i.create_time = TimeAt(j, "create_time");
    i.version = IntegerAt(j, "version", int64_t{0});
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
    o.version = IntegerAt(j, "version", int64_t{0});
    return o;
  } catch (const json::exception&) {
    return Corrupt("org");
  }
}

json ToJson(const Objection& o, Personal personal) {
  json j = {{"id", o.id},
            {"issue_id", o.issue_id},
            {"text", o.text},
            {"evidence_ids", o.evidence_ids},
            {"state", EnumToName(kObjectionStateNames, o.state)},
            {"ruling", o.ruling},
            {"filed_by", o.filed_by},
            {"create_time", Micros(o.create_time)}};
  if (personal == Personal::kInclude) j["contact"] = o.contact;
  if (o.rule_time) j["rule_time"] = Micros(*o.rule_time);
  return j;
}

absl::StatusOr<Objection> ObjectionFromJson(const std::string& text) {
  return Decode<Objection>(text, "objection", [](const json& j) {
    Objection o;
    o.id = IntegerAt(j, "id", int64_t{0});
    o.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    o.text = j.value("text", "");
    o.contact = j.value("contact", "");
    o.evidence_ids = IntegersAt<int64_t>(j, "evidence_ids");
    o.state = EnumFrom(kObjectionStateNames, j, "state", ObjectionState::kUnspecified);
    o.ruling = j.value("ruling", "");
    o.filed_by = j.value("filed_by", "");
    o.create_time = TimeAt(j, "create_time");
    if (j.contains("rule_time")) o.rule_time = TimeAt(j, "rule_time");
    return o;
  });
}

json ToJson(const Extension& e) {
  json j = {{"id", e.id},
            {"issue_id", e.issue_id},
            {"current_deadline", e.current_deadline},
            {"requested_deadline", e.requested_deadline},
            {"reason", e.reason},
            {"state", EnumToName(kExtensionStateNames, e.state)},
            {"decision_reason", e.decision_reason},
            {"requested_by_org", e.requested_by_org},
            {"create_time", Micros(e.create_time)}};
  if (e.decide_time) j["decide_time"] = Micros(*e.decide_time);
  return j;
}

absl::StatusOr<Extension> ExtensionFromJson(const std::string& text) {
  return Decode<Extension>(text, "extension", [](const json& j) {
    Extension e;
    e.id = IntegerAt(j, "id", int64_t{0});
    e.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    e.current_deadline = j.value("current_deadline", "");
    e.requested_deadline = j.value("requested_deadline", "");
    e.reason = j.value("reason", "");
    e.state = EnumFrom(kExtensionStateNames, j, "state", ExtensionState::kUnspecified);
    e.decision_reason = j.value("decision_reason", "");
    e.requested_by_org = j.value("requested_by_org", "");
    e.create_time = TimeAt(j, "create_time");
    if (j.contains("decide_time")) e.decide_time = TimeAt(j, "decide_time");
    return e;
  });
}

json ToJson(const Evidence& e) {
  return {{"id", e.id},
          {"issue_id", e.issue_id},
          {"kind", EnumToName(kEvidenceKindNames, e.kind)},
          {"file_name", e.file_name},
          {"media_type", e.media_type},
          {"size_bytes", e.size_bytes},
          {"sha256", e.sha256},
          {"progress_report_id", e.progress_report_id},
          {"sealed", e.sealed},
          {"uploaded_by_org", e.uploaded_by_org},
          {"uploaded_by", e.uploaded_by},
          {"create_time", Micros(e.create_time)},
          {"description", e.description}};
}

absl::StatusOr<Evidence> EvidenceFromJson(const std::string& text) {
  return Decode<Evidence>(text, "evidence", [](const json& j) {
    Evidence e;
    e.id = IntegerAt(j, "id", int64_t{0});
    e.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    e.kind = EnumFrom(kEvidenceKindNames, j, "kind", EvidenceKind::kUnspecified);
    e.file_name = j.value("file_name", "");
    e.media_type = j.value("media_type", "");
    e.size_bytes = IntegerAt(j, "size_bytes", int64_t{0});
    e.sha256 = j.value("sha256", "");
    e.progress_report_id = IntegerAt(j, "progress_report_id", int64_t{0});
    e.sealed = j.value("sealed", false);
    e.uploaded_by_org = j.value("uploaded_by_org", "");
    e.uploaded_by = j.value("uploaded_by", "");
    e.create_time = TimeAt(j, "create_time");
    e.description = j.value("description", "");
    return e;
  });
}

}  // namespace rectify::issues
