// rectify-demo: loads DEMONSTRATION data into a running issue-service through its public API
// (so every record has its history and events): two inspection rounds and about 200 issues over
// Heilongjiang's 13 prefecture-level divisions, in every state reachable so far, with progress
// reports. Every title says it is demonstration data. Loading twice changes nothing.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cli/demo_calls.h"
#include "cli/demo_supervision.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/config.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/accountability.grpc.pb.h"
#include "rectify/v1/issue_registry.grpc.pb.h"

ABSL_FLAG(std::string, addr, "127.0.0.1:50051", "issue-service address");
ABSL_FLAG(std::string, dev_key, "", "the development signing key, or @file");
ABSL_FLAG(int, issues, 200, "how many demonstration issues");
ABSL_FLAG(std::string, accountability_addr, "", "accountability-service address (cases)");
ABSL_FLAG(std::string, supervision_addr, "",
          "supervision-service address (meetings, linkage, sign-offs, sweeps)");

namespace rectify {
namespace {

constexpr char kDemoMark[] = "【演示数据】";

struct County {
  const char* code;
  const char* name;
};
struct City {
  const char* code;
  const char* name;
  std::vector<County> counties;
};

const std::vector<City> kCities = {
    {"230100",
     "哈尔滨市",
     {{"230102", "道里区"},
      {"230111", "呼兰区"},
      {"230123", "依兰县"},
      {"230125", "宾县"},
      {"230183", "尚志市"},
      {"230184", "五常市"}}},
    {"230200", "齐齐哈尔市", {{"230202", "龙沙区"}, {"230221", "龙江县"}, {"230281", "讷河市"}}},
    {"230300", "鸡西市", {{"230302", "鸡冠区"}, {"230381", "虎林市"}, {"230382", "密山市"}}},
    {"230400", "鹤岗市", {{"230402", "向阳区"}, {"230421", "萝北县"}, {"230422", "绥滨县"}}},
    {"230500", "双鸭山市", {{"230502", "尖山区"}, {"230521", "集贤县"}, {"230524", "饶河县"}}},
    {"230600",
     "大庆市",
     {{"230602", "萨尔图区"}, {"230621", "肇州县"}, {"230624", "杜尔伯特蒙古族自治县"}}},
    {"230700", "伊春市", {{"230717", "伊美区"}, {"230781", "铁力市"}, {"230722", "嘉荫县"}}},
    {"230800",
     "佳木斯市",
     {{"230803", "向阳区"}, {"230881", "同江市"}, {"230882", "富锦市"}, {"230883", "抚远市"}}},
    {"230900", "七台河市", {{"230902", "新兴区"}, {"230921", "勃利县"}}},
    {"231000",
     "牡丹江市",
     {{"231002", "东安区"}, {"231081", "绥芬河市"}, {"231083", "海林市"}, {"231084", "宁安市"}}},
    {"231100", "黑河市", {{"231102", "爱辉区"}, {"231124", "孙吴县"}, {"231182", "五大连池市"}}},
    {"231200", "绥化市", {{"231202", "北林区"}, {"231281", "安达市"}, {"231283", "海伦市"}}},
    {"232700", "大兴安岭地区", {{"232701", "漠河市"}, {"232721", "呼玛县"}, {"232722", "塔河县"}}},
};

struct Template {
  v1::Issue::Category category;
  const char* lead;
  const char* title;
  std::vector<const char*> measures;
  const char* metric;
  const char* unit;
  double baseline, target;
};

const std::vector<Template> kTemplates = {
    {v1::Issue::WATER,
     "hlj-housing",
     "%s某污水处理厂出水化学需氧量超标排放",
     {"开展提标改造", "安装在线监测设备并联网", "落实运行台账管理"},
     "COD",
     "mg/L",
     68,
     50},
    {v1::Issue::WATER,
     "hlj-water",
     "%s城区黑臭水体治理进展缓慢",
     {"截污纳管", "清淤疏浚", "生态补水"},
     "氨氮",
     "mg/L",
     12,
     8},
    {v1::Issue::WATER,
     "hlj-water",
     "%s饮用水水源保护区内存在违规建设项目",
     {"拆除违建", "设置隔离防护设施"},
     "违规项目",
     "个",
     3,
     0},
    {v1::Issue::AIR,
     "hlj-industry",
     "%s某热电厂燃煤锅炉超低排放改造滞后",
     {"实施脱硫脱硝改造", "除尘设施升级"},
     "二氧化硫",
     "mg/m³",
     120,
     35},
    {v1::Issue::AIR,
     "hlj-agri",
     "%s秋冬季秸秆露天焚烧问题突出",
     {"划定禁烧区", "推进秸秆综合利用", "建立网格化巡查"},
     "火点",
     "个",
     46,
     0},
    {v1::Issue::SOIL,
     "hlj-nr",
     "%s某化工企业遗留污染地块未开展风险管控",
     {"开展土壤污染状况调查", "实施风险管控"},
     "",
     "",
     0,
     0},
    {v1::Issue::SOLID_WASTE,
     "hlj-housing",
     "%s生活垃圾填埋场渗滤液处理不达标",
     {"建设渗滤液处理站", "封场覆盖"},
     "渗滤液处理率",
     "%",
     60,
     100},
    {v1::Issue::SOLID_WASTE,
     "hlj-industry",
     "%s某工业固废堆场未落实防渗措施",
     {"建设防渗设施", "规范贮存"},
     "",
     "",
     0,
     0},
    {v1::Issue::ECOLOGY,
     "hlj-agri",
     "%s黑土地保护性耕作措施落实不到位",
     {"推广保护性耕作", "实施秸秆还田"},
     "保护性耕作面积",
     "万亩",
     12,
     30},
    {v1::Issue::ECOLOGY,
     "hlj-nr",
     "%s湿地被违规侵占开垦",
     {"退耕还湿", "恢复湿地植被"},
     "恢复面积",
     "公顷",
     0,
     260},
    {v1::Issue::NATURE_RESERVE,
     "hlj-forest",
     "%s自然保护区内违规采砂",
     {"关停采砂点", "实施生态修复"},
     "采砂点",
     "处",
     5,
     0},
    {v1::Issue::AGRICULTURE,
     "hlj-agri",
     "%s畜禽养殖粪污资源化利用率偏低",
     {"配套粪污处理设施", "推进种养结合"},
     "综合利用率",
     "%",
     72,
     90},
    {v1::Issue::INDUSTRY,
     "hlj-industry",
     "%s某煤矿矸石山自燃治理不力",
     {"实施灭火降温", "覆土绿化"},
     "",
     "",
     0,
     0},
};

const char* kReviewers[] = {"hlj-water", "hlj-nr", "hlj-housing", "hlj-agri", "hlj-forest"};

// A fixed sequence, so that a second run sends the same requests.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : s_(seed) {}
  uint32_t Next() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(s_ >> 33);
  }
  int Below(int n) { return static_cast<int>(Next() % n); }

