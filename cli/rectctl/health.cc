// `rectctl health`: the issue registry's gRPC health, for scripts waiting on start-up.
#include <chrono>
#include <iostream>

#include "cli/rectctl/command.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace rectify::rectctl {
namespace {

using grpc::health::v1::HealthCheckResponse;

int Check(Session& session, const Args&) {
  auto stub = grpc::health::v1::Health::NewStub(session.Channel());
  // A short deadline and no token: scripts/lib.sh polls this every quarter second.
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest req;
  HealthCheckResponse resp;
  auto status = stub->Check(&ctx, req, &resp);
  if (!status.ok()) return session.Report(status);
  std::cout << HealthCheckResponse::ServingStatus_Name(resp.status()) << "\n";
  return resp.status() == HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

const Noun& HealthNoun() {
  static const Noun noun{
      .name = "health",
      .summary = "check the service is serving",
      .verbs = {{"", "", "", &Check}},
  };
  return noun;
}

}  // namespace rectify::rectctl
