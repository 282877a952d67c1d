#include "issue-service/api/convert.h"

#include "common/etag.h"
#include "common/proto_types.h"
#include "google/protobuf/util/time_util.h"
#include "issue-service/domain/issue_registry.h"

namespace rectify::issues {

// The domain's enums are cast to and from the API's: every value must mean the same on both
// sides, or the build fails here.
static_assert(static_cast<int>(OrgKind::kUnspecified) == v1::Org::KIND_UNSPECIFIED);
static_assert(static_cast<int>(OrgKind::kOffice) == v1::Org::OFFICE);
static_assert(static_cast<int>(OrgKind::kDepartment) == v1::Org::DEPARTMENT);
static_assert(static_cast<int>(OrgKind::kGovernment) == v1::Org::GOVERNMENT);
static_assert(static_cast<int>(OrgKind::kDiscipline) == v1::Org::DISCIPLINE);
static_assert(static_cast<int>(OrgKind::kInspectionTeam) == v1::Org::INSPECTION_TEAM);
static_assert(static_cast<int>(InspectionKind::kUnspecified) == v1::Inspection::KIND_UNSPECIFIED);
static_assert(static_cast<int>(InspectionKind::kCentral) == v1::Inspection::CENTRAL);
static_assert(static_cast<int>(InspectionKind::kCentralLookBack) ==
              v1::Inspection::CENTRAL_LOOK_BACK);
static_assert(static_cast<int>(InspectionKind::kProvincial) == v1::Inspection::PROVINCIAL);
static_assert(static_cast<int>(InspectionKind::kSpecial) == v1::Inspection::SPECIAL);
// The domain's largest value of each enum is the proto's: a value added to one is added to both.
static_assert(kMaxOrgKind == v1::Org::Kind_MAX);
static_assert(kMaxInspectionKind == v1::Inspection::Kind_MAX);
static_assert(kMaxIssueState == v1::Issue::State_MAX);
static_assert(kMaxIssueSource == v1::Issue::Source_MAX);
static_assert(kMaxCategory == v1::Issue::Category_MAX);
static_assert(kMaxRectificationClass == v1::Issue::RectificationClass_MAX);
static_assert(kMaxPriority == v1::Issue::Priority_MAX);
static_assert(kMaxEvidenceKind == v1::Evidence::Kind_MAX);
static_assert(kMaxComplaintFinding == v1::Complaint::Finding_MAX);
static_assert(static_cast<int>(IssueState::kUnspecified) == v1::Issue::STATE_UNSPECIFIED);
static_assert(static_cast<int>(IssueState::kRegistered) == v1::Issue::REGISTERED);
static_assert(static_cast<int>(IssueState::kAssigned) == v1::Issue::ASSIGNED);
static_assert(static_cast<int>(IssueState::kRectifying) == v1::Issue::RECTIFYING);
static_assert(static_cast<int>(IssueState::kAcceptanceRequested) ==
              v1::Issue::ACCEPTANCE_REQUESTED);
static_assert(static_cast<int>(IssueState::kLocallyAccepted) == v1::Issue::LOCALLY_ACCEPTED);
static_assert(static_cast<int>(IssueState::kPreExamined) == v1::Issue::PRE_EXAMINED);
static_assert(static_cast<int>(IssueState::kJointReviewed) == v1::Issue::JOINT_REVIEWED);
static_assert(static_cast<int>(IssueState::kPublicNotice) == v1::Issue::PUBLIC_NOTICE);
static_assert(static_cast<int>(IssueState::kClosed) == v1::Issue::CLOSED);
static_assert(static_cast<int>(IssueState::kStageCompleted) == v1::Issue::STAGE_COMPLETED);
static_assert(static_cast<int>(IssueSource::kUnspecified) == v1::Issue::SOURCE_UNSPECIFIED);
static_assert(static_cast<int>(IssueSource::kFeedback) == v1::Issue::FEEDBACK);
static_assert(static_cast<int>(IssueSource::kComplaint) == v1::Issue::COMPLAINT);
static_assert(static_cast<int>(IssueSource::kProvincialFinding) == v1::Issue::PROVINCIAL_FINDING);
static_assert(static_cast<int>(IssueSource::kLookBackFinding) == v1::Issue::LOOK_BACK_FINDING);
static_assert(static_cast<int>(Category::kUnspecified) == v1::Issue::CATEGORY_UNSPECIFIED);
static_assert(static_cast<int>(Category::kWater) == v1::Issue::WATER);
static_assert(static_cast<int>(Category::kAir) == v1::Issue::AIR);
static_assert(static_cast<int>(Category::kSoil) == v1::Issue::SOIL);
static_assert(static_cast<int>(Category::kSolidWaste) == v1::Issue::SOLID_WASTE);
static_assert(static_cast<int>(Category::kEcology) == v1::Issue::ECOLOGY);
static_assert(static_cast<int>(Category::kNatureReserve) == v1::Issue::NATURE_RESERVE);
static_assert(static_cast<int>(Category::kAgriculture) == v1::Issue::AGRICULTURE);
static_assert(static_cast<int>(Category::kIndustry) == v1::Issue::INDUSTRY);
static_assert(static_cast<int>(Category::kOther) == v1::Issue::OTHER);
static_assert(static_cast<int>(RectificationClass::kUnspecified) ==
              v1::Issue::RECTIFICATION_CLASS_UNSPECIFIED);
static_assert(static_cast<int>(RectificationClass::kImmediate) == v1::Issue::IMMEDIATE);
static_assert(static_cast<int>(RectificationClass::kTimeLimited) == v1::Issue::TIME_LIMITED);
static_assert(static_cast<int>(RectificationClass::kLongTerm) == v1::Issue::LONG_TERM);
static_assert(static_cast<int>(Priority::kUnspecified) == v1::Issue::PRIORITY_UNSPECIFIED);
static_assert(static_cast<int>(Priority::kNormal) == v1::Issue::NORMAL);
static_assert(static_cast<int>(Priority::kKey) == v1::Issue::KEY);
static_assert(static_cast<int>(ComplaintFinding::kUnspecified) ==
              v1::Complaint::FINDING_UNSPECIFIED);
static_assert(static_cast<int>(ComplaintFinding::kSubstantiated) == v1::Complaint::SUBSTANTIATED);
static_assert(static_cast<int>(ComplaintFinding::kUnsubstantiated) ==
              v1::Complaint::UNSUBSTANTIATED);
static_assert(static_cast<int>(AcceptanceStep::kUnspecified) == v1::ACCEPTANCE_STEP_UNSPECIFIED);
static_assert(static_cast<int>(AcceptanceStep::kOnSite) == v1::ON_SITE);
static_assert(static_cast<int>(AcceptanceStep::kPreExamination) == v1::PRE_EXAMINATION);
static_assert(static_cast<int>(AcceptanceStep::kJointReview) == v1::JOINT_REVIEW);
static_assert(static_cast<int>(Decision::kUnspecified) == v1::DECISION_UNSPECIFIED);
static_assert(static_cast<int>(Decision::kApprove) == v1::APPROVE);
static_assert(static_cast<int>(Decision::kReject) == v1::REJECT);
static_assert(static_cast<int>(ReopenReason::kUnspecified) == v1::Reopening::REASON_UNSPECIFIED);
static_assert(static_cast<int>(ReopenReason::kLookBackFinding) == v1::Reopening::LOOK_BACK_FINDING);
static_assert(static_cast<int>(ReopenReason::kRebound) == v1::Reopening::REBOUND);
static_assert(static_cast<int>(ReopenReason::kUpheldObjection) == v1::Reopening::UPHELD_OBJECTION);
static_assert(static_cast<int>(ReopenReason::kAccountabilityFinding) ==
              v1::Reopening::ACCOUNTABILITY_FINDING);
static_assert(static_cast<int>(ObjectionState::kUnspecified) == v1::Objection::STATE_UNSPECIFIED);
static_assert(static_cast<int>(ObjectionState::kPending) == v1::Objection::PENDING);
static_assert(static_cast<int>(ObjectionState::kUpheld) == v1::Objection::UPHELD);
static_assert(static_cast<int>(ObjectionState::kDismissed) == v1::Objection::DISMISSED);
static_assert(static_cast<int>(ExtensionState::kUnspecified) == v1::Extension::STATE_UNSPECIFIED);
static_assert(static_cast<int>(ExtensionState::kPending) == v1::Extension::PENDING);
static_assert(static_cast<int>(ExtensionState::kApproved) == v1::Extension::APPROVED);
static_assert(static_cast<int>(ExtensionState::kRefused) == v1::Extension::REFUSED);
static_assert(static_cast<int>(EvidenceKind::kUnspecified) == v1::Evidence::KIND_UNSPECIFIED);
static_assert(static_cast<int>(EvidenceKind::kPhotoBefore) == v1::Evidence::PHOTO_BEFORE);
static_assert(static_cast<int>(EvidenceKind::kPhotoAfter) == v1::Evidence::PHOTO_AFTER);
static_assert(static_cast<int>(EvidenceKind::kDocument) == v1::Evidence::DOCUMENT);
static_assert(static_cast<int>(EvidenceKind::kMonitoringData) == v1::Evidence::MONITORING_DATA);
static_assert(static_cast<int>(EvidenceKind::kObjectionEvidence) ==
              v1::Evidence::OBJECTION_EVIDENCE);
static_assert(static_cast<int>(RegionLevel::kUnspecified) == v1::Region::LEVEL_UNSPECIFIED);
static_assert(static_cast<int>(RegionLevel::kProvince) == v1::Region::PROVINCE);
static_assert(static_cast<int>(RegionLevel::kCity) == v1::Region::CITY);
static_assert(static_cast<int>(RegionLevel::kCounty) == v1::Region::COUNTY);
static_assert(static_cast<int>(ComplaintFinding::kPartly) == v1::Complaint::PARTLY_SUBSTANTIATED);

namespace {

// Enum values outside the domain's range are kept as they are, so validation can name them.
template <typename E>
E EnumCast(int value) {
  return static_cast<E>(value);
}

void ToProto(const Signature& s, v1::Signature* out) {
  out->set_org_id(s.org);
  out->set_actor(s.actor);
  *out->mutable_time() = ToProtoTime(s.time);
  out->set_decision(static_cast<v1::Decision>(s.decision));
  out->set_reason(s.reason);
}

}  // namespace

void ToProto(const Region& r, v1::Region* out) {
  out->set_code(r.code);
  out->set_name(r.name);
  out->set_level(static_cast<v1::Region::Level>(r.level));
  out->set_parent_code(r.parent_code);
}

void ToProto(const Org& o, v1::Org* out) {
  out->set_id(o.id);
  out->set_name(o.name);
  out->set_kind(static_cast<v1::Org::Kind>(o.kind));
  out->set_region_code(o.region_code);
  out->set_etag(EtagOf(o.version));
}

Org FromProto(const v1::Org& o) {
  return Org{o.id(), o.name(), EnumCast<OrgKind>(o.kind()), o.region_code(), 0};
}

void ToProto(const Inspection& i, v1::Inspection* out) {
  out->set_id(i.id);
  out->set_kind(static_cast<v1::Inspection::Kind>(i.kind));
  out->set_title(i.title);
  out->set_team(i.team);
  out->set_region_code(i.region_code);
  out->set_stationed_from(i.stationed_from);
  out->set_stationed_to(i.stationed_to);
  out->set_feedback_date(i.feedback_date);
  out->set_plan_due_date(i.plan_due_date);
  *out->mutable_create_time() = ToProtoTime(i.create_time);
  out->set_etag(EtagOf(i.version));
}

Inspection FromProto(const v1::Inspection& in) {
  Inspection i;
  i.kind = EnumCast<InspectionKind>(in.kind());
  i.title = in.title();
  i.team = in.team();
  i.region_code = in.region_code();
  i.stationed_from = in.stationed_from();
  i.stationed_to = in.stationed_to();
  i.feedback_date = in.feedback_date();
  return i;
}

void ToProto(const Issue& i, bool overdue, v1::Issue* out) {
  out->set_id(i.id);
  out->set_inspection_id(i.inspection_id);
  out->set_source(static_cast<v1::Issue::Source>(i.source));
  out->set_title(i.title);
  out->set_description(i.description);
  out->set_category(static_cast<v1::Issue::Category>(i.category));
  out->set_region_code(i.region_code);
  out->set_site(i.site);
  out->set_rectification_class(static_cast<v1::Issue::RectificationClass>(i.rectification_class));
  out->set_priority(static_cast<v1::Issue::Priority>(i.priority));
  out->set_state(static_cast<v1::Issue::State>(i.state));
  out->set_lead_org_id(i.lead_org_id);
  for (const auto& o : i.responsible_org_ids) out->add_responsible_org_ids(o);
  out->set_acceptance_org_id(i.acceptance_org_id);
  for (const auto& o : i.joint_reviewer_org_ids) out->add_joint_reviewer_org_ids(o);
  out->set_responsible_official(i.responsible_official);
  out->set_deadline(i.deadline);
  out->set_target_text(i.target_text);
  for (const auto& t : i.targets) {
    auto* pt = out->add_targets();
    pt->set_metric(t.metric);
    pt->set_unit(t.unit);
    pt->set_baseline(t.baseline);
    pt->set_target(t.target);
    if (t.actual) pt->set_actual(*t.actual);
  }
  for (const auto& m : i.measures) {
    auto* pm = out->add_measures();
    pm->set_id(m.id);
    pm->set_description(m.description);
    pm->set_due_date(m.due_date);
    pm->set_done(m.done);
    pm->set_done_date(m.done_date);
  }
  if (i.complaint) {
    auto* c = out->mutable_complaint();
    c->set_batch(i.complaint->batch);
    c->set_complainant_contact(i.complaint->complainant_contact);
    c->set_finding(static_cast<v1::Complaint::Finding>(i.complaint->finding));
    c->set_verification_report(i.complaint->verification_report);
    c->set_follow_up_result(i.complaint->follow_up_result);
  }
  out->set_progress_percent(i.progress_percent);
  out->set_rejection_count(i.rejection_count);
  out->set_overdue(overdue);
  *out->mutable_create_time() = ToProtoTime(i.create_time);
  *out->mutable_update_time() = ToProtoTime(i.update_time);
  if (i.assign_time) *out->mutable_assign_time() = ToProtoTime(*i.assign_time);
  if (i.acknowledge_time) *out->mutable_acknowledge_time() = ToProtoTime(*i.acknowledge_time);
  out->set_etag(EtagOf(i.version));
  if (i.acceptance) {
    const auto& a = *i.acceptance;
    auto* pa = out->mutable_acceptance();
    pa->set_round(a.round);
    pa->set_stage(a.stage);
    pa->set_self_check(a.self_check);
    for (int64_t e : a.evidence_ids) pa->add_evidence_ids(e);
    ToProto(a.application, pa->mutable_application());
    if (a.on_site) ToProto(*a.on_site, pa->mutable_on_site());
    if (a.pre_examination) ToProto(*a.pre_examination, pa->mutable_pre_examination());
    for (const auto& sig : a.joint_review) ToProto(sig, pa->add_joint_review());
  }
  if (i.notice) {
    out->mutable_notice()->set_start_date(i.notice->start_date);
    out->mutable_notice()->set_end_date(i.notice->end_date);
    out->mutable_notice()->set_working_days(i.notice->working_days);
  }
  out->set_last_rejection_reason(i.last_rejection_reason);
  out->set_reopen_count(i.reopen_count);
  if (i.last_reopening) {
    auto* r = out->mutable_last_reopening();
    r->set_reason(static_cast<v1::Reopening::Reason>(i.last_reopening->reason));
    r->set_explanation(i.last_reopening->explanation);
    r->set_cause(i.last_reopening->cause);
    r->set_actor(i.last_reopening->actor);
    *r->mutable_time() = ToProtoTime(i.last_reopening->time);
  }
  if (i.close_time) *out->mutable_close_time() = ToProtoTime(*i.close_time);
  out->set_imported_from(i.imported_from);
}

void ToProto(const Objection& o, v1::Objection* out) {
  out->set_id(o.id);
  out->set_issue_id(o.issue_id);
  out->set_text(o.text);
  out->set_contact(o.contact);
  for (int64_t e : o.evidence_ids) out->add_evidence_ids(e);
  out->set_state(static_cast<v1::Objection::State>(o.state));
  out->set_ruling(o.ruling);
  out->set_filed_by(o.filed_by);
  *out->mutable_create_time() = ToProtoTime(o.create_time);
  if (o.rule_time) *out->mutable_rule_time() = ToProtoTime(*o.rule_time);
}

void ToProto(const Extension& e, v1::Extension* out) {
  out->set_id(e.id);
  out->set_issue_id(e.issue_id);
  out->set_current_deadline(e.current_deadline);
  out->set_requested_deadline(e.requested_deadline);
  out->set_reason(e.reason);
  out->set_state(static_cast<v1::Extension::State>(e.state));
  out->set_decision_reason(e.decision_reason);
  out->set_requested_by_org(e.requested_by_org);
  *out->mutable_create_time() = ToProtoTime(e.create_time);
  if (e.decide_time) *out->mutable_decide_time() = ToProtoTime(*e.decide_time);
}

void ToProto(const Evidence& e, v1::Evidence* out) {
  out->set_id(e.id);
  out->set_issue_id(e.issue_id);
  out->set_kind(static_cast<v1::Evidence::Kind>(e.kind));
  out->set_file_name(e.file_name);
  out->set_media_type(e.media_type);
  out->set_size_bytes(e.size_bytes);
  out->set_sha256(e.sha256);
  out->set_progress_report_id(e.progress_report_id);
  out->set_sealed(e.sealed);
  out->set_uploaded_by_org(e.uploaded_by_org);
  out->set_uploaded_by(e.uploaded_by);
  *out->mutable_create_time() = ToProtoTime(e.create_time);
  out->set_description(e.description);
}

void ToProto(const HistoryRecord& r, v1::HistoryRecord* out) {
  out->set_seq(r.seq);
  out->set_action(r.action);
  out->set_actor(r.actor);
  out->set_actor_org(r.actor_org);
  *out->mutable_time() = ToProtoTime(r.time);
  out->set_payload_json(r.payload_json);
  out->set_prev_hash(r.prev_hash);
  out->set_hash(r.hash);
}

Issue FromProto(const v1::Issue& in) {
  Issue i;
  i.id = in.id();
  i.inspection_id = in.inspection_id();
  i.source = EnumCast<IssueSource>(in.source());
  i.title = in.title();
  i.description = in.description();
  i.category = EnumCast<Category>(in.category());
  i.region_code = in.region_code();
  i.site = in.site();
  i.rectification_class = EnumCast<RectificationClass>(in.rectification_class());
  i.priority = EnumCast<Priority>(in.priority());
  i.lead_org_id = in.lead_org_id();
  i.responsible_org_ids.assign(in.responsible_org_ids().begin(), in.responsible_org_ids().end());
  i.acceptance_org_id = in.acceptance_org_id();
  i.joint_reviewer_org_ids.assign(in.joint_reviewer_org_ids().begin(),
                                  in.joint_reviewer_org_ids().end());
  i.responsible_official = in.responsible_official();
  i.deadline = in.deadline();
  i.target_text = in.target_text();
  for (const auto& t : in.targets()) {
    Target target{t.metric(), t.unit(), t.baseline(), t.target(), std::nullopt};
    if (t.has_actual()) target.actual = t.actual();
    i.targets.push_back(std::move(target));
  }
  for (const auto& m : in.measures()) {
    i.measures.push_back({m.id(), m.description(), m.due_date(), m.done(), m.done_date()});
  }
  if (in.has_complaint()) {
    const auto& c = in.complaint();
    i.complaint =
        Complaint{c.batch(), c.complainant_contact(), EnumCast<ComplaintFinding>(c.finding()),
                  c.verification_report(), c.follow_up_result()};
  }
  return i;
}

void ToProto(const ProgressReport& r, v1::ProgressReport* out) {
  out->set_id(r.id);
  out->set_issue_id(r.issue_id);
  out->set_percent_done(r.percent_done);
  out->set_narrative(r.narrative);
  for (const auto& u : r.measure_updates) {
    auto* pu = out->add_measure_updates();
    pu->set_measure_id(u.measure_id);
    pu->set_done(u.done);
    pu->set_note(u.note);
  }
  out->set_reporter_org_id(r.reporter_org_id);
  out->set_reporter(r.reporter);
  *out->mutable_create_time() = ToProtoTime(r.create_time);
}

ProgressReport FromProto(const v1::ProgressReport& in) {
  ProgressReport r;
  r.percent_done = in.percent_done();
  r.narrative = in.narrative();
  for (const auto& u : in.measure_updates()) {
    r.measure_updates.push_back({u.measure_id(), u.done(), u.note()});
  }
  return r;
}

}  // namespace rectify::issues
