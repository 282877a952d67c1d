// gateway: HTTP/1.1 and JSON in front of the suite's three services, routed by their
// google.api.http annotations (see README.md).
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/server.h"
#include "gateway/fronted_services.h"
#include "gateway/gateway_server.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:8080", "HTTP address");
ABSL_FLAG(std::string, issue_service, "127.0.0.1:50051", "issue-service address");
ABSL_FLAG(std::string, supervision_service, "127.0.0.1:50052",
          "supervision-service address (empty: not behind this gateway)");
ABSL_FLAG(std::string, accountability_service, "127.0.0.1:50053",
          "accountability-service address (empty: not behind this gateway)");
ABSL_FLAG(int, threads, 2, "threads serving HTTP");
ABSL_FLAG(int, max_connections, 10000, "open connections at most");
ABSL_FLAG(int, max_body_kib, 1024, "largest JSON body, in KiB");
ABSL_FLAG(int, read_timeout_seconds, 15, "a whole request must arrive within this");
ABSL_FLAG(int, idle_timeout_seconds, 75, "a kept-alive connection waits this long for more");
ABSL_FLAG(int, drain_seconds, 10, "on SIGTERM, how long answers in flight may take");
ABSL_FLAG(int, max_upload_mib, 64, "largest upload (a dossier file), in MiB");
ABSL_FLAG(std::string, web_root, "", "the portal's built files (none served when empty)");
ABSL_FLAG(std::string, public_token, "",
          "a token of the public role (@file) forwarded for requests without one; empty: none");
ABSL_FLAG(double, public_rate, 5, "requests a second per address without a token");
ABSL_FLAG(double, public_burst, 20, "requests at once per address without a token");
ABSL_FLAG(int, public_body_kib, 16, "largest body of a request without a token, in KiB");
ABSL_FLAG(std::string, dev_signing_key, "",
          "development only: the signing key (@file) with which POST /v1/dev:signIn mints tokens");
ABSL_FLAG(bool, print_openapi, false, "print the OpenAPI document and exit");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::gateway;
  BlockTerminationSignals();
  ParseFlagsWithEnvironment(argc, argv, "gateway: HTTP/JSON in front of the Rectify services");
  log::Init("gateway", absl::GetFlag(FLAGS_log_level));

  GatewayConfig config;
  auto add = [&](const char* service, const std::string& address) {
    if (!address.empty()) config.addresses[service] = address;
  };
  add("rectify.v1.IssueRegistry", absl::GetFlag(FLAGS_issue_service));
  add("rectify.v1.Supervision", absl::GetFlag(FLAGS_supervision_service));
  add("rectify.v1.Accountability", absl::GetFlag(FLAGS_accountability_service));
  config.listen = absl::GetFlag(FLAGS_listen);
  config.threads = absl::GetFlag(FLAGS_threads);
  config.limits.max_connections = absl::GetFlag(FLAGS_max_connections);
  config.limits.body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_body_kib)) * 1024;
  config.limits.streamed_body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_upload_mib))
                                      << 20;
  config.limits.read_timeout = absl::Seconds(absl::GetFlag(FLAGS_read_timeout_seconds));
  config.limits.idle_timeout = absl::Seconds(absl::GetFlag(FLAGS_idle_timeout_seconds));
  config.options.web_root = absl::GetFlag(FLAGS_web_root);
  if (auto token = ResolveSecret(absl::GetFlag(FLAGS_public_token)); token.ok()) {
    config.options.public_token = std::string(absl::StripAsciiWhitespace(*token));
  } else {
    log::Error("public_token", {{"error", std::string(token.status().message())}});
    return 1;
  }
  if (auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_signing_key)); key.ok()) {
    config.options.dev_signing_key = std::string(absl::StripAsciiWhitespace(*key));
  } else {
    log::Error("dev_signing_key", {{"error", std::string(key.status().message())}});
    return 1;
  }
  config.options.public_rate.per_second = absl::GetFlag(FLAGS_public_rate);
  config.options.public_rate.burst = absl::GetFlag(FLAGS_public_burst);
  config.options.public_body_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_public_body_kib)) * 1024;

  if (absl::GetFlag(FLAGS_print_openapi)) {
    // The document alone (for checks and code generation), without serving.
    auto routes = RouteTable::FromServices(FrontedServices());
    auto document = routes.ok() ? GatewayOpenApi(*routes) : routes.status();
    if (!document.ok()) {
      log::Error("openapi", {{"error", std::string(document.status().message())}});
      return 1;
    }
    std::cout << document->dump(2) << "\n";
    return 0;
  }

  auto server = GatewayServer::Start(std::move(config));
  if (!server.ok()) {
    log::Error("start", {{"error", std::string(server.status().message())}});
    return 1;
  }
  int signal = WaitForTerminationSignal();
  log::Info("draining", {{"signal", signal}, {"open", (*server)->open_connections()}});
  (*server)->Stop(absl::Seconds(absl::GetFlag(FLAGS_drain_seconds)));
  log::Info("stopped", {{"open", (*server)->open_connections()}});
  return 0;
}
