#include "supervision-service/api/convert.h"

#include "common/etag.h"
#include "common/proto_types.h"
#include "rectify/v1/issue_registry.pb.h"

namespace rectify::supervision {

// The domain's enums are cast to and from the API's: each must mean the same on both sides, or
// the build fails here.
static_assert(static_cast<int>(IssueState::kAssigned) == v1::Issue::ASSIGNED);
static_assert(static_cast<int>(IssueState::kPublicNotice) == v1::Issue::PUBLIC_NOTICE);
static_assert(static_cast<int>(IssueState::kStageCompleted) == v1::Issue::STAGE_COMPLETED);
static_assert(kMaxIssueState == v1::Issue::State_MAX);
static_assert(static_cast<int>(Level::kWarning) == v1::Escalation::WARNING);
static_assert(static_cast<int>(Level::kNotice) == v1::Escalation::NOTICE);
static_assert(static_cast<int>(Level::kInterview) == v1::Escalation::INTERVIEW);
static_assert(static_cast<int>(Level::kListed) == v1::Escalation::LISTED);
static_assert(static_cast<int>(Level::kTransfer) == v1::Escalation::TRANSFER);
static_assert(kMaxLevel == v1::Escalation::Level_MAX);
static_assert(static_cast<int>(SupervisionLevel::kNormal) == v1::SupervisionRecord::NORMAL);
static_assert(static_cast<int>(SupervisionLevel::kKey) == v1::SupervisionRecord::KEY);
static_assert(static_cast<int>(SupervisionLevel::kListed) == v1::SupervisionRecord::LISTED);
static_assert(static_cast<int>(Light::kOff) == v1::SupervisionRecord::LIGHT_UNSPECIFIED);
static_assert(static_cast<int>(Light::kGreen) == v1::SupervisionRecord::GREEN);
static_assert(static_cast<int>(Light::kYellow) == v1::SupervisionRecord::YELLOW);
static_assert(static_cast<int>(Light::kRed) == v1::SupervisionRecord::RED);
static_assert(static_cast<int>(EscalationState::kOpen) == v1::Escalation::OPEN);
static_assert(static_cast<int>(EscalationState::kResponded) == v1::Escalation::RESPONDED);
static_assert(static_cast<int>(EscalationState::kResolved) == v1::Escalation::RESOLVED);
static_assert(static_cast<int>(Cause::kDeadlineNearBehind) == v1::Escalation::DEADLINE_NEAR_BEHIND);
static_assert(static_cast<int>(Cause::kMonthlyReportMissed) ==
              v1::Escalation::MONTHLY_REPORT_MISSED);
static_assert(static_cast<int>(Cause::kObligationMissed) == v1::Escalation::OBLIGATION_MISSED);
static_assert(static_cast<int>(Cause::kLinkageLate) == v1::Escalation::LINKAGE_LATE);
static_assert(static_cast<int>(Cause::kDirectiveOverdue) == v1::Escalation::DIRECTIVE_OVERDUE);
static_assert(static_cast<int>(Cause::kOverdue) == v1::Escalation::OVERDUE);
static_assert(static_cast<int>(Cause::kRepeatedNotices) == v1::Escalation::REPEATED_NOTICES);
static_assert(static_cast<int>(Cause::kRepeatedRejections) == v1::Escalation::REPEATED_REJECTIONS);
static_assert(static_cast<int>(Cause::kInterviewUnanswered) ==
              v1::Escalation::INTERVIEW_UNANSWERED);
static_assert(static_cast<int>(Cause::kListedStillOverdue) == v1::Escalation::LISTED_STILL_OVERDUE);
static_assert(static_cast<int>(Cause::kByHand) == v1::Escalation::BY_HAND);
static_assert(v1::Escalation::Cause_MAX == static_cast<int>(Cause::kByHand));
static_assert(static_cast<int>(ResponseKind::kInterviewRecord) == v1::Escalation::INTERVIEW_RECORD);
static_assert(static_cast<int>(ResponseKind::kCommitment) == v1::Escalation::COMMITMENT);
static_assert(static_cast<int>(ResponseKind::kExplanation) == v1::Escalation::EXPLANATION);
static_assert(kMaxResponseKind == v1::Escalation::ResponseKind_MAX);
static_assert(static_cast<int>(TransferState::kPending) == v1::Escalation::Transfer::PENDING);
static_assert(static_cast<int>(TransferState::kDelivered) == v1::Escalation::Transfer::DELIVERED);
static_assert(static_cast<int>(TransferState::kRefused) == v1::Escalation::Transfer::REFUSED);
static_assert(static_cast<int>(ObligationKind::kProvinceSignOff) ==
              v1::Obligation::PROVINCE_SIGN_OFF);
static_assert(static_cast<int>(ObligationKind::kCompletionReport) ==
              v1::Obligation::COMPLETION_REPORT);
static_assert(v1::Obligation::Kind_MAX == static_cast<int>(ObligationKind::kCompletionReport));
static_assert(static_cast<int>(ObligationState::kPending) == v1::Obligation::PENDING);
static_assert(static_cast<int>(ObligationState::kMet) == v1::Obligation::MET);
static_assert(static_cast<int>(ObligationState::kMissed) == v1::Obligation::MISSED);
static_assert(static_cast<int>(LinkageState::kPending) == v1::LinkageRequest::PENDING);
static_assert(static_cast<int>(LinkageState::kAccepted) == v1::LinkageRequest::ACCEPTED);
static_assert(static_cast<int>(LinkageState::kDone) == v1::LinkageRequest::DONE);
static_assert(static_cast<int>(LinkageState::kDeclined) == v1::LinkageRequest::DECLINED);
static_assert(static_cast<int>(LinkageAnswer::kAccept) == v1::LinkageRequest::ACCEPT);
static_assert(static_cast<int>(LinkageAnswer::kReportDone) == v1::LinkageRequest::REPORT_DONE);
static_assert(static_cast<int>(LinkageAnswer::kDecline) == v1::LinkageRequest::DECLINE);
static_assert(static_cast<int>(DirectiveState::kOpen) == v1::Directive::OPEN);
static_assert(static_cast<int>(DirectiveState::kDone) == v1::Directive::DONE);
static_assert(static_cast<int>(MeetingKind::kLeadingGroup) == v1::Meeting::LEADING_GROUP);
static_assert(static_cast<int>(MeetingKind::kSpecialDeployment) == v1::Meeting::SPECIAL_DEPLOYMENT);
static_assert(static_cast<int>(MeetingKind::kOnSitePromotion) == v1::Meeting::ON_SITE_PROMOTION);
static_assert(kMaxMeetingKind == v1::Meeting::Kind_MAX);

namespace {

template <typename E>
E Parsed(const std::string& name, bool (*parse)(const std::string&, E*)) {
  E value{};
  return parse(name, &value) ? value : E{};
}

}  // namespace

void ToProto(const SupervisionRecord& r, v1::SupervisionRecord* out) {
  const IssueFacts& i = r.issue;
  out->set_issue_id(i.id);
  out->set_title(i.title);
  out->set_region_code(i.region_code);
  out->set_source(Parsed<v1::Issue::Source>(i.source, v1::Issue::Source_Parse));
  out->set_priority(Parsed<v1::Issue::Priority>(i.priority, v1::Issue::Priority_Parse));
  out->set_category(Parsed<v1::Issue::Category>(i.category, v1::Issue::Category_Parse));
  out->set_lead_org_id(i.lead_org_id);
  for (const auto& o : i.responsible_org_ids) out->add_responsible_org_ids(o);
  out->set_deadline(i.deadline);
  out->set_issue_state(static_cast<v1::Issue::State>(i.state));
  out->set_progress_percent(i.progress_percent);
  if (i.assign_time) *out->mutable_assign_time() = ToProtoTime(*i.assign_time);
  if (r.last_progress_time) *out->mutable_last_progress_time() = ToProtoTime(*r.last_progress_time);
  out->set_rejection_count(i.rejection_count);
  out->set_level(static_cast<v1::SupervisionRecord::Level>(r.level));
  out->set_light(static_cast<v1::SupervisionRecord::Light>(r.light));
  for (Level l : r.open_levels) out->add_open_escalations(static_cast<v1::Escalation::Level>(l));
  out->set_active(r.active);
  out->set_notices(r.notices);
  if (r.listed_time) *out->mutable_listed_time() = ToProtoTime(*r.listed_time);
  *out->mutable_update_time() = ToProtoTime(r.update_time);
  out->set_etag(EtagOf(r.version));
}

void ToProto(const Escalation& e, v1::Escalation* out) {
  out->set_id(e.id);
  out->set_issue_id(e.issue_id);
  out->set_level(static_cast<v1::Escalation::Level>(e.level));
  out->set_state(static_cast<v1::Escalation::State>(e.state));
  out->set_cause(static_cast<v1::Escalation::Cause>(e.cause));
  out->set_detail(e.detail);
  out->set_related(e.related);
  out->set_region_code(e.region_code);
  out->set_org_id(e.org_id);
  out->set_policy_version(e.policy_version);
  out->set_raised_by(e.raised_by);
  *out->mutable_raise_time() = ToProtoTime(e.raise_time);
  *out->mutable_as_of() = ToProtoTime(e.as_of);
  out->set_circular_period(e.circular_period);
  if (e.response) {
    auto* r = out->mutable_response();
    r->set_kind(static_cast<v1::Escalation::ResponseKind>(e.response->kind));
    r->set_text(e.response->text);
    r->set_org_id(e.response->org_id);
    r->set_actor(e.response->actor);
    *r->mutable_time() = ToProtoTime(e.response->time);
  }
  if (e.resolution) {
    auto* r = out->mutable_resolution();
    r->set_reason(e.resolution->reason);
    r->set_actor(e.resolution->actor);
    *r->mutable_time() = ToProtoTime(e.resolution->time);
  }
  if (e.transfer != TransferState::kNone) {
    auto* t = out->mutable_transfer();
    t->set_state(static_cast<v1::Escalation::Transfer::State>(e.transfer));
    t->set_case_id(e.case_id);
    t->set_attempts(e.transfer_attempts);
    t->set_last_error(e.transfer_error);
  }
  out->set_etag(EtagOf(e.version));
}

void ToProto(const Obligation& o, v1::Obligation* out) {
  out->set_id(o.id);
  out->set_issue_id(o.issue_id);
  out->set_kind(static_cast<v1::Obligation::Kind>(o.kind));
  out->set_owner_org_id(o.owner_org_id);
  *out->mutable_due_time() = ToProtoTime(o.due_time);
  if (o.met_time) *out->mutable_met_time() = ToProtoTime(*o.met_time);
  out->set_state(static_cast<v1::Obligation::State>(o.state));
  out->set_met_by(o.met_by);
  out->set_region_code(o.region_code);
  out->set_etag(EtagOf(o.version));
}

void ToProto(const LinkageRequest& l, v1::LinkageRequest* out) {
  out->set_id(l.id);
  out->set_issue_id(l.issue_id);
  out->set_requesting_org_id(l.requesting_org_id);
  out->set_target_org_id(l.target_org_id);
  out->set_action(l.action);
  out->set_due_date(l.due_date);
  out->set_state(static_cast<v1::LinkageRequest::State>(l.state));
  out->set_response(l.response);
  if (l.respond_time) *out->mutable_respond_time() = ToProtoTime(*l.respond_time);
  *out->mutable_create_time() = ToProtoTime(l.create_time);
  out->set_region_code(l.region_code);
  out->set_etag(EtagOf(l.version));
}

void ToProto(const Directive& d, v1::Directive* out) {
  out->set_id(d.id);
  out->set_meeting_id(d.meeting_id);
  out->set_text(d.text);
  out->set_owner_org_id(d.owner_org_id);
  out->set_due_date(d.due_date);
  out->set_issue_id(d.issue_id);
  out->set_state(static_cast<v1::Directive::State>(d.state));
  out->set_completion_note(d.completion_note);
  if (d.complete_time) *out->mutable_complete_time() = ToProtoTime(*d.complete_time);
  out->set_etag(EtagOf(d.version));
}

void ToProto(const Meeting& m, v1::Meeting* out) {
  out->set_id(m.id);
  out->set_kind(static_cast<v1::Meeting::Kind>(m.kind));
  out->set_title(m.title);
  out->set_date(m.date);
  out->set_chair(m.chair);
  for (const auto& a : m.attendee_org_ids) out->add_attendee_org_ids(a);
  for (const auto& d : m.directives) ToProto(d, out->add_directives());
  *out->mutable_create_time() = ToProtoTime(m.create_time);
}

void ToProto(const EscalationPolicy& p, v1::EscalationPolicy* out) {
  out->set_version(p.version);
  out->set_warning_working_days_left(p.warning_working_days_left);
  out->set_behind_tolerance_percent(p.behind_tolerance_percent);
  out->set_warn_on_missed_monthly_report(p.warn_on_missed_monthly_report);
  out->set_notice_overdue_working_days(p.notice_overdue_working_days);
  out->set_interview_overdue_working_days(p.interview_overdue_working_days);
  out->set_interview_after_notices(p.interview_after_notices);
  out->set_interview_after_rejections(p.interview_after_rejections);
  out->set_listing_overdue_working_days(p.listing_overdue_working_days);
  out->set_interview_answer_working_days(p.interview_answer_working_days);
  out->set_transfer_listed_working_days(p.transfer_listed_working_days);
  out->set_sign_off_hours(p.sign_off_hours);
  out->set_receipt_report_hours(p.receipt_report_hours);
  out->set_verification_report_working_days(p.verification_report_working_days);
  out->set_plan_report_working_days(p.plan_report_working_days);
  out->set_progress_report_working_days(p.progress_report_working_days);
  out->set_created_by(p.created_by);
  *out->mutable_create_time() = ToProtoTime(p.create_time);
  out->set_etag(EtagOf(p.version));
}

void ToProto(const MapTile& t, v1::BattleMap::Tile* out) {
  out->set_region_code(t.region_code);
  out->set_name(t.name);
  out->set_supervised(t.supervised);
  out->set_green(t.green);
  out->set_yellow(t.yellow);
  out->set_red(t.red);
  out->set_overdue(t.overdue);
  PutCounts(t.by_state, out->mutable_by_state());
  PutCounts(t.escalations, out->mutable_escalations());
  out->set_completion_rate(t.completion_rate);
}

EscalationPolicy FromProto(const v1::EscalationPolicy& in) {
  EscalationPolicy p;
  p.warning_working_days_left = in.warning_working_days_left();
  p.behind_tolerance_percent = in.behind_tolerance_percent();
  p.warn_on_missed_monthly_report = in.warn_on_missed_monthly_report();
  p.notice_overdue_working_days = in.notice_overdue_working_days();
  p.interview_overdue_working_days = in.interview_overdue_working_days();
  p.interview_after_notices = in.interview_after_notices();
  p.interview_after_rejections = in.interview_after_rejections();
  p.listing_overdue_working_days = in.listing_overdue_working_days();
  p.interview_answer_working_days = in.interview_answer_working_days();
  p.transfer_listed_working_days = in.transfer_listed_working_days();
  p.sign_off_hours = in.sign_off_hours();
  p.receipt_report_hours = in.receipt_report_hours();
  p.verification_report_working_days = in.verification_report_working_days();
  p.plan_report_working_days = in.plan_report_working_days();
  p.progress_report_working_days = in.progress_report_working_days();
  return p;
}

LinkageRequest FromProto(const v1::LinkageRequest& in) {
  LinkageRequest l;
  l.issue_id = in.issue_id();
  l.target_org_id = in.target_org_id();
  l.action = in.action();
  l.due_date = in.due_date();
  return l;
}

Meeting FromProto(const v1::Meeting& in) {
  Meeting m;
  m.kind = static_cast<MeetingKind>(in.kind());
  m.title = in.title();
  m.date = in.date();
  m.chair = in.chair();
  m.attendee_org_ids.assign(in.attendee_org_ids().begin(), in.attendee_org_ids().end());
  for (const auto& pd : in.directives()) {
    Directive d;
    d.text = pd.text();
    d.owner_org_id = pd.owner_org_id();
    d.due_date = pd.due_date();
    d.issue_id = pd.issue_id();
    m.directives.push_back(std::move(d));
  }
  return m;
}

}  // namespace rectify::supervision