 private:
  uint64_t s_;
};

class Loader {
 public:
  Loader(std::shared_ptr<grpc::Channel> channel, JwtSettings jwt)
      : stub_(v1::IssueRegistry::NewStub(channel)), calls_(std::move(jwt)) {}

  std::string Token(Role role, const std::string& org, const std::string& region) const {
    return calls_.Token(role, org, region);
  }

  template <typename Req, typename Resp, typename Call>
  bool Invoke(const char* what, Call call, const std::string& token, const Req& req, Resp* resp) {
    return DemoCalls::Invoke(*stub_, what, call, token, req, resp);
  }

  int Run(int count) {
    std::string office = Token(Role::kOffice, "hlj-office", "230000");
    v1::ListInspectionsRequest probe;
    v1::ListInspectionsResponse existing;
    if (!Invoke("ListInspections", &v1::IssueRegistry::Stub::ListInspections, office, probe,
                &existing)) {
      return 1;
    }
    for (const auto& i : existing.inspections()) {
      if (i.title().rfind(kDemoMark, 0) == 0) {
        std::printf("demo data already loaded (inspection %lld)\n", static_cast<long long>(i.id()));
        return 0;
      }
    }
    absl::CivilDay today = ProvinceDay(absl::Now());
    int64_t central = CreateInspection(office, v1::Inspection::CENTRAL,
                                       "第二轮中央生态环境保护督察反馈问题整改", today - 420);
    int64_t provincial = CreateInspection(office, v1::Inspection::PROVINCIAL,
                                          "省级生态环境保护例行督察", today - 200);
    if (!central || !provincial) return 1;

    Lcg rng(20220909);
    int states[3] = {0, 0, 0};
    int reports = 0;
    int accepted = 0;
    for (int n = 0; n < count; ++n) {
      const City& city = kCities[n % kCities.size()];
      const County& county = city.counties[rng.Below(city.counties.size())];
      const Template& t = kTemplates[rng.Below(kTemplates.size())];
      bool complaint = rng.Below(100) < 15;
      bool key = rng.Below(100) < 20;
      std::string place = absl::StrCat(city.name, county.name);

      v1::CreateIssueRequest create;
      auto* issue = create.mutable_issue();
      issue->set_inspection_id(n % 3 == 2 ? provincial : central);
      issue->set_source(complaint
                            ? v1::Issue::COMPLAINT
                            : (n % 3 == 2 ? v1::Issue::PROVINCIAL_FINDING : v1::Issue::FEEDBACK));
      issue->set_title(absl::StrCat(kDemoMark, absl::StrFormat(t.title, place)));
      issue->set_description(absl::StrCat("（演示数据，非真实案件）督察发现", place,
                                          "存在上述问题，群众反映强烈，需按期整改到位。"));
      issue->set_category(t.category);
      issue->set_region_code(county.code);
      issue->set_site(absl::StrCat(place, "（示例地点）"));
      issue->set_priority(key ? v1::Issue::KEY : v1::Issue::NORMAL);
      issue->set_target_text("按期完成整改任务，相关指标稳定达标");
      if (*t.metric) {
        auto* target = issue->add_targets();
        target->set_metric(t.metric);
        target->set_unit(t.unit);
        target->set_baseline(t.baseline);
        target->set_target(t.target);
      }
      for (size_t m = 0; m < t.measures.size(); ++m) {
        auto* measure = issue->add_measures();
        measure->set_description(t.measures[m]);
        measure->set_due_date(FormatDate(today + 30 * (m + 1) - rng.Below(200)));
      }
      if (complaint) {
        issue->mutable_complaint()->set_batch(absl::StrCat("第", 1 + rng.Below(30), "批"));
        issue->mutable_complaint()->set_complainant_contact(
            absl::StrFormat("138****%04d", rng.Below(10000)));
      }
      create.set_request_id(absl::StrCat("demo-", n, "-create"));
      v1::Issue created;
      if (!Invoke("CreateIssue", &v1::IssueRegistry::Stub::CreateIssue, office, create, &created)) {
        return 1;
      }
      int stage = rng.Below(10);  // 0-1 registered, 2-3 assigned, 4-9 rectifying
      if (stage < 2) {
        ++states[0];
        continue;
      }
      v1::AssignIssueRequest assign;
      assign.set_id(created.id());
      assign.set_lead_org_id(t.lead);
      // The county rectifies; its city supervises and accepts on site.
      assign.add_responsible_org_ids(absl::StrCat("gov-", county.code));
      assign.set_acceptance_org_id("hlj-deee");
      const char* reviewer = kReviewers[rng.Below(5)];
      if (std::string(reviewer) != t.lead) assign.add_joint_reviewer_org_ids(reviewer);
      // Deadlines from two months ago to a year ahead: some are already overdue, as the
      // inspection team set them when it fed the problem back.
      absl::CivilDay deadline = today - 60 + rng.Below(420);
      assign.set_deadline(FormatDate(deadline));
      if (deadline < today) {
        assign.set_deadline_already_passed(true);
        assign.set_deadline_reason("督察组反馈时已明确整改时限，本台账补录交办（演示数据）");
      }
      assign.set_rectification_class(
          t.category == v1::Issue::ECOLOGY
              ? v1::Issue::LONG_TERM
              : (rng.Below(4) == 0 ? v1::Issue::IMMEDIATE : v1::Issue::TIME_LIMITED));
      assign.set_responsible_official(absl::StrCat(county.name, "分管副职（示例）"));
      assign.set_request_id(absl::StrCat("demo-", n, "-assign"));
      v1::Issue assigned;
      if (!Invoke("AssignIssue", &v1::IssueRegistry::Stub::AssignIssue, office, assign,
                  &assigned)) {
        return 1;
      }
      if (stage < 4) {
        ++states[1];
        continue;
      }
      std::string lead = Token(Role::kDepartment, t.lead, "230000");
      v1::AcknowledgeAssignmentRequest ack;
      ack.set_id(created.id());
      ack.set_request_id(absl::StrCat("demo-", n, "-ack"));
      v1::Issue acked;
      if (!Invoke("AcknowledgeAssignment", &v1::IssueRegistry::Stub::AcknowledgeAssignment, lead,
                  ack, &acked)) {
        return 1;
      }
      ++states[2];
      std::string rectifier = Token(Role::kCounty, absl::StrCat("gov-", county.code), county.code);
      int done = 0;
      int percent = 0;
      for (int r = 0, total = rng.Below(4); r < total; ++r) {
        percent = std::min(100, percent + 10 + rng.Below(30));
        v1::ReportProgressRequest progress;
        progress.set_issue_id(created.id());
        progress.mutable_report()->set_percent_done(percent);
        progress.mutable_report()->set_narrative(absl::StrCat(
            "第", r + 1, "次月度调度：", t.measures[std::min<size_t>(done, t.measures.size() - 1)],
            "工作有序推进（演示数据）"));
        if (done < static_cast<int>(t.measures.size()) && rng.Below(2)) {
          auto* u = progress.mutable_report()->add_measure_updates();
          u->set_measure_id(absl::StrCat("m", ++done));
          u->set_done(true);
          u->set_note("已完成并留存佐证材料");
        }
        progress.set_request_id(absl::StrCat("demo-", n, "-progress-", r));
        v1::ProgressReport saved;
        if (!Invoke("ReportProgress", &v1::IssueRegistry::Stub::ReportProgress, rectifier, progress,
                    &saved)) {
          return 1;
        }
        ++reports;
      }
      if (complaint) {
        v1::RecordVerificationRequest verify;
        verify.set_id(created.id());
        verify.set_finding(rng.Below(5) == 0 ? v1::Complaint::PARTLY_SUBSTANTIATED
                                             : v1::Complaint::SUBSTANTIATED);
        verify.set_report("经现场核查，举报反映的问题基本属实（演示数据）");
        verify.set_request_id(absl::StrCat("demo-", n, "-verify"));
        v1::Issue verified;
        if (!Invoke("RecordVerification", &v1::IssueRegistry::Stub::RecordVerification, rectifier,
                    verify, &verified)) {
          return 1;
        }
      }
      // Stages 6-9 carry the issue into closure acceptance, as far as the stage says.
      if (stage >= 6 &&
          !Accept(n, created.id(), t, city, county, rectifier, lead, stage, &accepted)) {
        return 1;
      }
    }
    int imported = ImportHistory(office, central, today - 420);
    if (imported < 0) return 1;
    std::printf(
        "demo data loaded: %d entries of the earlier ledger imported (2 still open), 2 "
        "inspections, "
        "%d issues (%d registered, %d assigned, %d rectifying, "
        "of which %d went on into closure acceptance), %d progress reports\n",
        imported, count, states[0], states[1], states[2], accepted, reports);
    return Advance();
  }

