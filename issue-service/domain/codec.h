// Canonical JSON of the domain's resources: the stored body of an issue, the payload of its
// events and history records, and the remembered answer of an idempotent request.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "common/json_codec.h"
#include "issue-service/domain/model.h"

namespace rectify::issues {

enum class Personal { kInclude, kOmit };

nlohmann::json ToJson(const Issue& issue, Personal personal = Personal::kInclude);
nlohmann::json ToJson(const ProgressReport& report);
nlohmann::json ToJson(const Inspection& inspection);
nlohmann::json ToJson(const Org& org);
nlohmann::json ToJson(const Objection& objection, Personal personal = Personal::kInclude);
nlohmann::json ToJson(const Extension& extension);
nlohmann::json ToJson(const Evidence& evidence);

// INTERNAL when the stored text is not what this code wrote.
absl::StatusOr<Issue> IssueFromJson(const std::string& text);
absl::StatusOr<ProgressReport> ProgressReportFromJson(const std::string& text);
absl::StatusOr<Inspection> InspectionFromJson(const std::string& text);
absl::StatusOr<Org> OrgFromJson(const std::string& text);
absl::StatusOr<Objection> ObjectionFromJson(const std::string& text);
absl::StatusOr<Extension> ExtensionFromJson(const std::string& text);
absl::StatusOr<Evidence> EvidenceFromJson(const std::string& text);

}  // namespace rectify::issues
