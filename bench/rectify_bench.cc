// rectify-bench: drives one scenario against running servers and prints one RESULT line.
//
//   health  gRPC health Check (the null RPC)          --addr
//   insert  the ceiling's durable INSERT               --ceiling_addr
//   select  the ceiling's primary-key SELECT           --ceiling_addr
//   create  IssueRegistry.CreateIssue                  --addr
//   get     IssueRegistry.GetIssue                     --addr
//   list    IssueRegistry.ListIssues, first page       --addr
//   stats   IssueRegistry.GetLedgerStats                --addr [--stats_role=city]
//   open_case  Accountability.OpenCase (links one issue) --accountability_addr --addr
//   get_case   Accountability.GetCase                     --accountability_addr
//   map        Supervision.GetBattleMap                   --supervision_addr [--map_region=]
//   sweep      Supervision.RunSweep once, as of now       --supervision_addr
//   progress   IssueRegistry.ReportProgress at --rate a second (open loop), for the time from
//              a change in the registry to its effect in supervision (read from its metrics)
//   gateway_get     GET /v1/issues/{id} through the gateway  --gateway_addr --addr (seeds)
//   gateway_create  POST /v1/issues through the gateway      --gateway_addr
//
// The gateway's scenarios keep --in_flight kept-alive HTTP/1.1 connections, one call on each at
// a time, and build the same requests as get and create, so that a ratio of the two measures
// the gateway alone. With --idle_connections=N (any scenario but map), N more connections to
// --gateway_addr, each answered one GET /healthz, stay open and silent while the load runs.
#include <atomic>
#include <cstdio>
#include <random>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "bench/load_generator.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/config.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/accountability.grpc.pb.h"
#include "rectify/v1/ceiling.grpc.pb.h"
#include "rectify/v1/issue_registry.grpc.pb.h"
#include "rectify/v1/supervision.grpc.pb.h"

ABSL_FLAG(std::string, scenario, "health",
          "health, insert, select, create, get, list, stats, open_case, get_case, map, sweep, "
          "progress, gateway_get or gateway_create");
ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "issue-service");
ABSL_FLAG(std::string, ceiling_addr, "127.0.0.1:50059", "rectify-ceiling");
ABSL_FLAG(std::string, accountability_addr, "127.0.0.1:50053", "accountability-service");
ABSL_FLAG(std::string, dev_key, "", "signing key for the office token, or @file");
ABSL_FLAG(int, in_flight, 16, "calls in flight");
ABSL_FLAG(int, seconds, 5, "measured seconds");
ABSL_FLAG(int, warmup_seconds, 1, "warm-up seconds");
ABSL_FLAG(int, rows, 1000, "rows created up front for select/get");
ABSL_FLAG(std::string, stats_role, "office", "stats: office (whole province) or city (Harbin)");
ABSL_FLAG(std::string, supervision_addr, "127.0.0.1:50052", "supervision-service");
ABSL_FLAG(std::string, map_region, "", "map: the region (empty: the province)");
ABSL_FLAG(int, rate, 500, "progress: reports a second");
ABSL_FLAG(std::string, gateway_addr, "127.0.0.1:8080", "the gateway (HTTP)");
ABSL_FLAG(int, http_threads, 1, "gateway_*: threads serving the HTTP connections");
ABSL_FLAG(int, idle_connections, 0,
          "kept-alive connections to --gateway_addr held open, silent, while the load runs");

