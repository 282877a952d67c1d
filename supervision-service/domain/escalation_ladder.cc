#include "supervision-service/domain/escalation_ladder.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/status.h"
#include "common/text.h"
#include "supervision-service/domain/access.h"
#include "supervision-service/domain/filters.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/domain/obligations.h"

namespace rectify::supervision {
namespace {

constexpr int kSweepBatch = 10000;
}  // namespace

void EscalationLadder::ApplyRaise(SupervisionRecord& r, const Escalation& e,
                                  const PolicyEvaluator& evaluator) {
  if (std::find(r.open_levels.begin(), r.open_levels.end(), e.level) == r.open_levels.end()) {
    r.open_levels.push_back(e.level);
    std::sort(r.open_levels.begin(), r.open_levels.end());
  }
  if (e.level == Level::kNotice) ++r.notices;
  if (e.level == Level::kListed) {
    r.level = SupervisionLevel::kListed;
    if (!r.listed_time) r.listed_time = e.as_of;
  }
  r.light = evaluator.LightOf(r, e.as_of);
}

RaiseRequest EscalationLadder::RequestFor(const Mutation& m, const SupervisionRecord* record,
                                          const Raise& raise, int64_t policy_version,
                                          absl::Time as_of) const {
  RaiseRequest req;
  Escalation& e = req.escalation;
  if (record) {
    e.issue_id = record->issue.id;
    e.subject = IssueSubject(record->issue.id);
    e.region_code = record->issue.region_code;
  }
  e.level = raise.level;
  e.state = EscalationState::kOpen;
  e.cause = raise.cause;
  e.cause_key = raise.cause_key;
  e.detail = raise.detail;
  e.related = raise.related;
  e.org_id = raise.org_id;
  e.policy_version = policy_version;
  e.raised_by = m.actor.subject;
  e.raise_time = m.now;
  e.as_of = as_of;
  if (e.level == Level::kNotice) e.circular_period = MonthOf(as_of);
  if (e.level == Level::kTransfer) e.transfer = TransferState::kPending;
  req.owes_case = e.level == Level::kTransfer;
  return req;
}

absl::StatusOr<SweepResult> EscalationLadder::RunSweep(const CallContext& call,
                                                       std::optional<absl::Time> as_of) {
  RETURN_IF_ERROR(SupervisionAccess::CheckSupervise(call.principal));
  absl::Time when = as_of.value_or(call.now);
  if (when < absl::FromCivil(absl::CivilDay(2000, 1, 1), ProvinceTimeZone()) ||
      when > call.now + absl::Hours(24 * 366 * 5)) {
    return InvalidField("as_of", "must lie between 2000 and five years from now");
  }
  if (!sweep_mu_.TryLock()) {
    return MakeError(absl::StatusCode::kAborted, "SWEEP_RUNNING",
                     "a sweep is running in this service; retry when it is done");
  }
  auto result = SweepLocked(MutationOf(call, "RunSweep"), when);
  sweep_mu_.Unlock();
  return result;
}

absl::StatusOr<SweepResult> EscalationLadder::Sweep(const Mutation& m, absl::Time as_of) {
  absl::MutexLock lock(&sweep_mu_);
  return SweepLocked(m, as_of);
}

absl::StatusOr<SweepResult> EscalationLadder::SweepLocked(const Mutation& m, absl::Time as_of) {
  ASSIGN_OR_RETURN(EscalationPolicy policy, policies_.Current(m.deadline));
  PolicyEvaluator evaluator(policy, calendar_);
  SweepResult result;
  result.policy_version = policy.version;
  // A sweep is never replayed as a stored answer: a repeat evaluates again and raises nothing new.
  Mutation sweep = m;
  sweep.request_id.clear();
  RETURN_IF_ERROR(sweeps_
                      .MutateObligationsDue(sweep, as_of, "supervision.obligation_missed",
                                            [&](Obligation& o) { return MissIfPastDue(o, as_of); })
                      .status());
  RaiseRule rule = [&](SupervisionRecord& r, const Escalation& e) { ApplyRaise(r, e, evaluator); };
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto subjects, sweeps_.SweepSubjects(as_of, after, kSweepBatch, m.deadline));
    if (subjects.empty()) break;
    std::vector<RaiseRequest> requests;
    std::vector<std::pair<int64_t, Light>> lights;
    for (const auto& s : subjects) {
      after = s.record.issue.id;
      ++result.evaluated;
      Light light = Light::kOff;
      auto raises = evaluator.Evaluate(s, as_of, &light);
      for (const auto& r : raises) {
        requests.push_back(RequestFor(sweep, &s.record, r, policy.version, as_of));
      }
      // A record that gets an escalation has its light set with it.
      if (raises.empty() && light != s.record.light) lights.emplace_back(s.record.issue.id, light);
    }
    if (!requests.empty()) {
      ASSIGN_OR_RETURN(auto raised, store_.Raise(sweep, std::move(requests), rule));
      for (auto& e : raised) result.raised.push_back(std::move(e));
    }
    if (!lights.empty()) RETURN_IF_ERROR(sweeps_.StoreLights(lights, m.deadline));
    if (static_cast<int>(subjects.size()) < kSweepBatch) break;
  }
  // Directives that concern no issue.
  ASSIGN_OR_RETURN(auto directives, sweeps_.OverdueDirectives(as_of, m.deadline));
  std::vector<RaiseRequest> requests;
  for (const auto& [d, raised_before] : directives) {
    for (const auto& raise : evaluator.EvaluateDirective(d, as_of)) {
      bool before = std::any_of(raised_before.begin(), raised_before.end(), [&](const auto& r) {
        return r.first == raise.level && r.second == raise.cause_key;
      });
      if (before) continue;
      RaiseRequest req = RequestFor(sweep, nullptr, raise, policy.version, as_of);
      req.escalation.subject = DirectiveSubject(d.id);
      requests.push_back(std::move(req));
    }
  }
  if (!requests.empty()) {
    ASSIGN_OR_RETURN(auto raised, store_.Raise(sweep, std::move(requests), rule));
    for (auto& e : raised) result.raised.push_back(std::move(e));
  }
  RETURN_IF_ERROR(sweeps_.RecordSweep(as_of, policy.version, result.evaluated,
                                      static_cast<int64_t>(result.raised.size()), m.deadline));
  return result;
}

