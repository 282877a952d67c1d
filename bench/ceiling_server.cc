// rectify-ceiling: the bare gRPC methods a real service is measured against. Insert does one
// durable INSERT ... RETURNING; Select one primary-key SELECT. Same gRPC stack, pool and
// runtime as the services, and no authentication, history or outbox.
#include "common/grpc_status.h"
#include "common/mysql/pool.h"
#include "common/service_runtime.h"
#include "rectify/v1/ceiling.grpc.pb.h"

namespace rectify {
std::vector<mysql::Migration> CeilingMigrations();

namespace {

using ceiling::v1::CeilingRequest;
using ceiling::v1::CeilingResponse;

// The same server model as the services: callback handlers that hand the blocking part to the
// runtime's workers, which finish the call.
class CeilingService final : public ceiling::v1::Ceiling::CallbackService {
 public:
  CeilingService(mysql::Pool& pool, const RpcRunner& rpc) : pool_(pool), rpc_(rpc) {}

  grpc::ServerUnaryReactor* Insert(grpc::CallbackServerContext* ctx, const CeilingRequest* req,
                                   CeilingResponse* resp) override {
    return OnWorker(ctx, [this, req, resp](absl::Time deadline) {
      return pool_.Read(deadline, [&](mysql::Connection& c) {
        auto rs = c.Query("INSERT INTO ceiling (payload) VALUES (?) RETURNING id", req->payload());
        rs->next();
        resp->set_id(rs->getInt64("id"));
        return absl::OkStatus();
      });
    });
  }

  grpc::ServerUnaryReactor* Select(grpc::CallbackServerContext* ctx, const CeilingRequest* req,
                                   CeilingResponse* resp) override {
    return OnWorker(ctx, [this, req, resp](absl::Time deadline) {
      return pool_.Read(deadline, [&](mysql::Connection& c) {
        auto rs = c.Query("SELECT id, payload FROM ceiling WHERE id = ?", req->id());
        if (!rs->next()) return absl::NotFoundError("no such row");
        resp->set_id(rs->getInt64("id"));
        resp->set_payload(rs->getString("payload").asStdString());
        return absl::OkStatus();
      });
    });
  }

 private:
  template <typename Work>
  grpc::ServerUnaryReactor* OnWorker(grpc::CallbackServerContext* ctx, Work work) {
    auto* reactor = ctx->DefaultReactor();
    absl::Time deadline =
        std::min(absl::FromChrono(ctx->deadline()), absl::Now() + absl::Seconds(30));
    // No authentication: everyone shares one queue.
    absl::Status queued =
        rpc_.Submit(Principal{}, deadline, [reactor, deadline, work](absl::Status turn) mutable {
          if (turn.ok()) turn = work(deadline);
          reactor->Finish(ToGrpcStatus(turn));
        });
    if (!queued.ok()) reactor->Finish(ToGrpcStatus(queued));
    return reactor;
  }

  mysql::Pool& pool_;
  const RpcRunner& rpc_;
};

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) {
  using namespace rectify;
  auto runtime =
      ServiceRuntime::FromFlags(argc, argv, {"ceiling", 50059, 9459, "bench_ceiling", "bench_svc"});
  CeilingService service(runtime->pool(), runtime->rpc());
  return runtime->Run(
      CeilingMigrations(), {&service},
      [&](mysql::Pool&) {
        // The ceiling checks no token; the runtime still wants the divisions tokens may name.
        runtime->regions().Replace({{"230000", RegionLevel::kProvince}});
        return absl::OkStatus();
      },
      nullptr);
}
