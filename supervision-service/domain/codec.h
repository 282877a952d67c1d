// Canonical JSON of supervision's objects (stored bodies, history and event payloads; enums by
// name), and the registry's issue as its events carry it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "common/json_codec.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

// Each *FromJson is INTERNAL (reason CORRUPT_RECORD) when the stored text is not what this code
// wrote: not a JSON object, or a member of another type.
nlohmann::json ToJson(const SupervisionRecord& r);
absl::StatusOr<SupervisionRecord> RecordFromJson(const std::string& text);
nlohmann::json ToJson(const Escalation& e);
absl::StatusOr<Escalation> EscalationFromJson(const std::string& text);
nlohmann::json ToJson(const Obligation& o);
absl::StatusOr<Obligation> ObligationFromJson(const std::string& text);
nlohmann::json ToJson(const LinkageRequest& l);
absl::StatusOr<LinkageRequest> LinkageFromJson(const std::string& text);
nlohmann::json ToJson(const Directive& d);
absl::StatusOr<Directive> DirectiveFromJson(const std::string& text);
nlohmann::json ToJson(const Meeting& m);
absl::StatusOr<Meeting> MeetingFromJson(const std::string& text);
nlohmann::json ToJson(const EscalationPolicy& p);
absl::StatusOr<EscalationPolicy> PolicyFromJson(const std::string& text);

// The issue in an event's payload (the registry's canonical JSON); nullopt when the payload
// carries no issue (e.g. a file added to the dossier), or none this code can read (a member of
// another type than the registry writes).
std::optional<IssueFacts> IssueFromEventPayload(const std::string& payload_json);

}  // namespace rectify::supervision
