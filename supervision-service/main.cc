// supervision-service: rectify.v1.Supervision, whole-process supervision of every assigned
// issue: records from the registry's events, the five-step escalation ladder, report
// obligations, linkage, meetings and directives, and the battle map.
#include <thread>

#include "absl/flags/flag.h"
#include "common/event_consumer.h"
#include "common/logging.h"
#include "common/mysql/delivery_intents.h"
#include "common/service_runtime.h"
#include "common/status.h"
#include "supervision-service/api/supervision_service.h"
#include "supervision-service/clients/accountability_client.h"
#include "supervision-service/clients/registry_client.h"
#include "supervision-service/domain/supervision.h"
#include "supervision-service/domain/transfers.h"
#include "supervision-service/storage/mysql_supervision_store.h"

ABSL_FLAG(std::string, issue_service, "127.0.0.1:50051", "the issue registry's address");
ABSL_FLAG(std::string, accountability_service, "127.0.0.1:50053",
          "accountability-service's address (transfers open cases there)");
ABSL_FLAG(double, sweep_interval_hours, 24,
          "how often the service sweeps by itself (0: only when asked by RunSweep)");
ABSL_FLAG(int, transfer_poll_seconds, 5, "how often pending transfers are retried at the latest");

namespace rectify {
std::vector<mysql::Migration> SupervisionMigrations();
}

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::supervision;
  auto runtime = ServiceRuntime::FromFlags(
      argc, argv, {"supervision-service", 50052, 9452, "supervision", "supervision_svc"});
  MysqlSupervisionStores store(runtime->pool());
  Reference reference;
  RegistryClient registry(absl::GetFlag(FLAGS_issue_service), runtime->jwt());
  AccountabilityClient accountability(absl::GetFlag(FLAGS_accountability_service), runtime->jwt());
  Supervision desks(store.Set(), reference,
                    WorkingDayCalendar::China(), runtime->page_token_secret());
  Principal self{"supervision-service", "supervision-service", Role::kService, ""};

  EventConsumer consumer(runtime->pool(), "issue-registry",
                         [&](mysql::Tx& tx, const v1::Event& event) {
                           return store.records.ApplyIssueEvent(tx, IssueEventOf(event), desks.keeper());
                         });
  consumer.OnApplied(
      [&](double seconds) { runtime->metrics().RecordConsumerLag("issue-registry", seconds); });
  runtime->metrics().WatchConsumer("issue-registry", [&] { return consumer.Progress(); });

  mysql::StoredDeliveries intents(runtime->pool(), kCaseDeliveries);
  TransferDispatcher transfers(intents, store.escalations, accountability, self);
  store.OnTransferStored([&] { transfers.Notify(); });

  SupervisionService service(desks, store.events(), runtime->rpc(),
                             [&] { return consumer.Progress(); });

  absl::Mutex sweep_mu;
  bool stopping = false;
  std::thread consuming, delivering, sweeping;
  int rc = runtime->Run(
      SupervisionMigrations(), {&service},
      [&](mysql::Pool&) -> absl::Status {
        absl::Time deadline = absl::Now() + absl::Seconds(60);
        RETURN_IF_ERROR(store.Init(deadline));
        RETURN_IF_ERROR(registry.LoadReference(reference, deadline));
        ASSIGN_OR_RETURN(auto regions, registry.RegionCodes(deadline));
        runtime->regions().Replace(regions);
        RETURN_IF_ERROR(desks.policies().Current(deadline).status());
        consuming = std::thread([&] {
          consumer.Run([&](grpc::ClientContext* ctx, const v1::WatchEventsRequest& req) {
            return registry.OpenEvents(ctx, req);
          });
        });
        delivering = std::thread(
            [&] { transfers.Run(absl::Seconds(absl::GetFlag(FLAGS_transfer_poll_seconds))); });
        transfers.Notify();
        double hours = absl::GetFlag(FLAGS_sweep_interval_hours);
        if (hours > 0) {
          sweeping = std::thread([&, hours] {
            absl::MutexLock lock(&sweep_mu);
            auto stop = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(sweep_mu) { return stopping; };
            while (
                !sweep_mu.AwaitWithTimeout(absl::Condition(&stop), absl::Seconds(hours * 3600))) {
              sweep_mu.Unlock();
              Mutation m{self, absl::Now(), absl::Now() + absl::Minutes(30), "Sweep", "", ""};
              auto swept = desks.ladder().Sweep(m, m.now);
              if (swept.ok()) {
                log::Info("daily sweep", {{"evaluated", swept->evaluated},
                                          {"raised", static_cast<int64_t>(swept->raised.size())}});
              } else {
                log::Warn("daily sweep failed", {{"error", std::string(swept.status().message())}});
              }
              sweep_mu.Lock();
            }
          });
        }
        return absl::OkStatus();
      },
      [&] {
        consumer.Stop();
        transfers.Stop();
        {
          absl::MutexLock lock(&sweep_mu);
          stopping = true;
        }
        store.events().Shutdown();
      });
  consumer.Stop();
  transfers.Stop();
  {
    absl::MutexLock lock(&sweep_mu);
    stopping = true;
  }
  for (auto* t : {&consuming, &delivering, &sweeping}) {
    if (t->joinable()) t->join();
  }
  return rc;
}