  void set_accountability(std::shared_ptr<grpc::Channel> channel) {
    cases_ = v1::Accountability::NewStub(channel);
  }

  // What a later run can do that the first could not: close the demo issues whose public notice
  // has ended, then load the demonstration cases (and decide the false-rectification one once
  // its issue is closed).
  int Advance() {
    std::string office = Token(Role::kOffice, "hlj-office", "230000");
    v1::ListIssuesRequest list;
    list.set_filter("state = PUBLIC_NOTICE");
    list.set_page_size(500);
    v1::ListIssuesResponse noticed;
    if (!Invoke("ListIssues", &v1::IssueRegistry::Stub::ListIssues, office, list, &noticed)) {
      return 1;
    }
    std::string today = FormatDate(ProvinceDay(absl::Now()));
    int closed = 0;
    for (const auto& i : noticed.issues()) {
      if (i.notice().end_date() >= today) continue;
      v1::CloseIssueRequest close;
      close.set_id(i.id());
      v1::Issue out;
      if (Invoke("CloseIssue", &v1::IssueRegistry::Stub::CloseIssue, office, close, &out)) {
        ++closed;
      }
    }
    if (closed) std::printf("closed %d demo issues whose public notice ended\n", closed);
    return cases_ ? LoadCases() : 0;
  }

