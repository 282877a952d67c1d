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

class CeilingService final : public ceiling::v1::Ceiling::Service {
 public:
  explicit CeilingService(mysql::Pool& pool) : pool_(pool) {}

  grpc::Status Insert(grpc::ServerContext* ctx, const CeilingRequest* req,
                      CeilingResponse* resp) override {
    return ToGrpcStatus(pool_.Read(Deadline(ctx), [&](mysql::Connection& c) {
      auto rs = c.Query("INSERT INTO ceiling (payload) VALUES (?) RETURNING id", req->payload());
      rs->next();
      resp->set_id(rs->getInt64("id"));
      return absl::OkStatus();
    }));
  }

  grpc::Status Select(grpc::ServerContext* ctx, const CeilingRequest* req,
                      CeilingResponse* resp) override {
    return ToGrpcStatus(pool_.Read(Deadline(ctx), [&](mysql::Connection& c) {
      auto rs = c.Query("SELECT id, payload FROM ceiling WHERE id = ?", req->id());
      if (!rs->next()) return absl::NotFoundError("no such row");
      resp->set_id(rs->getInt64("id"));
      resp->set_payload(rs->getString("payload").asStdString());
      return absl::OkStatus();
    }));
  }

 private:
  static absl::Time Deadline(grpc::ServerContext* ctx) {
    return std::min(absl::FromChrono(ctx->deadline()), absl::Now() + absl::Seconds(30));
  }
  mysql::Pool& pool_;
};

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) {
  using namespace rectify;
  auto runtime =
      ServiceRuntime::FromFlags(argc, argv, {"ceiling", 50059, 9459, "bench_ceiling", "bench_svc"});
  CeilingService service(runtime->pool());
  return runtime->Run(
      CeilingMigrations(), {&service}, [](mysql::Pool&) { return absl::OkStatus(); }, nullptr);
}
