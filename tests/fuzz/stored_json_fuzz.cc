// libFuzzer target for the JSON codecs of what the services store (the bodies of issues, reports,
// inspections, orgs, objections, extensions and evidence; of supervision records, escalations,
// obligations, linkage requests, directives, meetings and policies; of accountability cases) and
// for supervision's reading of the registry's event payloads. A stored body comes back from the
// database, from a backup or from an older version of the code, so it is read as outside input.
// Each input goes whole to every decoder (see corpus/stored_json/). Besides not crashing:
//
//   - a decoder never throws, and refuses only with INTERNAL, reason CORRUPT_RECORD;
//   - what it read, written again, reads back as the same document (decoding is idempotent on
//     what the codec writes, so a record that was read once stays readable);
//   - a case holds only values its enums define (they index tables of names);
//   - an issue read by the registry's codec, as its event payload, is read by supervision as the
//     same facts (the two services' codecs agree), and an event payload gives an issue with an id.
//
// Built from the repository's root like multipart_fuzz.cc, against the three services' domains;
// tests/fuzz/CMakeLists.txt builds it as stored_json_fuzz (libFuzzer) and stored_json_replay (its
// corpus, run by ctest).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "accountability-service/domain/case_codec.h"
#include "common/json_codec.h"
#include "common/status.h"
#include "issue-service/domain/codec.h"
#include "issue-service/domain/names.h"
#include "supervision-service/domain/codec.h"

namespace rectify {
namespace {

using nlohmann::json;

// Decodes `text`; when it reads, checks that what it read reads back the same once written.
template <typename T, typename Decode, typename Encode>
std::optional<T> CheckCodec(const std::string& text, Decode decode, Encode encode) {
  absl::StatusOr<T> value = decode(text);
  if (!value.ok()) {
    if (value.status().code() != absl::StatusCode::kInternal ||
        ErrorReason(value.status()) != "CORRUPT_RECORD") {
      std::abort();
    }
    return std::nullopt;
  }
  const json written = encode(*value);
  absl::StatusOr<T> again = decode(Dump(written));
  if (!again.ok() || encode(*again) != written) std::abort();
  return *std::move(value);
}

void CheckCase(const accountability::Case& c) {
  using namespace accountability;  // NOLINT
  auto in = [](auto value, int max) {
    return static_cast<int>(value) >= 0 && static_cast<int>(value) <= max;
  };
  if (!in(c.state, 5) || !in(c.source, kMaxCaseSource)) std::abort();
  for (FailureType t : c.failure_types) {
    if (!in(t, kMaxFailureType)) std::abort();
  }
  if (c.finding) {
    for (FailureType t : c.finding->confirmed) {
      if (!in(t, kMaxFailureType)) std::abort();
    }
  }
  for (const Subject& s : c.subjects) {
    if (!in(s.kind, 2)) std::abort();
  }
  for (const ReopenDelivery& r : c.reopens) {
    if (!in(r.state, 3)) std::abort();
  }
}

// The registry's issue, as its events carry it, read by supervision.
void CheckIssueEvent(const issues::Issue& issue) {
  const std::optional<supervision::IssueFacts> facts =
      supervision::IssueFromEventPayload(Dump(issues::ToJson(issue, issues::Personal::kOmit)));
  if (issue.id <= 0) {
    if (facts.has_value()) std::abort();
    return;
  }
  if (!facts.has_value() || facts->id != issue.id || facts->title != issue.title ||
      facts->region_code != issue.region_code || facts->lead_org_id != issue.lead_org_id ||
      facts->responsible_org_ids != issue.responsible_org_ids ||
      facts->deadline != issue.deadline || facts->progress_percent != issue.progress_percent ||
      facts->rejection_count != issue.rejection_count || facts->assign_time != issue.assign_time ||
      facts->source != issues::EnumToName(issues::kSourceNames, issue.source) ||
      facts->priority != issues::EnumToName(issues::kPriorityNames, issue.priority) ||
      facts->category != issues::EnumToName(issues::kCategoryNames, issue.category) ||
      facts->complaint != (issue.source == issues::IssueSource::kComplaint) ||
      facts->key != (issue.priority == issues::Priority::kKey)) {
    std::abort();
  }
  const std::string state = issue.state == issues::IssueState::kUnspecified
                                ? "STATE_UNSPECIFIED"
                                : issues::EnumToName(issues::kStateNames, issue.state);
  if (supervision::IssueStateName(facts->state) != state) std::abort();
}

void CheckIssueCodecs(const std::string& text) {
  using namespace issues;  // NOLINT
  std::optional<Issue> issue = CheckCodec<Issue>(
      text, &IssueFromJson, [](const Issue& i) { return ToJson(i, Personal::kInclude); });
  if (issue) CheckIssueEvent(*issue);
  CheckCodec<ProgressReport>(text, &ProgressReportFromJson,
                             [](const ProgressReport& r) { return ToJson(r); });
  CheckCodec<Inspection>(text, &InspectionFromJson, [](const Inspection& i) { return ToJson(i); });
  CheckCodec<Org>(text, &OrgFromJson, [](const Org& o) { return ToJson(o); });
  CheckCodec<Objection>(text, &ObjectionFromJson,
                        [](const Objection& o) { return ToJson(o, Personal::kInclude); });
  CheckCodec<Extension>(text, &ExtensionFromJson, [](const Extension& e) { return ToJson(e); });
  CheckCodec<Evidence>(text, &EvidenceFromJson, [](const Evidence& e) { return ToJson(e); });
}

void CheckSupervisionCodecs(const std::string& text) {
  using namespace supervision;  // NOLINT
  CheckCodec<SupervisionRecord>(text, &RecordFromJson,
                                [](const SupervisionRecord& r) { return ToJson(r); });
  CheckCodec<Escalation>(text, &EscalationFromJson, [](const Escalation& e) { return ToJson(e); });
  CheckCodec<Obligation>(text, &ObligationFromJson, [](const Obligation& o) { return ToJson(o); });
  CheckCodec<LinkageRequest>(text, &LinkageFromJson,
                             [](const LinkageRequest& l) { return ToJson(l); });
  CheckCodec<Directive>(text, &DirectiveFromJson, [](const Directive& d) { return ToJson(d); });
  CheckCodec<Meeting>(text, &MeetingFromJson, [](const Meeting& m) { return ToJson(m); });
  CheckCodec<EscalationPolicy>(text, &PolicyFromJson,
                               [](const EscalationPolicy& p) { return ToJson(p); });
  const std::optional<IssueFacts> facts = IssueFromEventPayload(text);
  if (facts.has_value() && facts->id <= 0) std::abort();
}

void CheckCaseCodec(const std::string& text) {
  using namespace accountability;  // NOLINT
  std::optional<Case> c = CheckCodec<Case>(
      text, &CaseFromJson, [](const Case& c) { return ToJson(c, Personal::kInclude); });
  if (c) CheckCase(*c);
}

}  // namespace
}  // namespace rectify

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rectify::CheckIssueCodecs(text);
  rectify::CheckSupervisionCodecs(text);
  rectify::CheckCaseCodec(text);
  return 0;
}
