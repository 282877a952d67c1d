// The server model, tried as outside clients would: idle and unauthenticated streams cannot
// starve other callers, uploads are judged on their first message, queued calls wait within
// their deadline, caps and saturation are visible, an oversized token fails alone, and a drain
// ends open streams.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/mysql/pool.h"
#include "gtest/gtest.h"
#include "tests/support/issue_service_harness.h"

namespace rectify {
namespace {

using testing::IssueServiceHarness;

// A starved caller waits until its deadline; one that is served answers. Latency is measured by
// scripts/bench, not asserted here: a test's p99 on a shared machine says more about the machine.
constexpr absl::Duration kCallDeadline = absl::Seconds(10);

class ServerModelTest : public ::testing::Test {
 protected:
  void StartWith(RpcLimits limits) {
    h_ = IssueServiceHarness::Start(
        absl::FromCivil(absl::CivilSecond(2023, 3, 1, 9, 0, 0), absl::FixedTimeZone(8 * 3600)),
        limits);
    if (!h_) GTEST_SKIP();
    office_ = h_->Office();
    v1::CreateIssueRequest req;
    req.mutable_issue()->set_title("服务模型测试");
    req.mutable_issue()->set_source(v1::Issue::FEEDBACK);
    req.mutable_issue()->set_category(v1::Issue::WATER);
    req.mutable_issue()->set_region_code("230102");
    v1::Issue out;
    auto s = h_->stub().CreateIssue(h_->Context(office_).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    issue_ = out.id();
  }

  // A second connection to the server, so that streams and unary calls do not share one.
  std::unique_ptr<v1::IssueRegistry::Stub> OtherConnection() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return v1::IssueRegistry::NewStub(
        grpc::CreateCustomChannel(h_->address(), grpc::InsecureChannelCredentials(), args));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) { return h_->Context(token); }

  // Makes `threads` x `calls` GetIssue calls, each within kCallDeadline; true when every one
  // was answered (a starved call runs into its deadline). Prints their p99 for the record.
  bool GetIssueCallsAnswered(v1::IssueRegistry::Stub& stub, int threads, int calls) {
    std::vector<double> ms(static_cast<size_t>(threads) * calls);
    std::vector<std::thread> workers;
    std::atomic<int> failures{0};
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = 0; i < calls; ++i) {
          v1::GetIssueRequest req;
          req.set_id(issue_);
          v1::Issue out;
          auto ctx = Ctx(office_);
          ctx->set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
          absl::Time start = absl::Now();
          auto s = stub.GetIssue(ctx.get(), req, &out);
          ms[static_cast<size_t>(t) * calls + i] = absl::ToDoubleMilliseconds(absl::Now() - start);
          if (!s.ok()) {
            ++failures;
            ADD_FAILURE() << "GetIssue: " << s.error_code() << " " << s.error_message();
          }
        }
      });
    }
    for (auto& w : workers) w.join();
    std::sort(ms.begin(), ms.end());
    std::printf("GetIssue p99 %.1f ms over %zu calls\n", ms[ms.size() * 99 / 100], ms.size());
    return failures.load() == 0;
  }

  // Opens a watch and reads the event the ledger already has, so the stream is surely open.
  struct OpenWatch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader;
  };
  OpenWatch Watch(v1::IssueRegistry::Stub& stub, const std::string& token, bool expect_open) {
    OpenWatch w;
    w.ctx = Ctx(token);
    w.reader = stub.WatchEvents(w.ctx.get(), v1::WatchEventsRequest());
    v1::Event e;
    EXPECT_EQ(w.reader->Read(&e), expect_open);
    return w;
  }
  static void Close(OpenWatch& w) {
    w.ctx->TryCancel();
    w.reader->Finish();
  }

  std::unique_ptr<IssueServiceHarness> h_;
  std::string office_;
  int64_t issue_ = 0;
};

