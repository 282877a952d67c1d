// issue-service: rectify.v1.IssueRegistry, the ledger of every problem and its rectification.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "common/service_runtime.h"
#include "issue-service/api/issue_registry_service.h"
#include "issue-service/domain/issue_registry.h"
#include "issue-service/storage/mysql_issue_store.h"

namespace rectify {
std::vector<mysql::Migration> IssueRegistryMigrations();
}

ABSL_FLAG(int, max_evidence_mib, 64, "largest dossier file, in MiB");
ABSL_FLAG(int, notice_working_days, 5, "default length of a public notice, in working days");
ABSL_FLAG(int, objections_per_day, 5, "objections one member of the public may file a day");
ABSL_FLAG(std::string, calendar_file, "",
          "working-day calendar to use instead of the built-in one (data/calendar format)");

namespace {

rectify::WorkingDayCalendar LoadCalendar() {
  std::string path = absl::GetFlag(FLAGS_calendar_file);
  if (path.empty()) return rectify::WorkingDayCalendar::China();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto calendar = rectify::WorkingDayCalendar::Parse(text.str());
  if (!in || !calendar.ok()) {
    std::fprintf(stderr, "--calendar_file %s: %s\n", path.c_str(),
                 in ? calendar.status().ToString().c_str() : "cannot be read");
    std::exit(2);
  }
  return *calendar;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rectify;
  auto runtime = ServiceRuntime::FromFlags(
      argc, argv,
      {"issue-service", 50051, 9451, "issue_registry", "issue_svc",
       issues::kIssueRegistryReadOnlyTables, issues::IssueRegistryMigrationVariables()});
  issues::MysqlIssueStore store(runtime->pool());
  issues::RegistrySettings settings;
  settings.page_token_secret = runtime->page_token_secret();
  settings.calendar = LoadCalendar();
  settings.max_evidence_bytes = int64_t{absl::GetFlag(FLAGS_max_evidence_mib)} << 20;
  settings.workflow.default_notice_working_days = absl::GetFlag(FLAGS_notice_working_days);
  settings.workflow.objections_per_day = absl::GetFlag(FLAGS_objections_per_day);
  issues::IssueRegistry registry({store, store, store, store, store, store}, std::move(settings));
  issues::IssueRegistryService service(registry, store.events(), runtime->rpc());
  return runtime->Run(
      IssueRegistryMigrations(), {&service},
      [&](mysql::Pool&) -> absl::Status {
        absl::Time deadline = absl::Now() + absl::Seconds(30);
        if (auto s = store.Init(deadline); !s.ok()) return s;
        if (auto s = registry.Init(deadline); !s.ok()) return s;
        runtime->regions().Replace(registry.reference().RegionCodes());
        return absl::OkStatus();
      },
      [&] { store.events().Shutdown(); });
}