  int LoadCases() {
    std::string discipline = Token(Role::kDiscipline, "hlj-discipline", "230000");
    v1::ListCasesRequest existing;
    v1::ListCasesResponse have;
    if (!InvokeCase("ListCases", &v1::Accountability::Stub::ListCases, discipline, existing,
                    &have)) {
      return 1;
    }
    const v1::Case* pending_false = nullptr;
    for (const auto& c : have.cases()) {
      if (c.summary().rfind(kDemoMark, 0) != 0) continue;
      if (c.state() == v1::Case::INVESTIGATING && c.finding().confirmed_size() > 0 &&
          c.finding().confirmed(0) == v1::Case::FALSE) {
        pending_false = &c;
      }
    }
    if (have.cases_size() > 0) {
      if (pending_false) return DecideFalseCase(*pending_false);
      std::printf("demo cases already loaded\n");
      return 0;
    }
    auto pick = [&](const std::string& filter) -> int64_t {
      v1::ListIssuesRequest req;
      req.set_filter(filter);
      req.set_page_size(1);
      v1::ListIssuesResponse resp;
      Invoke("ListIssues", &v1::IssueRegistry::Stub::ListIssues,
             Token(Role::kOffice, "hlj-office", "230000"), req, &resp);
      return resp.issues_size() ? resp.issues(0).id() : 0;
    };
    struct Plan {
      v1::Case::Source source;
      const char* filter;
      v1::Case::FailureType type;
      const char* summary;
      int stage;  // 0 open, 1 investigating with a finding, 2 decided and closed
    };
    const Plan plans[] = {
        {v1::Case::TRANSFER, "state = RECTIFYING AND overdue = true", v1::Case::INCOMPLETE,
         "逾期未完成整改，经挂牌督办仍未整改到位，移交问责", 0},
        {v1::Case::LOOK_BACK, "state = RECTIFYING", v1::Case::INADEQUATE,
         "回头看发现整改措施落实不到位", 2},
        {v1::Case::INSPECTION, "state = ACCEPTANCE_REQUESTED", v1::Case::PERFUNCTORY,
         "省级督察发现以文件落实整改、敷衍应付", 1},
        {v1::Case::LOOK_BACK, "state = CLOSED", v1::Case::FALSE,
         "回头看发现已销号问题验收材料弄虚作假，涉嫌虚假整改", 3},
    };
    int made = 0;
    for (size_t k = 0; k < sizeof(plans) / sizeof(plans[0]); ++k) {
      const Plan& p = plans[k];
      int64_t issue = pick(p.filter);
      if (!issue) continue;
      v1::GetIssueRequest get;
      get.set_id(issue);
      v1::Issue linked;
      Invoke("GetIssue", &v1::IssueRegistry::Stub::GetIssue,
             Token(Role::kOffice, "hlj-office", "230000"), get, &linked);
      std::string rectifier =
          linked.responsible_org_ids_size() ? linked.responsible_org_ids(0) : "hlj-office";
      v1::OpenCaseRequest open;
      auto* c = open.mutable_case_();
      c->set_source(p.source);
      c->add_issue_ids(issue);
      c->add_failure_types(p.type);
      auto* org = c->add_subjects();
      org->set_kind(v1::Subject::ORG);
      org->set_org_id(rectifier);
      auto* official = c->add_subjects();
      official->set_kind(v1::Subject::OFFICIAL);
      official->set_org_id(rectifier);
      official->set_name(absl::StrCat("示例责任人", k + 1));
      official->set_post("分管副职（示例）");
      c->set_summary(absl::StrCat(kDemoMark, p.summary));
      if (p.source == v1::Case::TRANSFER) c->set_transfer_id("demo-escalation-1");
      open.set_request_id(absl::StrCat("demo-case-", k, "-open"));
      std::string opener = p.source == v1::Case::TRANSFER
                               ? Token(Role::kService, "supervision-service", "")
                               : Token(Role::kOffice, "hlj-office", "230000");
      v1::Case opened;
      if (!InvokeCase("OpenCase", &v1::Accountability::Stub::OpenCase, opener, open, &opened)) {
        return 1;
      }
      ++made;
      if (p.stage == 0) continue;
      v1::StartInvestigationRequest start;
      start.set_id(opened.id());
      start.set_request_id(absl::StrCat("demo-case-", k, "-start"));
      v1::RecordFindingRequest finding;
      finding.set_id(opened.id());
      finding.mutable_finding()->set_facts(absl::StrCat("经调查核实：", p.summary, "（演示数据）"));
      finding.mutable_finding()->add_confirmed(p.type);
      finding.mutable_finding()->add_evidence_refs("调查笔录（示例）");
      finding.set_request_id(absl::StrCat("demo-case-", k, "-finding"));
      v1::Case out;
      if (!InvokeCase("StartInvestigation", &v1::Accountability::Stub::StartInvestigation,
                      discipline, start, &out) ||
          !InvokeCase("RecordFinding", &v1::Accountability::Stub::RecordFinding, discipline,
                      finding, &out)) {
        return 1;
      }
      if (p.stage < 2) continue;
      if (p.stage == 3) {
        if (DecideFalseCase(out) != 0) return 1;
        continue;
      }
      if (!Decide(out, v1::CIRCULATED_CRITICISM, v1::ADMONISHMENT, &out)) return 1;
      v1::CloseCaseRequest close;
      close.set_id(out.id());
      close.set_request_id(absl::StrCat("demo-case-", k, "-close"));
      if (!InvokeCase("CloseCase", &v1::Accountability::Stub::CloseCase, discipline, close, &out)) {
        return 1;
      }
    }
    std::printf("demo cases loaded: %d\n", made);
    return 0;
  }

