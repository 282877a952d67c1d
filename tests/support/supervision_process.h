// A supervision-service process in a test: its store over a test database, its desks, the
// consumer of the registry's events and the transfer dispatcher on their own threads, and its
// gRPC server. A new instance over the same database is a restart.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "common/event_consumer.h"
#include "common/mysql/delivery_intents.h"
#include "common/rpc.h"
#include "common/server.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "rectify/v1/supervision.grpc.pb.h"
#include "supervision-service/api/supervision_service.h"
#include "supervision-service/clients/accountability_client.h"
#include "supervision-service/clients/registry_client.h"
#include "supervision-service/domain/supervision.h"
#include "supervision-service/domain/transfers.h"
#include "supervision-service/storage/mysql_supervision_store.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
std::vector<mysql::Migration> SupervisionMigrations();
}

namespace rectify::testing {

struct SupervisionProcess {
  SupervisionProcess(const mysql::ConnectionOptions& db, const std::string& registry_address,
                     const std::string& accountability_address, const Clock& clock,
                     bool consume = true)
      : pool(db, 6),
        store(pool),
        registry(registry_address, JwtSettings{kTestJwtSecret}),
        accountability(accountability_address, JwtSettings{kTestJwtSecret}),
        desks(store.Set(), reference, WorkingDayCalendar::China(), kTestJwtSecret),
        consumer(pool, "issue-registry",
                 [this](mysql::Tx& tx, const v1::Event& event) {
                   return store.records.ApplyIssueEvent(tx, supervision::IssueEventOf(event),
                                                        desks.keeper());
                 }),
        intents(pool, supervision::kCaseDeliveries),
        transfers(intents, store.escalations, accountability, self),
        rpc(JwtVerifier(JwtSettings{kTestJwtSecret}), nullptr, clock),
        service(desks, store.events(), rpc, [this] { return consumer.Progress(); }),
        host(ServerOptions{"127.0.0.1:0", false}) {
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    EXPECT_TRUE(store.Init(deadline).ok());
    auto loaded = registry.LoadReference(reference, deadline);
    EXPECT_TRUE(loaded.ok()) << loaded;
    EXPECT_TRUE(desks.policies().Current(deadline).ok());
    if (consume) {
      consuming = std::thread([this] {
        consumer.Run([this](grpc::ClientContext* ctx, const v1::WatchEventsRequest& req) {
          return registry.OpenEvents(ctx, req);
        });
      });
    }
    host.Register(&service);
    EXPECT_TRUE(host.Start().ok());
    host.SetServing(true);
    stub = v1::Supervision::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(host.port()),
                                                        grpc::InsecureChannelCredentials()));
  }
  ~SupervisionProcess() {
    consumer.Stop();
    transfers.Stop();
    if (consuming.joinable()) consuming.join();
    store.events().Shutdown();
    host.Shutdown(absl::Seconds(2));
    rpc.StopWorkers();
  }

  // Waits until every event the registry has committed took effect here.
  bool CaughtUp(IssueServiceHarness& registry_harness) {
    return consumer.WaitForCursor(registry_harness.store().events().Horizon(),
                                  absl::Now() + absl::Seconds(20));
  }

  Principal self{"supervision-service", "supervision-service", Role::kService, ""};
  mysql::Pool pool;
  supervision::MysqlSupervisionStores store;
  supervision::Reference reference;
  supervision::RegistryClient registry;
  supervision::AccountabilityClient accountability;
  supervision::Supervision desks;
  EventConsumer consumer;
  mysql::StoredDeliveries intents;
  supervision::TransferDispatcher transfers;
  RpcRunner rpc;
  supervision::SupervisionService service;
  ServiceHost host;
  std::unique_ptr<v1::Supervision::Stub> stub;
  std::thread consuming;
};

}  // namespace rectify::testing
