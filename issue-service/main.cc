// issue-service: rectify.v1.IssueRegistry, the ledger of every problem and its rectification.
#include "common/service_runtime.h"
#include "issue-service/api/issue_registry_service.h"
#include "issue-service/domain/issue_ledger.h"
#include "issue-service/storage/mysql_issue_store.h"

namespace rectify {
std::vector<mysql::Migration> IssueRegistryMigrations();
}

int main(int argc, char** argv) {
  using namespace rectify;
  auto runtime = ServiceRuntime::FromFlags(
      argc, argv, {"issue-service", 50051, 9451, "issue_registry", "issue_svc"});
  issues::MysqlIssueStore store(runtime->pool());
  issues::IssueLedger ledger(store, runtime->page_token_secret(), WorkingDayCalendar());
  issues::IssueRegistryService service(ledger, store.events(), runtime->rpc());
  return runtime->Run(
      IssueRegistryMigrations(), {&service},
      [&](mysql::Pool&) -> absl::Status {
        absl::Time deadline = absl::Now() + absl::Seconds(30);
        if (auto s = store.Init(deadline); !s.ok()) return s;
        return ledger.Init(deadline);
      },
      [&] { store.events().Shutdown(); });
}
