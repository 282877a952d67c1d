#include "cli/demo_supervision.h"

#include <cstdio>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/demo_calls.h"
#include "common/clock.h"
#include "common/proto_types.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/supervision.grpc.pb.h"

namespace rectify {
namespace {

class SupervisionDemo {
 public:
  SupervisionDemo(std::shared_ptr<grpc::Channel> channel, JwtSettings jwt)
      : stub_(v1::Supervision::NewStub(channel)), calls_(std::move(jwt)) {}

  int Run() {
    if (!WaitForTheRegistrysEvents()) return 1;
    v1::ListEscalationsRequest probe;
    probe.set_page_size(1);
    v1::ListEscalationsResponse existing;
    if (!Invoke("ListEscalations", &Stub::ListEscalations, office_, probe, &existing)) return 1;
    if (existing.escalations_size() > 0) {
      std::printf("demo supervision already loaded\n");
      return 0;
    }
    absl::Time now = absl::Now();
    absl::CivilDay today = ProvinceDay(now);
    v1::ListSupervisionRecordsRequest list;
    list.set_filter("active = true");
    list.set_page_size(500);
    v1::ListSupervisionRecordsResponse records;
    if (!Invoke("ListSupervisionRecords", &Stub::ListSupervisionRecords, office_, list, &records)) {
      return 1;
    }
    // Issues led by departments, for the meeting and the linkage requests.
    std::vector<v1::SupervisionRecord> led;
    for (const auto& r : records.records()) {
      if (r.lead_org_id().rfind("hlj-", 0) == 0 && r.issue_state() == v1::Issue::RECTIFYING) {
        led.push_back(r);
      }
    }
    if (led.size() < 3) {
      std::fprintf(stderr, "rectify-demo: too few supervised issues for the demonstration\n");
      return 1;
    }
    if (!Meeting(today, led[0]) || !Linkage(today, led[1], "hlj-forest", true) ||
        !Linkage(today, led[2], "hlj-nr", false) || !SignOffs(records)) {
      return 1;
    }
    // Supervision as it went before the ledger's demonstration day: the entries still open from
    // the earlier ledger were noticed, interviewed and listed four months ago ...
    v1::RunSweepResponse earlier, today_sweep;
    if (!Sweep(now - absl::Hours(24 * 120), &earlier)) return 1;
    // ... and today (this evening, once today's three-hour sign-offs have run out) the ladder
    // climbs: warnings, notices, interviews, a listing and a transfer for accountability.
    if (!Sweep(now + absl::Hours(4), &today_sweep)) return 1;
    std::string summary;
    for (const auto& c : today_sweep.raised_by_level()) {
      absl::StrAppend(&summary, " ", c.key(), "=", c.count());
    }
    std::printf(
        "demo supervision loaded: %lld escalations raised as of 120 days ago, %lld as of this "
        "evening:%s\n",
        static_cast<long long>(earlier.raised_count()),
        static_cast<long long>(today_sweep.raised_count()), summary.c_str());
    v1::ListEscalationsRequest transfers;
    transfers.set_filter("level = TRANSFER");
    v1::ListEscalationsResponse listed;
    if (!Invoke("ListEscalations", &Stub::ListEscalations, office_, transfers, &listed)) return 1;
    for (const auto& e : listed.escalations()) WaitForTransfer(e.id());
    return 0;
  }

 private:
  using Stub = v1::Supervision::Stub;

  std::string Token(Role role, const std::string& org, const std::string& region) const {
    return calls_.Token(role, org, region);
  }

  template <typename Req, typename Resp, typename Call>
  bool Invoke(const char* what, Call call, const std::string& token, const Req& req, Resp* resp) {
    return DemoCalls::Invoke(*stub_, what, call, token, req, resp, 60);
  }