  int DecideFalseCase(const v1::Case& c) {
    v1::GetIssueRequest get;
    get.set_id(c.issue_ids(0));
    v1::Issue issue;
    if (!Invoke("GetIssue", &v1::IssueRegistry::Stub::GetIssue,
                Token(Role::kOffice, "hlj-office", "230000"), get, &issue)) {
      return 1;
    }
    if (issue.state() != v1::Issue::CLOSED) {
      std::printf(
          "demo cases loaded; the false-rectification case waits for issue %lld to "
          "close (its public notice ends %s)\n",
          static_cast<long long>(issue.id()), issue.notice().end_date().c_str());
      return 0;
    }
    v1::Case out;
    if (!Decide(c, v1::SERIOUS_WARNING, v1::REMOVAL_FROM_POST, &out)) return 1;
    // The service delivers the reopening by itself; wait a little to report it.
    for (int tries = 0; tries < 50; ++tries) {
      v1::GetCaseRequest get_case;
      get_case.set_id(out.id());
      if (!InvokeCase("GetCase", &v1::Accountability::Stub::GetCase,
                      Token(Role::kDiscipline, "hlj-discipline", "230000"), get_case, &out)) {
        return 1;
      }
      if (out.reopens_size() && out.reopens(0).state() != v1::ReopenDelivery::PENDING) break;
      absl::SleepFor(absl::Milliseconds(200));
    }
    std::printf("decided the false-rectification case %lld; reopening of issue %lld: %s\n",
                static_cast<long long>(out.id()), static_cast<long long>(issue.id()),
                out.reopens_size() ? v1::ReopenDelivery::State_Name(out.reopens(0).state()).c_str()
                                   : "none");
    return 0;
  }

