#include "tests/support/issue_service_harness.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"

namespace rectify::testing {

std::unique_ptr<IssueServiceHarness> IssueServiceHarness::Start(absl::Time now, RpcLimits limits,
                                                                int64_t max_evidence_bytes) {
  // One line per RPC is for operators; tests keep their output for failures.
  log::Init("test", "warn");
  auto h = std::unique_ptr<IssueServiceHarness>(new IssueServiceHarness(now, limits));
  h->max_evidence_bytes_ = max_evidence_bytes;
  h->db_ = TestDatabase::Create(IssueRegistryMigrations(), issues::kIssueRegistryReadOnlyTables,
                                issues::IssueRegistryMigrationVariables());
  if (!h->db_) return nullptr;
  h->Boot();
  return h;
}

void IssueServiceHarness::Boot() {
  pool_ = std::make_unique<mysql::Pool>(db_->service_account(), 8);
  store_ = std::make_unique<issues::MysqlIssueStore>(*pool_);
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  auto status = store_->Init(deadline);
  ASSERT_TRUE(status.ok()) << status;
  issues::RegistrySettings settings;
  settings.page_token_secret = kTestJwtSecret;
  settings.max_evidence_bytes = max_evidence_bytes_;
  registry_ = std::make_unique<issues::IssueRegistry>(
      issues::RegistryStores{*store_, *store_, *store_, *store_, *store_, *store_},
      std::move(settings));
  status = registry_->Init(deadline);
  ASSERT_TRUE(status.ok()) << status;
  // Tokens are checked against the ledger's divisions, as in the service.
  auto regions = std::make_shared<RegionDirectory>();
  regions->Replace(registry_->reference().RegionCodes());
  JwtSettings jwt{kTestJwtSecret};
  jwt.regions = regions;
  rpc_ = std::make_unique<RpcRunner>(JwtVerifier(jwt), nullptr, clock_, limits_);
  service_ = std::make_unique<issues::IssueRegistryService>(*registry_, store_->events(), *rpc_);
  ServerOptions options;
  // A restart comes back on the same port, as a restarted process would.
  options.listen = absl::StrCat("127.0.0.1:", port_);
  options.reflection = false;
  host_ = std::make_unique<ServiceHost>(options);
  host_->Register(service_.get());
  status = host_->Start();
  ASSERT_TRUE(status.ok()) << status;
  host_->SetServing(true);
  rpc_->OnServingChange([host = host_.get()](bool serving) { host->SetServing(serving); });
  port_ = host_->port();
  address_ = absl::StrCat("127.0.0.1:", port_);
  stub_ =
      v1::IssueRegistry::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
}

bool IssueServiceHarness::Serving() const {
  auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  auto status = health->Check(&ctx, req, &resp);
  return status.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

void IssueServiceHarness::Stop() {
  if (rpc_) rpc_->OnServingChange(nullptr);
  if (store_) store_->events().Shutdown();
  if (host_) host_->Shutdown(absl::Seconds(5));
  if (rpc_) rpc_->StopWorkers();
  host_.reset();
  service_.reset();
  rpc_.reset();
  registry_.reset();
  store_.reset();
  pool_.reset();
}

void IssueServiceHarness::Restart() {
  Stop();
  Boot();
}

IssueServiceHarness::~IssueServiceHarness() { Stop(); }

std::string IssueServiceHarness::Token(Role role, const std::string& org,
                                       const std::string& region) const {
  Principal p{absl::StrCat(RoleName(role), "@", org), org, role, region};
  return MintToken(JwtSettings{kTestJwtSecret}, p, absl::Now(), absl::Hours(1));
}

std::unique_ptr<grpc::ClientContext> IssueServiceHarness::Context(const std::string& token) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  return ctx;
}

}  // namespace rectify::testing
