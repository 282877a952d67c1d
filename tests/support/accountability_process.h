// An accountability-service process in a test: its store over a test database, docket,
// dispatcher and gRPC server, linked to an issue registry. A new instance over the same
// database is a restart.
#pragma once

#include <memory>
#include <string>

#include "accountability-service/api/accountability_service.h"
#include "accountability-service/clients/issue_registry_client.h"
#include "accountability-service/storage/mysql_case_store.h"
#include "common/rpc.h"
#include "common/server.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
std::vector<mysql::Migration> AccountabilityMigrations();
}

namespace rectify::testing {

// One accountability-service process: its store, docket, dispatcher and gRPC server. A new
// instance over the same database is a restart.
struct AccountabilityProcess {
  AccountabilityProcess(const mysql::ConnectionOptions& db, const std::string& issue_address,
                        const Clock& clock, const std::string& listen = "127.0.0.1:0")
      : pool(db, 4),
        store(pool),
        issues(issue_address, JwtSettings{kTestJwtSecret}, "accountability-service"),
        docket(store, issues, kTestJwtSecret),
        dispatcher(
            store, issues,
            Principal{"accountability-service", "accountability-service", Role::kService, ""}),
        rpc(JwtVerifier(JwtSettings{kTestJwtSecret}), nullptr, clock),
        service(docket, store.events(), nullptr, rpc),
        host(ServerOptions{listen, false}) {
    EXPECT_TRUE(store.Init(absl::Now() + absl::Seconds(10)).ok());
    host.Register(&service);
    EXPECT_TRUE(host.Start().ok());
    host.SetServing(true);
    stub = v1::Accountability::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(host.port()), grpc::InsecureChannelCredentials()));
  }
  ~AccountabilityProcess() {
    store.events().Shutdown();
    host.Shutdown(absl::Seconds(2));
    rpc.StopWorkers();
  }

  mysql::Pool pool;
  accountability::MysqlCaseStore store;
  accountability::IssueRegistryClient issues;
  accountability::CaseDocket docket;
  accountability::ReopenDispatcher dispatcher;
  RpcRunner rpc;
  accountability::AccountabilityService service;
  ServiceHost host;
  std::unique_ptr<v1::Accountability::Stub> stub;
};

}  // namespace rectify::testing