  bool Decide(const v1::Case& c, v1::Sanction org, v1::Sanction official, v1::Case* out) {
    v1::DecideCaseRequest decide;
    decide.set_id(c.id());
    auto* s0 = decide.add_sanctions();
    s0->set_subject_index(0);
    s0->set_sanction(org);
    auto* s1 = decide.add_sanctions();
    s1->set_subject_index(1);
    s1->set_sanction(official);
    decide.set_decided_by("省纪委监委（示例）");
    decide.set_decision_date(FormatDate(ProvinceDay(absl::Now())));
    decide.set_request_id(absl::StrCat("demo-case-", c.id(), "-decide"));
    return InvokeCase("DecideCase", &v1::Accountability::Stub::DecideCase,
                      Token(Role::kDiscipline, "hlj-discipline", "230000"), decide, out);
  }

  template <typename Req, typename Resp, typename Call>
  bool InvokeCase(const char* what, Call call, const std::string& token, const Req& req,
                  Resp* resp) {
    return DemoCalls::Invoke(*cases_, what, call, token, req, resp);
  }

 private:
  // The central round predates the ledger: some of its problems were closed on paper before the
  // system existed. They come in as imports (office, with the source document), as a province
  // moving its 台账 into the system would bring them.
  // Two more were still being rectified when the ledger started, long past their deadlines:
  // supervision finds them (the ladder's upper levels).
  int ImportHistory(const std::string& office, int64_t inspection, absl::CivilDay feedback) {
    int n = 0;
    for (int k = 0; k < 10; ++k) {
      bool open = k >= 8;
      const City& city = kCities[(k * 5) % kCities.size()];
      const County& county = city.counties[0];
      const Template& t = kTemplates[(k * 3) % kTemplates.size()];
      v1::ImportIssueRequest req;
      auto* i = req.mutable_issue();
      i->set_inspection_id(inspection);
      i->set_source(v1::Issue::FEEDBACK);
      i->set_title(
          absl::StrCat(kDemoMark, absl::StrFormat(t.title, absl::StrCat(city.name, county.name))));
      i->set_description(open ? "（演示数据）原整改台账中尚未完成整改的问题，导入本系统"
                              : "（演示数据）原整改台账中已销号的问题，导入本系统");
      i->set_category(t.category);
      i->set_region_code(county.code);
      i->set_state(open ? v1::Issue::RECTIFYING : v1::Issue::CLOSED);
      i->set_lead_org_id(t.lead);
      i->add_responsible_org_ids(absl::StrCat("gov-", county.code));
      i->set_acceptance_org_id("hlj-deee");
      i->set_deadline(FormatDate(feedback + (k == 8 ? 120 : k == 9 ? 250 : 180)));
      i->set_rectification_class(v1::Issue::TIME_LIMITED);
      req.set_source_document(absl::StrCat("【演示】原整改台账第", k + 1, "项（示例文号）"));
      if (!open) req.set_closed_date(FormatDate(feedback + 200 + 7 * k));
      req.set_request_id(absl::StrCat("demo-import-", k));
      v1::Issue out;
      if (!Invoke("ImportIssue", &v1::IssueRegistry::Stub::ImportIssue, office, req, &out)) {
        return -1;
      }
      ++n;
    }
    return n;
  }