namespace rectify::bench {
namespace {

constexpr int kChannels = 4;

std::vector<std::shared_ptr<grpc::Channel>> Channels(const std::string& addr) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < kChannels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("rectify.bench.channel", i);  // distinct channels, distinct connections
    out.push_back(grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
  }
  return out;
}

void Deadline(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

v1::CreateIssueRequest NewIssue(int64_t n) {
  v1::CreateIssueRequest req;
  auto* i = req.mutable_issue();
  i->set_title(absl::StrCat("基准测试问题 ", n));
  i->set_description("benchmark");
  i->set_source(v1::Issue::FEEDBACK);
  i->set_category(v1::Issue::WATER);
  i->set_region_code("230102");
  i->add_measures()->set_description("措施");
  return req;
}

int Report(const std::string& scenario, const LoadOptions& options, const LoadResult& r,
           const std::string& extra = "") {
  std::printf(
      "RESULT scenario=%s in_flight=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
      "max_ms=%.2f ok=%lld errors=%lld%s\n",
      scenario.c_str(), options.in_flight, r.requests_per_second, r.p50_ms, r.p90_ms, r.p99_ms,
      r.max_ms, static_cast<long long>(r.ok), static_cast<long long>(r.errors), extra.c_str());
  if (r.errors) std::fprintf(stderr, "first error: %s\n", r.first_error.c_str());
  return r.ok > 0 ? 0 : 1;
}

// One sweep of every supervised issue, as of now: how long, how many, how many raised.
int Sweep(const std::string& token) {
  auto stub = v1::Supervision::NewStub(grpc::CreateChannel(absl::GetFlag(FLAGS_supervision_addr),
                                                           grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  ctx.AddMetadata("authorization", token);
  v1::RunSweepRequest req;
  v1::RunSweepResponse resp;
  absl::Time start = absl::Now();
  grpc::Status s = stub->RunSweep(&ctx, req, &resp);
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!s.ok()) {
    std::fprintf(stderr, "sweep failed after %.1f s: %s\n", seconds, s.error_message().c_str());
    return 1;
  }
  std::printf("RESULT scenario=sweep evaluated=%lld raised=%lld seconds=%.2f per_second=%.0f\n",
              static_cast<long long>(resp.evaluated()), static_cast<long long>(resp.raised_count()),
              seconds, resp.evaluated() / std::max(seconds, 1e-6));
  return 0;
}

// Progress reports at a fixed rate (open loop) on issues assigned for the purpose.
int Progress(std::vector<std::unique_ptr<v1::IssueRegistry::Stub>>& issues,
             const std::string& token) {
  auto call = [&](auto method, const auto& req, auto* resp) {
    grpc::ClientContext ctx;
    Deadline(ctx);
    ctx.AddMetadata("authorization", token);
    return ((*issues[0]).*method)(&ctx, req, resp);
  };
  std::vector<int64_t> ids;
  for (int n = 0; n < 64; ++n) {
    v1::Issue issue;
    if (!call(&v1::IssueRegistry::Stub::CreateIssue, NewIssue(n), &issue).ok()) return 1;
    v1::AssignIssueRequest assign;
    assign.set_id(issue.id());
    assign.set_lead_org_id("hlj-water");
    assign.add_responsible_org_ids("gov-230102");
    assign.set_acceptance_org_id("hlj-deee");
    assign.set_deadline(FormatDate(ProvinceDay(absl::Now()) + 180));
    assign.set_rectification_class(v1::Issue::TIME_LIMITED);
    if (!call(&v1::IssueRegistry::Stub::AssignIssue, assign, &issue).ok()) return 1;
    ids.push_back(issue.id());
  }
  // The office's token may update the plan: an UpdateIssue of the targets text is a change
  // supervision follows like any other.
  int rate = absl::GetFlag(FLAGS_rate);
  absl::Duration every = absl::Seconds(1) / rate;
  absl::Time end = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::atomic<int64_t> ok{0}, failed{0}, outstanding{0};
  int64_t n = 0;
  for (absl::Time next = absl::Now(); next < end; next += every, ++n) {
    absl::SleepFor(next - absl::Now());
    v1::UpdateIssueRequest req;
    req.mutable_issue()->set_id(ids[n % ids.size()]);
    req.mutable_issue()->set_target_text(absl::StrCat("进度 ", n));
    req.mutable_update_mask()->add_paths("target_text");
    ++outstanding;
    StartUnary<v1::UpdateIssueRequest, v1::Issue>(
        std::move(req),
        [&](grpc::ClientContext& ctx) {
          Deadline(ctx);
          ctx.AddMetadata("authorization", token);
        },
        [&, n](auto* ctx, auto* r, auto* resp, auto cb) {
          issues[n % kChannels]->async()->UpdateIssue(ctx, r, resp, std::move(cb));
        },
        [&](const grpc::Status& s) {
          (s.ok() ? ok : failed)++;
          --outstanding;
        });
  }
  while (outstanding > 0) absl::SleepFor(absl::Milliseconds(10));
  std::printf("RESULT scenario=progress rate=%d sent=%lld ok=%lld errors=%lld\n", rate,
              static_cast<long long>(n), static_cast<long long>(ok.load()),
              static_cast<long long>(failed.load()));
  return failed == 0 ? 0 : 1;
}

int Main() {
  std::string scenario = absl::GetFlag(FLAGS_scenario);
  LoadOptions options;
  options.in_flight = absl::GetFlag(FLAGS_in_flight);
  options.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  options.warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));

  std::string token;
  if (!absl::GetFlag(FLAGS_dev_key).empty()) {
    auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_key));
    if (!key.ok()) {
      std::fprintf(stderr, "%s\n", key.status().ToString().c_str());
      return 2;
    }
    JwtSettings jwt;
    jwt.secret = *key;
    token = "Bearer " + MintToken(jwt, Principal{"bench", "hlj-office", Role::kOffice, "230000"},
                                  absl::Now(), absl::Hours(2));
  }
  auto issue_channels = Channels(absl::GetFlag(FLAGS_addr));
  auto case_channels = Channels(absl::GetFlag(FLAGS_accountability_addr));
  std::vector<std::unique_ptr<v1::Accountability::Stub>> cases;
  for (int i = 0; i < kChannels; ++i)
    cases.push_back(v1::Accountability::NewStub(case_channels[i]));
  auto ceiling_channels = Channels(absl::GetFlag(FLAGS_ceiling_addr));
  std::vector<std::unique_ptr<v1::IssueRegistry::Stub>> issues;
  std::vector<std::unique_ptr<ceiling::v1::Ceiling::Stub>> ceilings;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> healths;
  for (int i = 0; i < kChannels; ++i) {
    issues.push_back(v1::IssueRegistry::NewStub(issue_channels[i]));
    ceilings.push_back(ceiling::v1::Ceiling::NewStub(ceiling_channels[i]));
    healths.push_back(grpc::health::v1::Health::NewStub(issue_channels[i]));
  }
  auto authed = [&](grpc::ClientContext& ctx) {
    Deadline(ctx);
    if (!token.empty()) ctx.AddMetadata("authorization", token);
  };

  if (scenario == "sweep") return Sweep(token);
  if (scenario == "progress") return Progress(issues, token);

  // Rows to read.
  std::vector<int64_t> ids;
  int rows = absl::GetFlag(FLAGS_rows);
  if (scenario == "select") {
    for (int n = 0; n < rows; ++n) {
      grpc::ClientContext ctx;
      Deadline(ctx);
      ceiling::v1::CeilingRequest req;
      req.set_payload(absl::StrCat("row ", n));
      ceiling::v1::CeilingResponse resp;
      auto s = ceilings[0]->Insert(&ctx, req, &resp);
      if (!s.ok()) {
        std::fprintf(stderr, "seeding failed: %s\n", s.error_message().c_str());
        return 1;
      }
      ids.push_back(resp.id());
    }
  } else if (scenario == "get" || scenario == "gateway_get") {
    for (int n = 0; n < rows; ++n) {
      grpc::ClientContext ctx;
      authed(ctx);
      v1::Issue resp;
      auto s = issues[0]->CreateIssue(&ctx, NewIssue(n), &resp);
      if (!s.ok()) {
        std::fprintf(stderr, "seeding failed: %s\n", s.error_message().c_str());
        return 1;
      }
      ids.push_back(resp.id());
    }
  }

  int64_t linked_issue = 0;
  std::vector<int64_t> case_ids;
  auto new_case = [&](int64_t n) {
    v1::OpenCaseRequest req;
    auto* c = req.mutable_case_();
    c->set_source(v1::Case::OTHER);
    c->add_issue_ids(linked_issue);
    c->add_failure_types(v1::Case::INADEQUATE);
    auto* s = c->add_subjects();
    s->set_kind(v1::Subject::ORG);
    s->set_org_id("gov-230102");
    c->set_summary(absl::StrCat("基准测试案件 ", n));
    return req;
  };
  if (scenario == "open_case" || scenario == "get_case") {
    grpc::ClientContext ctx;
    authed(ctx);
    v1::Issue issue;
    auto s = issues[0]->CreateIssue(&ctx, NewIssue(0), &issue);
    if (!s.ok()) {
      std::fprintf(stderr, "seeding failed: %s\n", s.error_message().c_str());
      return 1;
    }
    linked_issue = issue.id();
  }
  if (scenario == "get_case") {
    for (int n = 0; n < std::min(rows, 200); ++n) {
      grpc::ClientContext ctx;
      authed(ctx);
      v1::Case c;
      auto s = cases[0]->OpenCase(&ctx, new_case(n), &c);
      if (!s.ok()) {
        std::fprintf(stderr, "seeding failed: %s\n", s.error_message().c_str());
        return 1;
      }
      case_ids.push_back(c.id());
    }
  }

  // Each scenario starts one call of a slot without blocking (see load_generator.h).
  StartCall call;
  std::unique_ptr<HttpClient> gateway;
  auto plain = [](grpc::ClientContext& ctx) { Deadline(ctx); };
  std::function<void(grpc::ClientContext&)> signed_in = authed;
  if (scenario == "health") {
    call = [&](int w, int64_t, Done done) {
      StartUnary<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>(
          {}, plain,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            healths[w % kChannels]->async()->Check(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "insert") {
    call = [&](int w, int64_t n, Done done) {
      ceiling::v1::CeilingRequest req;
      req.set_payload(absl::StrCat("worker ", w, " call ", n));
      StartUnary<ceiling::v1::CeilingRequest, ceiling::v1::CeilingResponse>(
          std::move(req), plain,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            ceilings[w % kChannels]->async()->Insert(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "select") {
    call = [&](int w, int64_t n, Done done) {
      ceiling::v1::CeilingRequest req;
      req.set_id(ids[(w * 7919 + n) % ids.size()]);
      StartUnary<ceiling::v1::CeilingRequest, ceiling::v1::CeilingResponse>(
          std::move(req), plain,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            ceilings[w % kChannels]->async()->Select(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "create") {
    call = [&](int w, int64_t n, Done done) {
      StartUnary<v1::CreateIssueRequest, v1::Issue>(
          NewIssue(w * 1000000 + n), signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            issues[w % kChannels]->async()->CreateIssue(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "get") {
    call = [&](int w, int64_t n, Done done) {
      v1::GetIssueRequest req;
      req.set_id(ids[(w * 7919 + n) % ids.size()]);
      StartUnary<v1::GetIssueRequest, v1::Issue>(
          std::move(req), signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            issues[w % kChannels]->async()->GetIssue(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "stats") {
    if (absl::GetFlag(FLAGS_stats_role) == "city") {
      auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_key));
      JwtSettings jwt;
      jwt.secret = key.ok() ? *key : "";
      token = "Bearer " + MintToken(jwt, Principal{"bench", "gov-230100", Role::kCity, "230100"},
                                    absl::Now(), absl::Hours(2));
    }
    call = [&](int w, int64_t, Done done) {
      StartUnary<v1::GetLedgerStatsRequest, v1::LedgerStats>(
          {}, signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            issues[w % kChannels]->async()->GetLedgerStats(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "open_case") {
    call = [&](int w, int64_t n, Done done) {
      StartUnary<v1::OpenCaseRequest, v1::Case>(
          new_case(w * 1000000 + n), signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            cases[w % kChannels]->async()->OpenCase(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "get_case") {
    call = [&](int w, int64_t n, Done done) {
      v1::GetCaseRequest req;
      req.set_id(case_ids[(w * 7919 + n) % case_ids.size()]);
      StartUnary<v1::GetCaseRequest, v1::Case>(
          std::move(req), signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            cases[w % kChannels]->async()->GetCase(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "map") {
    auto map_channels = Channels(absl::GetFlag(FLAGS_supervision_addr));
    std::vector<std::unique_ptr<v1::Supervision::Stub>> maps;
    for (int i = 0; i < kChannels; ++i) maps.push_back(v1::Supervision::NewStub(map_channels[i]));
    v1::GetBattleMapRequest map_req;
    map_req.set_region_code(absl::GetFlag(FLAGS_map_region));
    LoadResult r = RunLoad(options, [&](int w, int64_t, Done done) {
      StartUnary<v1::GetBattleMapRequest, v1::BattleMap>(
          map_req, signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            maps[w % kChannels]->async()->GetBattleMap(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    });
    return Report(scenario, options, r);
  } else if (scenario == "list") {
    call = [&](int w, int64_t, Done done) {
      StartUnary<v1::ListIssuesRequest, v1::ListIssuesResponse>(
          {}, signed_in,
          [&, w](auto* ctx, auto* req, auto* resp, auto cb) {
            issues[w % kChannels]->async()->ListIssues(ctx, req, resp, std::move(cb));
          },
          std::move(done));
    };
  } else if (scenario == "gateway_get" || scenario == "gateway_create") {
    HttpClient::Options http;
    http.address = absl::GetFlag(FLAGS_gateway_addr);
    http.connections = options.in_flight;
    http.threads = absl::GetFlag(FLAGS_http_threads);
    http.authorization = token;
    auto connected = HttpClient::Connect(http);
    if (!connected.ok()) {
      std::fprintf(stderr, "%s\n", connected.status().ToString().c_str());
      return 1;
    }
    gateway = *std::move(connected);
    if (scenario == "gateway_get") {
      call = [&](int w, int64_t n, Done done) {
        gateway->Start(w, "GET", absl::StrCat("/v1/issues/", ids[(w * 7919 + n) % ids.size()]), "",
                       std::move(done));
      };
    } else {
      // create's issue as protobuf's JSON mapping writes it, with each call's own title spliced
      // in front (printing the whole message per call would charge the client's CPU, which the
      // servers share, more than create's serialization does).
      v1::Issue issue = NewIssue(0).issue();
      issue.clear_title();
      std::string rest;
      if (!google::protobuf::util::MessageToJsonString(issue, &rest).ok() || rest.size() < 2) {
        std::fprintf(stderr, "the issue did not print as JSON\n");
        return 1;
      }
      rest.erase(0, 1);  // "{"
      call = [&, rest](int w, int64_t n, Done done) {
        gateway->Start(w, "POST", "/v1/issues",
                       absl::StrCat(R"({"title":"基准测试问题 )", w * 1000000 + n, R"(",)", rest),
                       std::move(done));
      };
    }
  } else {
    std::fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
    return 2;
  }

  std::unique_ptr<IdleConnections> idle;
  if (int n = absl::GetFlag(FLAGS_idle_connections); n > 0) {
    auto opened = IdleConnections::Open(absl::GetFlag(FLAGS_gateway_addr), n, "/healthz");
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
      return 1;
    }
    idle = *std::move(opened);
  }
  LoadResult result = RunLoad(options, call);
  // Those the server closed during the load (its idle timeout, its connection cap) are counted:
  // the figure is only what it says when all stayed open.
  std::string extra =
      idle ? absl::StrCat(" idle=", idle->count(), " idle_open=", idle->StillOpen()) : "";
  return Report(scenario, options, result, extra);
}

}  // namespace
}  // namespace rectify::bench

int main(int argc, char** argv) {
  rectify::ParseFlagsWithEnvironment(argc, argv, "rectify-bench --scenario=...");
  return rectify::bench::Main();
}
