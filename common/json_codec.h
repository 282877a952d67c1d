// What every service's JSON codec (stored bodies, history and event payloads) shares: the one
// way a document is written, and instants as microseconds since the epoch.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/time/time.h"

namespace rectify {

// Compact, with invalid UTF-8 replaced rather than thrown on.
inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// Reading integers. nlohmann::json's value(key, 0) converts whatever number it finds, and a
// number with a fraction or an exponent out of the integer's range (1e300) is converted with
// undefined behaviour. The codecs write integers only where they read them, so these refuse
// anything else (a fraction, an exponent, an integer out of T's range, a boolean) by throwing
// nlohmann::json::type_error, as value() does for a member of another type: each FromJson turns
// that into INTERNAL (CORRUPT_RECORD).
template <typename T>
T IntegerOf(const nlohmann::json& v) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  using Limits = std::numeric_limits<T>;
  if (v.is_number_unsigned()) {
    const uint64_t n = v.get<uint64_t>();
    if (n <= static_cast<uint64_t>(Limits::max())) return static_cast<T>(n);
  } else if (v.is_number_integer()) {
    const int64_t n = v.get<int64_t>();
    if constexpr (Limits::is_signed) {
      if (n >= Limits::min() && n <= Limits::max()) return static_cast<T>(n);
    } else {
      if (n >= 0 && static_cast<uint64_t>(n) <= Limits::max()) return static_cast<T>(n);
    }
  }
  throw nlohmann::json::type_error::create(
      302, std::string("type must be an integer in range, but is ") + v.type_name(), &v);
}

// The integer under `key` (`fallback` when absent); throws like value() when `j` is no object.
template <typename T>
T IntegerAt(const nlohmann::json& j, const char* key, T fallback) {
  if (j.is_object() && !j.contains(key)) return fallback;
  return IntegerOf<T>(j.at(key));
}

// The array of integers under `key` (empty when absent).
template <typename T>
std::vector<T> IntegersAt(const nlohmann::json& j, const char* key) {
  std::vector<T> out;
  if (j.is_object() && !j.contains(key)) return out;
  const nlohmann::json& array = j.at(key);
  if (!array.is_array()) {
    throw nlohmann::json::type_error::create(
        302, std::string("type must be array, but is ") + array.type_name(), &array);
  }
  for (const nlohmann::json& v : array) out.push_back(IntegerOf<T>(v));
  return out;
}

// An enum stored as its number: 0 when absent, refused like the above when it is not one of
// 0..max (a value this code does not define, which tables of names would be indexed with).
template <typename E>
E EnumOf(const nlohmann::json& v, int max) {
  const int n = IntegerOf<int>(v);
  if (n < 0 || n > max) {
    throw nlohmann::json::type_error::create(302, "enum value out of range", &v);
  }
  return static_cast<E>(n);
}

template <typename E>
E EnumAt(const nlohmann::json& j, const char* key, int max) {
  if (j.is_object() && !j.contains(key)) return static_cast<E>(0);
  return EnumOf<E>(j.at(key), max);
}

template <typename E>
std::vector<E> EnumsAt(const nlohmann::json& j, const char* key, int max) {
  std::vector<E> out;
  for (int n : IntegersAt<int>(j, key)) {
    if (n < 0 || n > max) {
      throw nlohmann::json::type_error::create(302, "enum value out of range", &j);
    }
    out.push_back(static_cast<E>(n));
  }
  return out;
}

// The instant under `key` (the epoch when absent).
inline absl::Time TimeAt(const nlohmann::json& j, const char* key) {
  return absl::FromUnixMicros(IntegerAt(j, key, int64_t{0}));
}

// The instant under `key`, if present.
inline std::optional<absl::Time> OptionalTimeAt(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_integer()) return std::nullopt;
  return absl::FromUnixMicros(j[key].get<int64_t>());
}

}  // namespace rectify
