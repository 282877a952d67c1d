#include "supervision-service/domain/codec.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "supervision-service/domain/names.h"

namespace rectify::supervision {
namespace {

using nlohmann::json;

template <typename E>
E Named(const NameTable& names, const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return static_cast<E>(0);
  return ValueNamed<E>(names, it->get<std::string>()).value_or(static_cast<E>(0));
}

void PutTime(json& j, const char* key, const std::optional<absl::Time>& t) {
  if (t) j[key] = Micros(*t);
}

// INTERNAL (CORRUPT_RECORD) when `text` is not an object, or holds a member of another type
// than this code writes (which nlohmann::json's value() throws on).
template <typename T, typename F>
absl::StatusOr<T> Parse(const std::string& text, const char* what, F fill) {
  json j = json::parse(text, nullptr, false);
  if (j.is_object()) {
    try {
      T out;
      fill(j, out);
      return out;
    } catch (const json::exception&) {
      // Refused below, as text that is no object is.
    }
  }
  return MakeError(absl::StatusCode::kInternal, "CORRUPT_RECORD",
                   absl::StrCat("a stored ", what, " is unreadable"));
}

json IssueJson(const IssueFacts& i) {
  json j = {{"id", i.id},
            {"title", i.title},
            {"region_code", i.region_code},
            {"source", i.source},
            {"priority", i.priority},
            {"category", i.category},
            {"complaint", i.complaint},
            {"key", i.key},
            {"lead_org_id", i.lead_org_id},
            {"responsible_org_ids", i.responsible_org_ids},
            {"deadline", i.deadline},
            {"state", NameOf(IssueStateNames(), i.state)},
            {"progress_percent", i.progress_percent},
            {"rejection_count", i.rejection_count}};
  PutTime(j, "assign_time", i.assign_time);
  return j;
}

IssueFacts IssueFrom(const json& j) {
  IssueFacts i;
  i.id = IntegerAt(j, "id", int64_t{0});
  i.title = j.value("title", "");
  i.region_code = j.value("region_code", "");
  i.source = j.value("source", "");
  i.priority = j.value("priority", "");
  i.category = j.value("category", "");
  i.complaint = j.value("complaint", false);
  i.key = j.value("key", false);
  i.lead_org_id = j.value("lead_org_id", "");
  i.responsible_org_ids = j.value("responsible_org_ids", std::vector<std::string>{});
  i.deadline = j.value("deadline", "");
  i.state = Named<IssueState>(IssueStateNames(), j, "state");
  i.progress_percent = IntegerAt(j, "progress_percent", 0);
  i.rejection_count = IntegerAt(j, "rejection_count", 0);
  i.assign_time = OptionalTimeAt(j, "assign_time");
  return i;
}

// The issue of an event payload already checked to be an object with a string "state" and an
// "id"; throws json::exception on a member of another type.
std::optional<IssueFacts> IssueFromPayload(const json& j) {
  IssueFacts i;
  i.id = IntegerAt(j, "id", int64_t{0});
  if (i.id <= 0) return std::nullopt;
  i.title = j.value("title", "");
  i.region_code = j.value("region_code", "");
  i.source = j.value("source", "");
  i.priority = j.value("priority", "");
  i.category = j.value("category", "");
  i.complaint = i.source == "COMPLAINT";
  i.key = i.priority == "KEY";
  i.lead_org_id = j.value("lead_org_id", "");
  if (j.contains("responsible_org_ids") && j["responsible_org_ids"].is_array()) {
    for (const auto& o : j["responsible_org_ids"]) {
      if (o.is_string()) i.responsible_org_ids.push_back(o.get<std::string>());
    }
  }
  i.deadline = j.value("deadline", "");
  i.state = ValueNamed<IssueState>(IssueStateNames(), j.value("state", ""))
                .value_or(IssueState::kUnspecified);
  i.progress_percent = IntegerAt(j, "progress_percent", 0);
  i.rejection_count = IntegerAt(j, "rejection_count", 0);
  i.assign_time = OptionalTimeAt(j, "assign_time");
  return i;
}

}  // namespace

json ToJson(const SupervisionRecord& r) {
  std::vector<std::string> open;
  for (Level l : r.open_levels) open.push_back(LevelName(l));
  json j = {{"issue", IssueJson(r.issue)},
            {"report_months", r.report_months},
            {"level", NameOf(SupervisionLevelNames(), r.level)},
            {"light", NameOf(LightNames(), r.light)},
            {"active", r.active},
            {"notices", r.notices},
            {"open_levels", open},
            {"update_time", Micros(r.update_time)},
            {"version", r.version}};
  PutTime(j, "last_progress_time", r.last_progress_time);
  PutTime(j, "listed_time", r.listed_time);
  return j;
}

absl::StatusOr<SupervisionRecord> RecordFromJson(const std::string& text) {
  return Parse<SupervisionRecord>(text, "record", [](const json& j, SupervisionRecord& r) {
    if (j.contains("issue") && j["issue"].is_object()) r.issue = IssueFrom(j["issue"]);
    r.report_months = j.value("report_months", std::vector<std::string>{});
    r.level = Named<SupervisionLevel>(SupervisionLevelNames(), j, "level");
    r.light = Named<Light>(LightNames(), j, "light");
    r.active = j.value("active", false);
    r.notices = IntegerAt(j, "notices", 0);
    for (const auto& name : j.value("open_levels", std::vector<std::string>{})) {
      if (auto l = ValueNamed<Level>(LevelNames(), name)) r.open_levels.push_back(*l);
    }
    r.update_time = TimeAt(j, "update_time");
    r.version = IntegerAt(j, "version", int64_t{0});
    r.last_progress_time = OptionalTimeAt(j, "last_progress_time");
    r.listed_time = OptionalTimeAt(j, "listed_time");
  });
}

json ToJson(const Escalation& e) {
  json j = {{"id", e.id},
            {"issue_id", e.issue_id},
            {"subject", e.subject},
            {"level", LevelName(e.level)},
            {"state", NameOf(EscalationStateNames(), e.state)},
            {"cause", CauseName(e.cause)},
            {"cause_key", e.cause_key},
            {"detail", e.detail},
            {"related", e.related},
            {"region_code", e.region_code},
            {"org_id", e.org_id},
            {"policy_version", e.policy_version},
            {"raised_by", e.raised_by},
            {"raise_time", Micros(e.raise_time)},
            {"as_of", Micros(e.as_of)},
            {"circular_period", e.circular_period},
            {"version", e.version}};
  if (e.response) {
    j["response"] = {{"kind", NameOf(ResponseKindNames(), e.response->kind)},
                     {"text", e.response->text},
                     {"org_id", e.response->org_id},
                     {"actor", e.response->actor},
                     {"time", Micros(e.response->time)}};
  }
  if (e.resolution) {
    j["resolution"] = {{"reason", e.resolution->reason},
                       {"actor", e.resolution->actor},
                       {"time", Micros(e.resolution->time)}};
  }
  if (e.transfer != TransferState::kNone) {
    static const char* kTransfer[] = {"", "PENDING", "DELIVERED", "REFUSED"};
    j["transfer"] = {{"state", kTransfer[static_cast<int>(e.transfer)]},
                     {"case_id", e.case_id},
                     {"attempts", e.transfer_attempts},
                     {"last_error", e.transfer_error}};
  }
  return j;
}

absl::StatusOr<Escalation> EscalationFromJson(const std::string& text) {
  return Parse<Escalation>(text, "escalation", [](const json& j, Escalation& e) {
    e.id = IntegerAt(j, "id", int64_t{0});
    e.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    e.subject = j.value("subject", "");
    e.level = Named<Level>(LevelNames(), j, "level");
    e.state = Named<EscalationState>(EscalationStateNames(), j, "state");
    e.cause = Named<Cause>(CauseNames(), j, "cause");
    e.cause_key = j.value("cause_key", "");
    e.detail = j.value("detail", "");
    e.related = j.value("related", "");
    e.region_code = j.value("region_code", "");
    e.org_id = j.value("org_id", "");
    e.policy_version = IntegerAt(j, "policy_version", int64_t{0});
    e.raised_by = j.value("raised_by", "");
    e.raise_time = TimeAt(j, "raise_time");
    e.as_of = TimeAt(j, "as_of");
    e.circular_period = j.value("circular_period", "");
    e.version = IntegerAt(j, "version", int64_t{0});
    if (j.contains("response") && j["response"].is_object()) {
      const json& r = j["response"];
      e.response = EscalationResponse{Named<ResponseKind>(ResponseKindNames(), r, "kind"),
                                      r.value("text", ""), r.value("org_id", ""),
                                      r.value("actor", ""), TimeAt(r, "time")};
    }
    if (j.contains("resolution") && j["resolution"].is_object()) {
      const json& r = j["resolution"];
      e.resolution =
          EscalationResolution{r.value("reason", ""), r.value("actor", ""), TimeAt(r, "time")};
    }
    if (j.contains("transfer") && j["transfer"].is_object()) {
      const json& t = j["transfer"];
      std::string state = t.value("state", "");
      e.transfer = state == "DELIVERED" ? TransferState::kDelivered
                   : state == "REFUSED" ? TransferState::kRefused
                                        : TransferState::kPending;
      e.case_id = IntegerAt(t, "case_id", int64_t{0});
      e.transfer_attempts = IntegerAt(t, "attempts", 0);
      e.transfer_error = t.value("last_error", "");
    }
  });
}

json ToJson(const Obligation& o) {
  json j = {{"id", o.id},
            {"issue_id", o.issue_id},
            {"kind", NameOf(ObligationKindNames(), o.kind)},
            {"owner_org_id", o.owner_org_id},
            {"region_code", o.region_code},
            {"due_time", Micros(o.due_time)},
            {"state", NameOf(ObligationStateNames(), o.state)},
            {"met_by", o.met_by},
            {"version", o.version}};
  PutTime(j, "met_time", o.met_time);
  return j;
}

absl::StatusOr<Obligation> ObligationFromJson(const std::string& text) {
  return Parse<Obligation>(text, "obligation", [](const json& j, Obligation& o) {
    o.id = IntegerAt(j, "id", int64_t{0});
    o.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    o.kind = Named<ObligationKind>(ObligationKindNames(), j, "kind");
    o.owner_org_id = j.value("owner_org_id", "");
    o.region_code = j.value("region_code", "");
    o.due_time = TimeAt(j, "due_time");
    o.state = Named<ObligationState>(ObligationStateNames(), j, "state");
    o.met_by = j.value("met_by", "");
    o.version = IntegerAt(j, "version", int64_t{0});
    o.met_time = OptionalTimeAt(j, "met_time");
  });
}

json ToJson(const LinkageRequest& l) {
  json j = {{"id", l.id},
            {"issue_id", l.issue_id},
            {"requesting_org_id", l.requesting_org_id},
            {"target_org_id", l.target_org_id},
            {"action", l.action},
            {"due_date", l.due_date},
            {"state", NameOf(LinkageStateNames(), l.state)},
            {"response", l.response},
            {"create_time", Micros(l.create_time)},
            {"region_code", l.region_code},
            {"version", l.version}};
  PutTime(j, "respond_time", l.respond_time);
  return j;
}

absl::StatusOr<LinkageRequest> LinkageFromJson(const std::string& text) {
  return Parse<LinkageRequest>(text, "linkage request", [](const json& j, LinkageRequest& l) {
    l.id = IntegerAt(j, "id", int64_t{0});
    l.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    l.requesting_org_id = j.value("requesting_org_id", "");
    l.target_org_id = j.value("target_org_id", "");
    l.action = j.value("action", "");
    l.due_date = j.value("due_date", "");
    l.state = Named<LinkageState>(LinkageStateNames(), j, "state");
    l.response = j.value("response", "");
    l.create_time = TimeAt(j, "create_time");
    l.region_code = j.value("region_code", "");
    l.version = IntegerAt(j, "version", int64_t{0});
    l.respond_time = OptionalTimeAt(j, "respond_time");
  });
}

json ToJson(const Directive& d) {
  json j = {{"id", d.id},
            {"meeting_id", d.meeting_id},
            {"text", d.text},
            {"owner_org_id", d.owner_org_id},
            {"due_date", d.due_date},
            {"issue_id", d.issue_id},
            {"state", NameOf(DirectiveStateNames(), d.state)},
            {"completion_note", d.completion_note},
            {"version", d.version}};
  PutTime(j, "complete_time", d.complete_time);
  return j;
}

absl::StatusOr<Directive> DirectiveFromJson(const std::string& text) {
  return Parse<Directive>(text, "directive", [](const json& j, Directive& d) {
    d.id = IntegerAt(j, "id", int64_t{0});
    d.meeting_id = IntegerAt(j, "meeting_id", int64_t{0});
    d.text = j.value("text", "");
    d.owner_org_id = j.value("owner_org_id", "");
    d.due_date = j.value("due_date", "");
    d.issue_id = IntegerAt(j, "issue_id", int64_t{0});
    d.state = Named<DirectiveState>(DirectiveStateNames(), j, "state");
    d.completion_note = j.value("completion_note", "");
    d.version = IntegerAt(j, "version", int64_t{0});
    d.complete_time = OptionalTimeAt(j, "complete_time");
  });
}

json ToJson(const Meeting& m) {
  return {{"id", m.id},
          {"kind", NameOf(MeetingKindNames(), m.kind)},
          {"title", m.title},
          {"date", m.date},
          {"chair", m.chair},
          {"attendee_org_ids", m.attendee_org_ids},
          {"create_time", Micros(m.create_time)}};
}

absl::StatusOr<Meeting> MeetingFromJson(const std::string& text) {
  return Parse<Meeting>(text, "meeting", [](const json& j, Meeting& m) {
    m.id = IntegerAt(j, "id", int64_t{0});
    m.kind = Named<MeetingKind>(MeetingKindNames(), j, "kind");
    m.title = j.value("title", "");
    m.date = j.value("date", "");
    m.chair = j.value("chair", "");
    m.attendee_org_ids = j.value("attendee_org_ids", std::vector<std::string>{});
    m.create_time = TimeAt(j, "create_time");
  });
}

json ToJson(const EscalationPolicy& p) {
  return {{"version", p.version},
          {"warning_working_days_left", p.warning_working_days_left},
          {"behind_tolerance_percent", p.behind_tolerance_percent},
          {"warn_on_missed_monthly_report", p.warn_on_missed_monthly_report},
          {"notice_overdue_working_days", p.notice_overdue_working_days},
          {"interview_overdue_working_days", p.interview_overdue_working_days},
          {"interview_after_notices", p.interview_after_notices},
          {"interview_after_rejections", p.interview_after_rejections},
          {"listing_overdue_working_days", p.listing_overdue_working_days},
          {"interview_answer_working_days", p.interview_answer_working_days},
          {"transfer_listed_working_days", p.transfer_listed_working_days},
          {"sign_off_hours", p.sign_off_hours},
          {"receipt_report_hours", p.receipt_report_hours},
          {"verification_report_working_days", p.verification_report_working_days},
          {"plan_report_working_days", p.plan_report_working_days},
          {"progress_report_working_days", p.progress_report_working_days},
          {"created_by", p.created_by},
          {"create_time", Micros(p.create_time)}};
}

absl::StatusOr<EscalationPolicy> PolicyFromJson(const std::string& text) {
  return Parse<EscalationPolicy>(text, "policy", [](const json& j, EscalationPolicy& p) {
    EscalationPolicy d;
    p.version = IntegerAt(j, "version", int64_t{0});
    p.warning_working_days_left =
        IntegerAt(j, "warning_working_days_left", d.warning_working_days_left);
    p.behind_tolerance_percent =
        IntegerAt(j, "behind_tolerance_percent", d.behind_tolerance_percent);
    p.warn_on_missed_monthly_report =
        j.value("warn_on_missed_monthly_report", d.warn_on_missed_monthly_report);
    p.notice_overdue_working_days =
        IntegerAt(j, "notice_overdue_working_days", d.notice_overdue_working_days);
    p.interview_overdue_working_days =
        IntegerAt(j, "interview_overdue_working_days", d.interview_overdue_working_days);
    p.interview_after_notices = IntegerAt(j, "interview_after_notices", d.interview_after_notices);
    p.interview_after_rejections =
        IntegerAt(j, "interview_after_rejections", d.interview_after_rejections);
    p.listing_overdue_working_days =
        IntegerAt(j, "listing_overdue_working_days", d.listing_overdue_working_days);
    p.interview_answer_working_days =
        IntegerAt(j, "interview_answer_working_days", d.interview_answer_working_days);
    p.transfer_listed_working_days =
        IntegerAt(j, "transfer_listed_working_days", d.transfer_listed_working_days);
    p.sign_off_hours = IntegerAt(j, "sign_off_hours", d.sign_off_hours);
    p.receipt_report_hours = IntegerAt(j, "receipt_report_hours", d.receipt_report_hours);
    p.verification_report_working_days =
        IntegerAt(j, "verification_report_working_days", d.verification_report_working_days);
    p.plan_report_working_days =
        IntegerAt(j, "plan_report_working_days", d.plan_report_working_days);
    p.progress_report_working_days =
        IntegerAt(j, "progress_report_working_days", d.progress_report_working_days);
    p.created_by = j.value("created_by", "");
    p.create_time = TimeAt(j, "create_time");
  });
}

std::optional<IssueFacts> IssueFromEventPayload(const std::string& payload_json) {
  json j = json::parse(payload_json, nullptr, false);
  if (!j.is_object() || !j.contains("state") || !j["state"].is_string() || !j.contains("id")) {
    return std::nullopt;
  }
  try {
    return IssueFromPayload(j);
  } catch (const json::exception&) {
    // A member of another type than the registry writes: no issue this code can read.
    return std::nullopt;
  }
}

}  // namespace rectify::supervision