  // Finishes the work and takes the issue through the acceptance steps: stage 6 stops after the
  // application, 7 after on-site acceptance (or a rejection), 8 after pre-examination and joint
  // review, 9 in public notice.
  bool Accept(int n, int64_t id, const Template& t, const City& city, const County& county,
              const std::string& rectifier, const std::string& lead, int stage, int* accepted) {
    auto rid = [&](const std::string& what) { return absl::StrCat("demo-", n, "-", what); };
    v1::ReportProgressRequest progress;
    progress.set_issue_id(id);
    progress.mutable_report()->set_percent_done(100);
    progress.mutable_report()->set_narrative("整改措施全部完成，申请销号（演示数据）");
    for (size_t m = 0; m < t.measures.size(); ++m) {
      auto* u = progress.mutable_report()->add_measure_updates();
      u->set_measure_id(absl::StrCat("m", m + 1));
      u->set_done(true);
    }
    progress.set_request_id(rid("progress-final"));
    v1::ProgressReport report;
    if (!Invoke("ReportProgress", &v1::IssueRegistry::Stub::ReportProgress, rectifier, progress,
                &report)) {
      return false;
    }
    v1::GetIssueRequest get;
    get.set_id(id);
    v1::Issue issue;
    if (!Invoke("GetIssue", &v1::IssueRegistry::Stub::GetIssue, lead, get, &issue)) return false;
    if (issue.targets_size() > 0) {
      v1::UpdateIssueRequest update;
      update.mutable_issue()->set_id(id);
      *update.mutable_issue()->mutable_targets() = issue.targets();
      for (auto& target : *update.mutable_issue()->mutable_targets()) {
        target.set_actual(target.target());
      }
      update.mutable_update_mask()->add_paths("targets");
      update.set_request_id(rid("targets"));
      if (!Invoke("UpdateIssue", &v1::IssueRegistry::Stub::UpdateIssue, lead, update, &issue)) {
        return false;
      }
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ctx.AddMetadata("authorization", "Bearer " + rectifier);
    v1::Evidence evidence;
    auto writer = stub_->UploadEvidence(&ctx, &evidence);
    v1::UploadEvidenceRequest md;
    md.mutable_metadata()->set_issue_id(id);
    md.mutable_metadata()->set_kind(v1::Evidence::DOCUMENT);
    md.mutable_metadata()->set_file_name("整改销号材料（演示）.pdf");
    md.mutable_metadata()->set_request_id(rid("dossier"));
    writer->Write(md);
    v1::UploadEvidenceRequest part;
    part.set_chunk(
        absl::StrCat("%PDF-1.4\n% Rectify demonstration dossier for issue ", id, "\n%%EOF\n"));
    writer->Write(part);
    writer->WritesDone();
    if (auto s = writer->Finish(); !s.ok()) {
      std::fprintf(stderr, "rectify-demo: UploadEvidence failed: %s\n", s.error_message().c_str());
      return false;
    }
    v1::RequestAcceptanceRequest apply;
    apply.set_id(id);
    apply.set_self_check("经自查，整改措施全部落实到位，相关指标稳定达标（演示数据）");
    apply.add_evidence_ids(evidence.id());
    apply.set_request_id(rid("apply"));
    if (!Invoke("RequestAcceptance", &v1::IssueRegistry::Stub::RequestAcceptance, rectifier, apply,
                &issue)) {
      return false;
    }
    ++*accepted;
    auto review = [&](const std::string& token, v1::AcceptanceStep step, bool approve,
                      const std::string& what) {
      v1::ReviewAcceptanceRequest r;
      r.set_id(id);
      r.set_step(step);
      r.set_decision(approve ? v1::APPROVE : v1::REJECT);
      if (!approve) r.set_reason("现场核查发现部分点位仍有问题，退回继续整改（演示数据）");
      r.set_request_id(rid(what));
      return Invoke("ReviewAcceptance", &v1::IssueRegistry::Stub::ReviewAcceptance, token, r,
                    &issue);
    };
    if (stage == 6) return true;
    std::string city_gov = Token(Role::kCity, absl::StrCat("gov-", city.code), city.code);
    bool reject = n % 5 == 0;
    if (!review(city_gov, v1::ON_SITE, !reject, "on-site")) return false;
    if (stage == 7 || reject) return true;
    if (!review(Token(Role::kDepartment, "hlj-deee", "230000"), v1::PRE_EXAMINATION, true,
                "pre-exam")) {
      return false;
    }
    std::string office = Token(Role::kOffice, "hlj-office", "230000");
    for (const auto& reviewer : issue.joint_reviewer_org_ids()) {
      if (!review(Token(Role::kDepartment, reviewer, "230000"), v1::JOINT_REVIEW, true,
                  "joint-review-" + reviewer)) {
        return false;
      }
    }
    if (!review(office, v1::JOINT_REVIEW, true, "joint-review-office")) return false;
    if (stage == 8) return true;
    v1::OpenPublicNoticeRequest notice;
    notice.set_id(id);
    notice.set_request_id(rid("notice"));
    return Invoke("OpenPublicNotice", &v1::IssueRegistry::Stub::OpenPublicNotice, office, notice,
                  &issue);
  }

  int64_t CreateInspection(const std::string& office, v1::Inspection::Kind kind, const char* title,
                           absl::CivilDay feedback) {
    v1::CreateInspectionRequest req;
    auto* i = req.mutable_inspection();
    i->set_kind(kind);
    i->set_title(absl::StrCat(kDemoMark, title));
    i->set_team(kind == v1::Inspection::CENTRAL ? "中央第六生态环境保护督察组（示例）"
                                                : "省第三生态环境保护督察组（示例）");
    i->set_region_code("230000");
    i->set_stationed_from(FormatDate(feedback - 120));
    i->set_stationed_to(FormatDate(feedback - 90));
    i->set_feedback_date(FormatDate(feedback));
    req.set_request_id(absl::StrCat("demo-inspection-", static_cast<int>(kind)));
    v1::Inspection out;
    if (!Invoke("CreateInspection", &v1::IssueRegistry::Stub::CreateInspection, office, req,
                &out)) {
      return 0;
    }
    return out.id();
  }

  std::unique_ptr<v1::IssueRegistry::Stub> stub_;
  std::unique_ptr<v1::Accountability::Stub> cases_;
  DemoCalls calls_;
};

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) {
  using namespace rectify;
  ParseFlagsWithEnvironment(argc, argv, "rectify-demo: load demonstration data");
  auto key = ResolveSecret(absl::GetFlag(FLAGS_dev_key));
  if (absl::GetFlag(FLAGS_dev_key).empty() || !key.ok()) {
    std::fprintf(stderr, "rectify-demo: --dev_key is required\n");
    return 2;
  }
  JwtSettings jwt;
  jwt.secret = *key;
  Loader loader(grpc::CreateChannel(absl::GetFlag(FLAGS_addr), grpc::InsecureChannelCredentials()),
                jwt);
  if (!absl::GetFlag(FLAGS_accountability_addr).empty()) {
    loader.set_accountability(grpc::CreateChannel(absl::GetFlag(FLAGS_accountability_addr),
                                                  grpc::InsecureChannelCredentials()));
  }
  int rc = loader.Run(absl::GetFlag(FLAGS_issues));
  if (rc != 0 || absl::GetFlag(FLAGS_supervision_addr).empty()) return rc;
  return LoadSupervisionDemo(grpc::CreateChannel(absl::GetFlag(FLAGS_supervision_addr),
                                                 grpc::InsecureChannelCredentials()),
                             jwt);
}