  // Supervision consumes the registry's events: wait until it has caught up and stays so.
  bool WaitForTheRegistrysEvents() {
    int64_t last = -1;
    for (int i = 0; i < 240; ++i) {
      v1::GetSupervisionStatusRequest req;
      v1::SupervisionStatus status;
      if (Invoke("GetSupervisionStatus", &Stub::GetSupervisionStatus, office_, req, &status) &&
          status.consumer_cursor() > 0 && status.lag_events() == 0 &&
          status.consumer_cursor() == last) {
        return true;
      }
      last = status.consumer_cursor();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    std::fprintf(stderr, "rectify-demo: supervision did not catch up with the registry\n");
    return false;
  }

  bool Meeting(absl::CivilDay today, const v1::SupervisionRecord& issue) {
    v1::CreateMeetingRequest req;
    auto* m = req.mutable_meeting();
    m->set_kind(v1::Meeting::SPECIAL_DEPLOYMENT);
    m->set_title("【演示数据】全省生态环境保护督察反馈问题整改专题部署会");
    m->set_date(FormatDate(today - 40));
    m->set_chair("省生态环境保护督察整改工作领导小组组长（示例）");
    for (const char* org : {"hlj-deee", "hlj-water", "hlj-housing", "gov-230100"}) {
      m->add_attendee_org_ids(org);
    }
    auto directive = [&](const char* text, const std::string& owner, int due, int64_t issue_id) {
      auto* d = m->add_directives();
      d->set_text(text);
      d->set_owner_org_id(owner);
      d->set_due_date(FormatDate(today + due));
      d->set_issue_id(issue_id);
    };
    directive("两周内完成问题点位排查并报送整改方案（演示数据）", issue.lead_org_id(), -10,
              issue.issue_id());
    directive("建立督察整改联席会议制度（演示数据）", "hlj-deee", 20, 0);
    directive("完成城市污水管网排查（演示数据）", "hlj-housing", -5, 0);
    req.set_request_id("demo-meeting-1");
    v1::Meeting out;
    return Invoke("CreateMeeting", &Stub::CreateMeeting, office_, req, &out);
  }

  bool Linkage(absl::CivilDay today, const v1::SupervisionRecord& issue, const std::string& target,
               bool accept) {
    v1::CreateLinkageRequestRequest req;
    auto* l = req.mutable_linkage();
    l->set_issue_id(issue.issue_id());
    l->set_target_org_id(target);
    l->set_action("请协同做好涉及本部门职责的整改工作（演示数据）");
    l->set_due_date(FormatDate(today + (accept ? 15 : 30)));
    req.set_request_id(absl::StrCat("demo-linkage-", issue.issue_id()));
    v1::LinkageRequest out;
    std::string lead = Token(Role::kDepartment, issue.lead_org_id(), "");
    if (!Invoke("CreateLinkageRequest", &Stub::CreateLinkageRequest, lead, req, &out)) return false;
    if (!accept) return true;
    v1::RespondToLinkageRequest answer;
    answer.set_id(out.id());
    answer.set_answer(v1::LinkageRequest::ACCEPT);
    answer.set_request_id(absl::StrCat("demo-linkage-", issue.issue_id(), "-accept"));
    return Invoke("RespondToLinkage", &Stub::RespondToLinkage, Token(Role::kDepartment, target, ""),
                  answer, &out);
  }

  // The province signs for every urgent issue at once, the cities for half of theirs.
  bool SignOffs(const v1::ListSupervisionRecordsResponse& records) {
    v1::ListObligationsRequest req;
    req.set_filter("state = PENDING");
    req.set_page_size(500);
    v1::ListObligationsResponse owed;
    if (!Invoke("ListObligations", &Stub::ListObligations, office_, req, &owed)) return false;
    int k = 0;
    for (const auto& o : owed.obligations()) {
      bool province = o.kind() == v1::Obligation::PROVINCE_SIGN_OFF;
      bool city = o.kind() == v1::Obligation::CITY_SIGN_OFF && (k++ % 2 == 0);
      if (!province && !city) continue;
      std::string region = province ? "230000" : o.owner_org_id().substr(4);
      std::string token = Token(province ? Role::kOffice : Role::kCity, o.owner_org_id(), region);
      v1::SignObligationRequest sign;
      sign.set_id(o.id());
      sign.set_request_id(absl::StrCat("demo-sign-", o.id()));
      v1::Obligation out;
      if (!Invoke("SignObligation", &Stub::SignObligation, token, sign, &out)) return false;
    }
    return true;
  }

  bool Sweep(absl::Time as_of, v1::RunSweepResponse* out) {
    v1::RunSweepRequest req;
    *req.mutable_as_of() = ToProtoTime(as_of);
    return Invoke("RunSweep", &Stub::RunSweep, Token(Role::kSupervisor, "hlj-office", "230000"),
                  req, out);
  }

  void WaitForTransfer(int64_t id) {
    for (int i = 0; i < 40; ++i) {
      v1::GetEscalationRequest get;
      get.set_id(id);
      v1::Escalation e;
      if (Invoke("GetEscalation", &Stub::GetEscalation, office_, get, &e) &&
          e.transfer().state() == v1::Escalation::Transfer::DELIVERED) {
        std::printf("transfer %lld opened accountability case %lld\n", static_cast<long long>(id),
                    static_cast<long long>(e.transfer().case_id()));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    std::printf("transfer %lld is waiting for accountability-service\n",
                static_cast<long long>(id));
  }

  std::unique_ptr<Stub> stub_;
  DemoCalls calls_;
  std::string office_ = Token(Role::kOffice, "hlj-office", "230000");
};

}  // namespace

int LoadSupervisionDemo(std::shared_ptr<grpc::Channel> supervision, const JwtSettings& jwt) {
  return SupervisionDemo(std::move(supervision), jwt).Run();
}

}  // namespace rectify