// A readiness check: polls `ready` (yielding, never sleeping) until it holds or `limit` passes.
template <typename Ready>
bool WaitUntil(Ready ready, absl::Duration limit = absl::Seconds(20)) {
  absl::Time until = absl::Now() + limit;
  while (!ready()) {
    if (absl::Now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// Threads of this process (the in-process server's included).
int ThreadCount() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    (void)entry;
    ++n;
  }
  return n;
}

std::string Reason(const grpc::Status& s) {
  // The reason travels in the google.rpc.Status details; its text is enough here.
  return s.error_details();
}

TEST_F(ServerModelTest, StreamsWithoutATokenAreRefusedAtOnceAndStarveNoOne) {
  StartWith({});
  auto streams = OtherConnection();
  struct Upload {
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::Evidence out;
    std::unique_ptr<grpc::ClientWriter<v1::UploadEvidenceRequest>> writer;
  };
  std::vector<Upload> uploads(500);
  for (auto& u : uploads) {
    u.ctx = Ctx("");
    u.writer = streams->UploadEvidence(u.ctx.get(), &u.out);
  }
  EXPECT_TRUE(GetIssueCallsAnswered(h_->stub(), 8, 20));
  for (auto& u : uploads) {
    EXPECT_EQ(u.writer->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_TRUE(h_->Serving());
}

TEST_F(ServerModelTest, FiveHundredIdleStreamsHoldNoThreadWhileUnaryCallsKeepSucceeding) {
  RpcLimits limits;
  limits.first_message_timeout = absl::Minutes(5);
  StartWith(limits);
  auto streams = OtherConnection();
  // Warm up the connection and the server's threads before counting them.
  EXPECT_TRUE(GetIssueCallsAnswered(*streams, 4, 5));
  int threads_before = ThreadCount();
  // 250 uploads that send nothing, by 50 counties' clerks, five each ...
  struct Upload {
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::Evidence out;
    std::unique_ptr<grpc::ClientWriter<v1::UploadEvidenceRequest>> writer;
  };
  std::vector<Upload> uploads;
  for (int p = 0; p < 50; ++p) {
    Principal clerk{absl::StrCat("clerk-", p), "gov-230102", Role::kCounty, "230102"};
    std::string token =
        MintToken(JwtSettings{testing::kTestJwtSecret}, clerk, absl::Now(), absl::Hours(1));
    for (int i = 0; i < 5; ++i) {
      auto& u = uploads.emplace_back();
      u.ctx = Ctx(token);
      u.writer = streams->UploadEvidence(u.ctx.get(), &u.out);
    }
  }
  // ... and 250 watches by 50 services, five each, caught up and waiting for the next commit.
  std::vector<OpenWatch> watches;
  for (int p = 0; p < 50; ++p) {
    std::string token = h_->Token(Role::kService, absl::StrCat("watcher-", p));
    for (int i = 0; i < 5; ++i) watches.push_back(Watch(*streams, token, true));
  }
  EXPECT_EQ(h_->rpc().open_streams(), 500);
  EXPECT_TRUE(h_->Serving());
  // 500 open streams, and the process has hardly more threads than before (gRPC may add a
  // poller or two): none is held per stream.
  EXPECT_LT(ThreadCount() - threads_before, 16);

  EXPECT_TRUE(GetIssueCallsAnswered(h_->stub(), 16, 30));

  for (auto& w : watches) Close(w);
  for (auto& u : uploads) {
    u.ctx->TryCancel();
    EXPECT_EQ(u.writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
}

TEST_F(ServerModelTest, AnOutOfScopeUploadIsRefusedBeforeItsSecondMessageIsRead) {
  StartWith({});
  // A county of another city may not add to this county's dossier.
  auto ctx = Ctx(h_->Token(Role::kCounty, "gov-230202", "230202"));
  v1::Evidence out;
  auto writer = h_->stub().UploadEvidence(ctx.get(), &out);
  v1::UploadEvidenceRequest md;
  md.mutable_metadata()->set_issue_id(issue_);
  md.mutable_metadata()->set_kind(v1::Evidence::DOCUMENT);
  md.mutable_metadata()->set_file_name("越权.pdf");
  ASSERT_TRUE(writer->Write(md));
  // The client neither sends a chunk nor closes its side: the answer comes anyway.
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ServerModelTest, AClientStreamWhoseFirstMessageNeverComesTimesOut) {
  RpcLimits limits;
  limits.first_message_timeout = absl::Milliseconds(300);
  StartWith(limits);
  auto ctx = Ctx(office_);
  v1::Evidence out;
  auto writer = h_->stub().UploadEvidence(ctx.get(), &out);
  auto status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(Reason(status).find("STREAM_TIMEOUT"), std::string::npos);
  EXPECT_EQ(h_->rpc().open_streams(), 0);
}

TEST_F(ServerModelTest, StreamsBeyondTheCapsAreRefusedAndAFullServiceSaysSoInHealth) {
  RpcLimits limits;
  limits.streams_per_principal = 2;
  limits.streams_total = 4;
  StartWith(limits);
  std::string service = h_->Token(Role::kService, "supervision-service");
  auto a = Watch(h_->stub(), office_, true);
  auto b = Watch(h_->stub(), office_, true);
  auto refused = Watch(h_->stub(), office_, false);
  auto status = refused.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(Reason(status).find("TOO_MANY_STREAMS_FOR_CALLER"), std::string::npos);
  EXPECT_TRUE(h_->Serving());

  auto c = Watch(h_->stub(), service, true);
  auto d = Watch(h_->stub(), service, true);
  auto full = Watch(h_->stub(), h_->Token(Role::kSupervisor, "hlj-supervision", "230000"), false);
  status = full.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(Reason(status).find("TOO_MANY_STREAMS"), std::string::npos);
  EXPECT_FALSE(h_->Serving());
  // Unary calls still succeed while the streams are full.
  EXPECT_TRUE(GetIssueCallsAnswered(h_->stub(), 2, 5));

  Close(a);
  Close(b);
  // The slots are released when the server has seen the cancellations.
  EXPECT_TRUE(WaitUntil([&] { return h_->Serving(); }));
  Close(c);
  Close(d);
}

TEST_F(ServerModelTest, ACallQueuedPastItsDeadlineGetsDeadlineExceededNotARefusal) {
  RpcLimits limits;
  limits.workers = 1;
  StartWith(limits);
  // Hold the only worker: its call waits for a table the test has locked.
  auto admin = mysql::Connect(h_->database().admin_account());
  ASSERT_TRUE(admin.ok()) << admin.status();
  (*admin)->Execute("LOCK TABLES " + h_->database().service_account().database + ".issues WRITE");
  grpc::Status first;
  std::thread blocked([&] {
    v1::GetIssueRequest req;
    req.set_id(issue_);
    v1::Issue out;
    first = h_->stub().GetIssue(Ctx(office_).get(), req, &out);
  });
  ASSERT_TRUE(WaitUntil([&] { return h_->rpc().worker_stats().busy == 1; }));

  auto ctx = Ctx(office_);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  v1::GetIssueRequest req;
  req.set_id(issue_);
  v1::Issue out;
  EXPECT_EQ(h_->stub().GetIssue(ctx.get(), req, &out).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);

  (*admin)->Execute("UNLOCK TABLES");
  blocked.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  // It waited in the queue and was never refused; once the worker is free the queue drains. (Its
  // server-side deadline, counted from when the server received it, may pass a moment after the
  // client's: whether it is then skipped as expired is the workers' unit test's to show.)
  EXPECT_TRUE(WaitUntil([&] { return h_->rpc().worker_stats().queued == 0; }));
  EXPECT_EQ(h_->rpc().worker_stats().refused, 0);
}

TEST_F(ServerModelTest, AnOversizedTokenIsRefusedAloneAndTheConnectionLivesOn) {
  StartWith({});
  auto watch = Watch(h_->stub(), office_, true);
  v1::GetIssueRequest req;
  req.set_id(issue_);
  v1::Issue out;
  auto big = Ctx("");
  big->AddMetadata("authorization", "Bearer " + std::string(9 * 1024, 'a'));
  EXPECT_EQ(h_->stub().GetIssue(big.get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The watch on the same connection still follows the ledger.
  v1::CreateIssueRequest create;
  create.mutable_issue()->set_title("同一连接");
  create.mutable_issue()->set_source(v1::Issue::FEEDBACK);
  create.mutable_issue()->set_category(v1::Issue::AIR);
  create.mutable_issue()->set_region_code("230102");
  ASSERT_TRUE(h_->stub().CreateIssue(Ctx(office_).get(), create, &out).ok());
  v1::Event e;
  ASSERT_TRUE(watch.reader->Read(&e));
  EXPECT_EQ(e.type(), "issue.created");
  EXPECT_EQ(e.resource(), absl::StrCat("issues/", out.id()));
  Close(watch);
}

TEST_F(ServerModelTest, ADrainEndsOpenWatchesSoTheyResumeElsewhere) {
  StartWith({});
  auto watch = Watch(h_->stub(), office_, true);
  std::thread stop([&] { h_->Stop(); });
  v1::Event e;
  EXPECT_FALSE(watch.reader->Read(&e));
  auto status = watch.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(Reason(status).find("SHUTTING_DOWN"), std::string::npos);
  stop.join();
}

}  // namespace
}  // namespace rectify
