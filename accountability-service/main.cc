// accountability-service: rectify.v1.Accountability, cases of false, superficial and perfunctory
// rectification, their findings and sanctions, and the reopening of falsely closed issues.
#include <thread>

#include "absl/flags/flag.h"
#include "accountability-service/api/accountability_service.h"
#include "accountability-service/clients/issue_registry_client.h"
#include "accountability-service/domain/case_docket.h"
#include "accountability-service/domain/reopen_dispatcher.h"
#include "accountability-service/storage/mysql_case_store.h"
#include "common/service_runtime.h"
#include "common/status.h"

ABSL_FLAG(std::string, issue_service, "127.0.0.1:50051", "the issue registry's address");
ABSL_FLAG(int, reopen_poll_seconds, 5, "how often pending reopenings are retried at the latest");

namespace rectify {
std::vector<mysql::Migration> AccountabilityMigrations();
}

int main(int argc, char** argv) {
  using namespace rectify;
  using namespace rectify::accountability;
  auto runtime = ServiceRuntime::FromFlags(
      argc, argv, {"accountability-service", 50053, 9453, "accountability", "accountability_svc"});
  MysqlCaseStore store(runtime->pool());
  IssueRegistryClient issues(absl::GetFlag(FLAGS_issue_service), runtime->jwt(),
                             "accountability-service");
  CaseDocket docket(store, issues, runtime->page_token_secret());
  Principal self{"accountability-service", "accountability-service", Role::kService, ""};
  ReopenDispatcher dispatcher(store, issues, self);
  AccountabilityService service(docket, store.events(), &dispatcher, runtime->rpc());
  std::thread delivering;
  int rc = runtime->Run(
      AccountabilityMigrations(), {&service},
      [&](mysql::Pool&) -> absl::Status {
        RETURN_IF_ERROR(store.Init(absl::Now() + absl::Seconds(30)));
        // Tokens' regions are checked against the registry's divisions.
        ASSIGN_OR_RETURN(auto regions, issues.RegionCodes(absl::Now() + absl::Seconds(60)));
        runtime->regions().Replace(regions);
        // Whatever a crash left pending is delivered from the start.
        delivering = std::thread(
            [&] { dispatcher.Run(absl::Seconds(absl::GetFlag(FLAGS_reopen_poll_seconds))); });
        dispatcher.Notify();
        return absl::OkStatus();
      },
      [&] {
        dispatcher.Stop();
        store.events().Shutdown();
      });
  dispatcher.Stop();
  if (delivering.joinable()) delivering.join();
  return rc;
}