absl::StatusOr<EscalationPage> EscalationLadder::ListEscalations(const CallContext& call,
                                                                 int page_size,
                                                                 const std::string& page_token,
                                                                 const std::string& filter) {
  if (call.principal.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "escalations are not public");
  }
  ASSIGN_OR_RETURN(int size, EffectivePageSize(page_size, pages_));
  ASSIGN_OR_RETURN(EscalationQuery q, ParseEscalationFilter(filter));
  Scope scope = SupervisionAccess::ScopeOf(call.principal);
  ASSIGN_OR_RETURN(
      auto rows,
      ReadKeysetPage<Escalation>(
          tokens_, absl::StrCat("escalations|", filter, "|", PrincipalKey(call.principal)),
          page_token, size,
          [&](const PagePosition& after, int limit) {
            return store_.ListEscalations(q, scope, after.id, limit, call.deadline);
          },
          [](const Escalation& e) {
            return PagePosition{"", e.id};
          }));
  return EscalationPage{std::move(rows.rows), std::move(rows.next_page_token)};
}

absl::StatusOr<Escalation> EscalationLadder::GetEscalation(const CallContext& call, int64_t id) {
  if (id <= 0) return InvalidField("id", "must be a positive id");
  const Principal& p = call.principal;
  auto e = store_.GetEscalation(id, call.deadline);
  if (absl::IsNotFound(e.status())) return SupervisionAccess::Hidden(p, EscalationResource(id));
  RETURN_IF_ERROR(e.status());
  std::optional<SupervisionRecord> record;
  if (e->issue_id > 0) {
    auto r = records_.GetRecord(e->issue_id, call.deadline);
    if (r.ok()) record = *r;
  }
  if (!SupervisionAccess::CanSee(p, *e, record ? &*record : nullptr)) {
    return SupervisionAccess::Invisible(p, EscalationResource(id));
  }
  return e;
}

