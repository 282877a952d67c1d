// The names of supervision's enums as the API spells them (the protos' value names), for
// filters, history payloads and messages. Index = the enum's value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "supervision-service/domain/model.h"

namespace rectify::supervision {

using NameTable = std::vector<const char*>;

const NameTable& IssueStateNames();
const NameTable& LevelNames();
const NameTable& SupervisionLevelNames();
const NameTable& LightNames();
const NameTable& EscalationStateNames();
const NameTable& CauseNames();
const NameTable& ResponseKindNames();
const NameTable& ObligationKindNames();
const NameTable& ObligationStateNames();
const NameTable& LinkageStateNames();
const NameTable& DirectiveStateNames();
const NameTable& MeetingKindNames();

template <typename E>
const char* NameOf(const NameTable& names, E value) {
  auto i = static_cast<size_t>(value);
  return i < names.size() ? names[i] : "UNKNOWN";
}

// The value named `name` (not the zero value); nullopt when unknown.
template <typename E>
std::optional<E> ValueNamed(const NameTable& names, absl::string_view name) {
  for (size_t i = 1; i < names.size(); ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace rectify::supervision
