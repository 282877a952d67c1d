// An issue-service running in process over its own test database: the real stores, desks and
// gRPC handlers behind a real gRPC server bound to a free port. Restart() replaces the server
// and everything above the database, as a process restart would.
#pragma once

#include <memory>
#include <string>

#include "common/auth.h"
#include "common/clock.h"
#include "common/rpc.h"
#include "common/server.h"
#include "grpcpp/create_channel.h"
#include "issue-service/api/issue_registry_service.h"
#include "issue-service/domain/issue_registry.h"
#include "issue-service/storage/mysql_issue_store.h"
#include "rectify/v1/issue_registry.grpc.pb.h"
#include "tests/support/test_database.h"

namespace rectify {
std::vector<mysql::Migration> IssueRegistryMigrations();
}

namespace rectify::testing {

inline constexpr char kTestJwtSecret[] = "rectify-dev-test-secret-0123456789abcdef";
// Small enough that a test can exceed it cheaply.
inline constexpr int64_t kTestMaxEvidenceBytes = 3 << 20;

class IssueServiceHarness {
 public:
  // Null (with a test failure recorded) when no database is available.
  static std::unique_ptr<IssueServiceHarness> Start(
      absl::Time now = absl::FromCivil(absl::CivilSecond(2023, 3, 1, 9, 0, 0),
                                       absl::FixedTimeZone(8 * 3600)),
      RpcLimits limits = {}, int64_t max_evidence_bytes = kTestMaxEvidenceBytes);
  ~IssueServiceHarness();

  void Restart();
  void Stop();

  std::string address() const { return address_; }
  v1::IssueRegistry::Stub& stub() { return *stub_; }
  const RpcRunner& rpc() const { return *rpc_; }
  // The standard gRPC health answer for the whole server: true when SERVING.
  bool Serving() const;
  ManualClock& clock() { return clock_; }
  TestDatabase& database() { return *db_; }
  issues::MysqlIssueStore& store() { return *store_; }

  // A token for a principal; every call below carries one.
  std::string Token(Role role, const std::string& org, const std::string& region = "") const;
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const;

  // Common principals of the demo province.
  std::string Office() const { return Token(Role::kOffice, "hlj-office", "230000"); }

 private:
  IssueServiceHarness(absl::Time now, RpcLimits limits) : clock_(now), limits_(limits) {}
  void Boot();

  ManualClock clock_;
  RpcLimits limits_;
  int64_t max_evidence_bytes_ = kTestMaxEvidenceBytes;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<mysql::Pool> pool_;
  std::unique_ptr<issues::MysqlIssueStore> store_;
  std::unique_ptr<issues::IssueRegistry> registry_;
  std::unique_ptr<RpcRunner> rpc_;
  std::unique_ptr<issues::IssueRegistryService> service_;
  std::unique_ptr<ServiceHost> host_;
  std::string address_;
  std::unique_ptr<v1::IssueRegistry::Stub> stub_;
  int port_ = 0;
};

}  // namespace rectify::testing