absl::StatusOr<Escalation> EscalationLadder::EscalateIssue(const CallContext& call,
                                                           int64_t issue_id, Level level,
                                                           const std::string& reason,
                                                           const std::string& skip_reason) {
  RETURN_IF_ERROR(SupervisionAccess::CheckSupervise(call.principal));
  Violations v;
  if (issue_id <= 0) v.Add("issue_id", "must be a positive id");
  int l = static_cast<int>(level);
  if (l < 1 || l > kMaxLevel) v.Add("level", "WARNING, NOTICE, INTERVIEW, LISTED or TRANSFER");
  CheckText(v, "reason", reason, kMaxText, true);
  CheckText(v, "skip_reason", skip_reason, kMaxText, false);
  RETURN_IF_ERROR(v.ToStatus());
  auto record = records_.GetRecord(issue_id, call.deadline);
  if (absl::IsNotFound(record.status())) {
    return FailedPreconditionError("NOT_SUPERVISED",
                                   absl::StrCat("issues/", issue_id, " is not under supervision"));
  }
  RETURN_IF_ERROR(record.status());
  if (!record->active || IsSettled(record->issue.state)) {
    return FailedPreconditionError(
        "NOT_SUPERVISED", absl::StrCat("issues/", issue_id, " is ",
                                       IssueStateName(record->issue.state), ", off the board"));
  }
  if (level > Level::kWarning) {
    EscalationQuery below;
    below.issue_id = issue_id;
    below.level = static_cast<Level>(l - 1);
    ASSIGN_OR_RETURN(
        auto lower, store_.ListEscalations(below, Scope{true, false, "", ""}, 0, 1, call.deadline));
    if (lower.empty() && Blank(skip_reason)) {
      return InvalidField("skip_reason", absl::StrCat("no ", LevelName(below.level.value()),
                                                      " was raised for this issue: say why ",
                                                      LevelName(level), " skips it"));
    }
  }
  ASSIGN_OR_RETURN(EscalationPolicy policy, policies_.Current(call.deadline));
  PolicyEvaluator evaluator(policy, calendar_);
  Mutation m = MutationOf(call, "EscalateIssue");
  Raise raise{
      level,
      Cause::kByHand,
      absl::StrCat("by_hand:", absl::ToUnixMicros(call.now), ":", call.principal.subject),
      Blank(skip_reason) ? reason : absl::StrCat(reason, " (level skipped: ", skip_reason, ")"),
      "",
      record->issue.lead_org_id};
  RaiseRequest req = RequestFor(m, &*record, raise, policy.version, call.now);
  std::vector<RaiseRequest> requests;
  requests.push_back(std::move(req));
  ASSIGN_OR_RETURN(auto raised, store_.Raise(m, std::move(requests),
                                             [&](SupervisionRecord& r, const Escalation& e) {
                                               ApplyRaise(r, e, evaluator);
                                             }));
  if (raised.empty()) {
    return FailedPreconditionError(
        "ALREADY_OPEN", absl::StrCat("issues/", issue_id, " has an open ", LevelName(level)));
  }
  return raised.front();
}

