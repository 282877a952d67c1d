// Canonical JSON of a case: its stored body, its history payload and its event payload.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "accountability-service/domain/model.h"
#include "common/json_codec.h"

namespace rectify::accountability {

enum class Personal { kInclude, kOmit };

nlohmann::json ToJson(const Case& c, Personal personal = Personal::kInclude);
// INTERNAL (reason CORRUPT_RECORD) when the stored text is not what this code wrote: not a JSON
// object, a member of another type, or an enum's number that the model does not define.
absl::StatusOr<Case> CaseFromJson(const std::string& text);

}  // namespace rectify::accountability
