// What rectify-demo's loaders share: tokens of demonstration principals (minted with the
// development key) and calls that say on stderr what failed.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "grpcpp/grpcpp.h"

namespace rectify {

class DemoCalls {
 public:
  explicit DemoCalls(JwtSettings jwt) : jwt_(std::move(jwt)) {}

  std::string Token(Role role, const std::string& org, const std::string& region) const {
    Principal p{absl::StrCat("demo-", RoleName(role), "@", org), org, role, region};
    return MintToken(jwt_, p, absl::Now(), absl::Hours(1));
  }

  // Calls `call` on `stub` with the token; false (and a line on stderr) when it fails.
  template <typename Stub, typename Req, typename Resp, typename Call>
  static bool Invoke(Stub& stub, const char* what, Call call, const std::string& token,
                     const Req& req, Resp* resp, int timeout_seconds = 30) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds));
    ctx.AddMetadata("authorization", "Bearer " + token);
    grpc::Status s = (stub.*call)(&ctx, req, resp);
    if (!s.ok()) {
      std::fprintf(stderr, "rectify-demo: %s failed: %s\n", what, s.error_message().c_str());
      return false;
    }
    return true;
  }

 private:
  JwtSettings jwt_;
};

}  // namespace rectify