absl::StatusOr<Escalation> EscalationLadder::Respond(const CallContext& call, int64_t id,
                                                     ResponseKind kind, const std::string& text,
                                                     const std::string& etag) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic || p.role == Role::kDiscipline) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "the org concerned answers an escalation");
  }
  Violations v;
  if (id <= 0) v.Add("id", "must be a positive id");
  int k = static_cast<int>(kind);
  if (k < 1 || k > kMaxResponseKind) v.Add("kind", "INTERVIEW_RECORD, COMMITMENT or EXPLANATION");
  CheckText(v, "text", text, kMaxText, true);
  RETURN_IF_ERROR(v.ToStatus());
  auto result = store_.MutateEscalation(
      MutationOf(call, "RespondToEscalation"), id,
      [&](Escalation& e, SupervisionRecord* record) -> absl::StatusOr<Change> {
        if (!SupervisionAccess::CanSee(p, e, record)) {
          return SupervisionAccess::Invisible(p, EscalationResource(id));
        }
        if (e.org_id != p.org) {
          return PermissionDeniedError("NOT_YOURS",
                                       absl::StrCat(EscalationResource(id), " is for ", e.org_id));
        }
        RETURN_IF_ERROR(CheckEtag(etag, e.version, EscalationResource(id)));
        if (e.level == Level::kTransfer) {
          return FailedPreconditionError("TRANSFERRED",
                                         "a transfer is answered in its accountability case");
        }
        if (e.state != EscalationState::kOpen) {
          return FailedPreconditionError(
              "INVALID_STATE",
              absl::StrCat("escalation is ", NameOf(EscalationStateNames(), e.state)));
        }
        if (e.level == Level::kInterview && kind != ResponseKind::kInterviewRecord) {
          return InvalidField("kind", "an interview is answered with its record");
        }
        e.response = EscalationResponse{kind, text, p.org, p.subject, call.now};
        e.state = EscalationState::kResponded;
        return Change{"supervision.escalation_responded"};
      });
  if (absl::IsNotFound(result.status()))
    return SupervisionAccess::Hidden(p, EscalationResource(id));
  return result;
}

absl::StatusOr<Escalation> EscalationLadder::Resolve(const CallContext& call, int64_t id,
                                                     const std::string& reason,
                                                     const std::string& etag) {
  RETURN_IF_ERROR(SupervisionAccess::CheckSupervise(call.principal));
  Violations v;
  if (id <= 0) v.Add("id", "must be a positive id");
  CheckText(v, "reason", reason, kMaxText, true);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(EscalationPolicy policy, policies_.Current(call.deadline));
  PolicyEvaluator evaluator(policy, calendar_);
  auto result = store_.MutateEscalation(
      MutationOf(call, "ResolveEscalation"), id,
      [&](Escalation& e, SupervisionRecord* record) -> absl::StatusOr<Change> {
        RETURN_IF_ERROR(CheckEtag(etag, e.version, EscalationResource(id)));
        if (!IsOpen(e.state)) {
          return FailedPreconditionError("INVALID_STATE", "the escalation is already resolved");
        }
        if (e.level == Level::kTransfer && e.transfer == TransferState::kPending) {
          return FailedPreconditionError("TRANSFER_PENDING",
                                         "the accountability case is not opened yet");
        }
        e.state = EscalationState::kResolved;
        e.resolution = EscalationResolution{reason, call.principal.subject, call.now};
        if (record) {
          auto& open = record->open_levels;
          open.erase(std::remove(open.begin(), open.end(), e.level), open.end());
          record->light = evaluator.LightOf(*record, call.now);
        }
        return Change{"supervision.escalation_resolved"};
      });
  if (absl::IsNotFound(result.status())) {
    return SupervisionAccess::Hidden(call.principal, EscalationResource(id));
  }
  return result;
}

absl::StatusOr<CircularView> EscalationLadder::Circular(const CallContext& call,
                                                        const std::string& period) {
  const Principal& p = call.principal;
  if (p.role == Role::kPublic) {
    return PermissionDeniedError("ROLE_NOT_ALLOWED", "circulars are for those supervised");
  }
  if (period.size() != 7 || !ParseDate(period + "-01")) {
    return InvalidField("period", "a month YYYY-MM");
  }
  ASSIGN_OR_RETURN(auto notices, store_.Circular(period, call.deadline));
  CircularView view;
  view.period = period;
  for (auto& e : notices) {
    std::optional<SupervisionRecord> record;
    if (!SupervisionAccess::SeesEverything(p)) {
      auto r = records_.GetRecord(e.issue_id, call.deadline);
      if (r.ok()) record = *r;
    }
    if (!SupervisionAccess::CanSee(p, e, record ? &*record : nullptr)) continue;
    view.by_region[e.region_code.substr(0, 4) + "00"]++;
    view.by_org[e.org_id]++;
    view.notices.push_back(std::move(e));
  }
  return view;
}

}  // namespace rectify::supervision
