#include "common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rectify::log {
namespace {

struct State {
  std::shared_ptr<spdlog::logger> logger;
  std::string service = "rectify";
};

State& GetState() {
  static State* state = [] {
    auto* s = new State();
    s->logger = spdlog::stderr_logger_mt("rectify");
    s->logger->set_pattern("%v");
    s->logger->set_level(spdlog::level::info);
    return s;
  }();
  return *state;
}

void Write(spdlog::level::level_enum level, absl::string_view message, const Fields& fields) {
  State& state = GetState();
  if (!state.logger->should_log(level)) return;
  nlohmann::json line = fields.is_object() ? fields : nlohmann::json::object();
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = spdlog::level::to_string_view(level).data();
  line["service"] = state.service;
  line["msg"] = std::string(message);
  state.logger->log(level, "{}",
                    line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void Init(absl::string_view service, absl::string_view level) {
  State& state = GetState();
  state.service = std::string(service);
  state.logger->set_level(spdlog::level::from_str(std::string(level)));
}

bool InfoEnabled() { return GetState().logger->should_log(spdlog::level::info); }
bool DebugEnabled() { return GetState().logger->should_log(spdlog::level::debug); }

void Debug(absl::string_view m, const Fields& f) { Write(spdlog::level::debug, m, f); }
void Info(absl::string_view m, const Fields& f) { Write(spdlog::level::info, m, f); }
void Warn(absl::string_view m, const Fields& f) { Write(spdlog::level::warn, m, f); }
void Error(absl::string_view m, const Fields& f) { Write(spdlog::level::err, m, f); }

}  // namespace rectify::log
