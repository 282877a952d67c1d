// What every service's JSON codec (stored bodies, history and event payloads) shares: the one
// way a document is written, and instants as microseconds since the epoch.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace rectify {

// Compact, with invalid UTF-8 replaced rather than thrown on.
inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// The instant under `key` (the epoch when absent).
inline absl::Time TimeAt(const nlohmann::json& j, const char* key) {
  return absl::FromUnixMicros(j.value(key, int64_t{0}));
}

// The instant under `key`, if present.
inline std::optional<absl::Time> OptionalTimeAt(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_integer()) return std::nullopt;
  return absl::FromUnixMicros(j[key].get<int64_t>());
}

}  // namespace rectify
