// The demonstration of supervision (rectify-demo --supervision_addr): a meeting with its
// directives, two linkage requests, sign-offs, and sweeps that climb the whole ladder, loaded
// through supervision-service's API once the registry's demonstration data reached it.
#pragma once

#include <memory>
#include <string>

#include "common/auth.h"
#include "grpcpp/channel.h"

namespace rectify {

// Returns 0 when the demonstration is (or already was) loaded.
int LoadSupervisionDemo(std::shared_ptr<grpc::Channel> supervision, const JwtSettings& jwt);

}  // namespace rectify
