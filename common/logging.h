// Structured logging: one JSON object per line on stderr (spdlog underneath), so a log shipper
// or `jq` can read it. Fields are a JSON object: log::Info("started", {{"port", 50051}}).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/strings/string_view.h"

namespace rectify::log {

using Fields = nlohmann::json;

// Sets the service name stamped on every line and the minimum level ("debug", "info", "warn",
// "error"). Call once at start-up; logging works without it.
void Init(absl::string_view service, absl::string_view level);

// Whether info (debug) lines are written; lets hot paths skip building fields nobody will read.
bool InfoEnabled();
bool DebugEnabled();

void Debug(absl::string_view message, const Fields& fields = Fields::object());
void Info(absl::string_view message, const Fields& fields = Fields::object());
void Warn(absl::string_view message, const Fields& fields = Fields::object());
void Error(absl::string_view message, const Fields& fields = Fields::object());

}  // namespace rectify::log
