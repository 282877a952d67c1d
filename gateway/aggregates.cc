#include "gateway/aggregates.h"

#include <atomic>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/stream_call.h"
#include "gateway/transcode/http_response.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {
namespace {

using json = nlohmann::json;

struct PartSpec {
  std::string name;    // the answer's key
  std::string method;  // "rectify.v1.IssueRegistry.GetIssue"
  json request;        // protobuf's JSON of the request
  bool required = false;
};

// One call of a view.
struct Part {
  PartSpec spec;
  const google::protobuf::MethodDescriptor* method = nullptr;
  grpc::ClientContext context;
  grpc::ByteBuffer request, response;
  grpc::Status status;
  std::unique_ptr<InFlight::Ticket> ticket;  // after the context it names
};

// Asks every part at once and answers when the last one is back.
class FanOut : public std::enable_shared_from_this<FanOut> {
 public:
  FanOut(std::vector<PartSpec> specs, AggregateCall call, std::shared_ptr<Exchange> exchange,
         GatewayMetrics& metrics)
      : call_(std::move(call)), exchange_(std::move(exchange)), metrics_(metrics) {
    for (auto& spec : specs) {
      auto part = std::make_unique<Part>();
      part->spec = std::move(spec);
      parts_.push_back(std::move(part));
    }
  }
  // The connection goes before the tickets (see gateway.cc's Call).
  ~FanOut() { exchange_.reset(); }

  void Run(const Backends& backends, InFlight& in_flight) {
    pending_ = static_cast<int>(parts_.size());
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    for (auto& owned : parts_) {
      Part* part = owned.get();
      part->method = pool->FindMethodByName(part->spec.method);
      grpc::GenericStub* stub =
          part->method == nullptr ? nullptr : backends.Calls(part->method->service()->full_name());
      std::unique_ptr<google::protobuf::Message> request;
      if (part->method != nullptr) {
        request.reset(google::protobuf::MessageFactory::generated_factory()
                          ->GetPrototype(part->method->input_type())
                          ->New());
      }
      if (stub == nullptr ||
          !google::protobuf::util::JsonStringToMessage(part->spec.request.dump(), request.get())
               .ok()) {
        part->status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    absl::StrCat(part->spec.method, " is not behind this gateway"));
        Done();
        continue;
      }
      part->ticket = in_flight.Enter(&part->context);
      if (!call_.authorization.empty()) {
        part->context.AddMetadata("authorization", call_.authorization);
      }
      part->context.AddMetadata("x-request-id", call_.request_id);
      part->context.set_deadline(absl::ToChronoTime(absl::Now() + call_.deadline));
      part->request = ToByteBuffer(*request);
      stub->UnaryCall(
          &part->context,
          absl::StrCat("/", part->method->service()->full_name(), "/", part->method->name()),
          grpc::StubOptions(), &part->request, &part->response,
          [self = shared_from_this(), part](grpc::Status s) {
            part->status = std::move(s);
            self->Done();
          });
    }
  }

 private:
  void Done() {
    if (pending_.fetch_sub(1) == 1) Answer();
  }

  void Answer() {
    json out = json::object();
    json withheld = json::array(), unavailable = json::array();
    double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    for (const auto& part : parts_) {
      const grpc::Status& s = part->status;
      if (s.ok()) {
        std::unique_ptr<google::protobuf::Message> m(
            google::protobuf::MessageFactory::generated_factory()
                ->GetPrototype(part->method->output_type())
                ->New());
        absl::StatusOr<std::string> text = absl::InternalError("the answer did not parse");
        if (FromByteBuffer(part->response, *m)) text = MessageJson(*m);
        if (text.ok()) {
          out[part->spec.name] = json::parse(*text, nullptr, false);
          continue;
        }
      }
      if (part->spec.required) {
        // The view stands on this part: its refusal is the answer.
        unsigned http = static_cast<unsigned>(HttpStatusOf(s.error_code()));
        metrics_.RecordRequest(call_.label, http, seconds);
        exchange_->Respond(HttpResponse{
            http, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(s)});
        return;
      }
      switch (s.error_code()) {
        case grpc::StatusCode::PERMISSION_DENIED:
        case grpc::StatusCode::UNAUTHENTICATED:
          withheld.push_back(part->spec.name);
          break;
        case grpc::StatusCode::NOT_FOUND:
          out[part->spec.name] = nullptr;  // nothing of it yet (an issue not supervised)
          break;
        default:
          unavailable.push_back(part->spec.name);
      }
    }
    out["withheld"] = std::move(withheld);
    out["unavailable"] = std::move(unavailable);
    metrics_.RecordRequest(call_.label, 200, seconds);
    exchange_->Respond(
        HttpResponse{200,
                     "application/json",
                     {{"X-Request-Id", call_.request_id}, {"Cache-Control", "no-store"}},
                     out.dump()});
  }

  AggregateCall call_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  absl::Time start_ = absl::Now();
  std::vector<std::unique_ptr<Part>> parts_;
  std::atomic<int> pending_{0};
};

constexpr int kPage = 100;

}  // namespace

void Aggregates::Dossier(int64_t issue_id, AggregateCall call,
                         std::shared_ptr<Exchange> exchange) const {
  std::string id = std::to_string(issue_id);
  std::string about = absl::StrCat("issue = ", issue_id);
  std::vector<PartSpec> parts = {
      {"issue", "rectify.v1.IssueRegistry.GetIssue", {{"id", id}}, true},
      {"history", "rectify.v1.IssueRegistry.GetIssueHistory", {{"id", id}, {"pageSize", kPage}}},
      {"verification", "rectify.v1.IssueRegistry.VerifyIssueHistory", {{"id", id}}},
      {"evidence", "rectify.v1.IssueRegistry.ListEvidence", {{"issueId", id}}},
      {"progressReports",
       "rectify.v1.IssueRegistry.ListProgressReports",
       {{"issueId", id}, {"pageSize", kPage}}},
      {"extensions", "rectify.v1.IssueRegistry.ListExtensions", {{"issueId", id}}},
      {"objections", "rectify.v1.IssueRegistry.ListObjections", {{"issueId", id}}},
      {"supervision", "rectify.v1.Supervision.GetSupervisionRecord", {{"issueId", id}}},
      {"escalations",
       "rectify.v1.Supervision.ListEscalations",
       {{"filter", about}, {"pageSize", kPage}}},
      {"cases", "rectify.v1.Accountability.ListCases", {{"filter", about}, {"pageSize", kPage}}},
  };
  auto fan =
      std::make_shared<FanOut>(std::move(parts), std::move(call), std::move(exchange), metrics_);
  fan->Run(backends_, in_flight_);
}

void Aggregates::Board(const std::string& region_code, AggregateCall call,
                       std::shared_ptr<Exchange> exchange) const {
  json region = region_code.empty() ? json::object() : json{{"regionCode", region_code}};
  std::vector<PartSpec> parts = {
      {"ledger", "rectify.v1.IssueRegistry.GetLedgerStats", region, true},
      {"map", "rectify.v1.Supervision.GetBattleMap", region},
      {"accountability", "rectify.v1.Accountability.GetAccountabilityStats", region},
  };
  auto fan =
      std::make_shared<FanOut>(std::move(parts), std::move(call), std::move(exchange), metrics_);
  fan->Run(backends_, in_flight_);
}

std::vector<ExtraOperation> Aggregates::Operations() {
  auto ref = [](const char* message) { return json{{"$ref", SchemaRef(message)}}; };
  auto names = [](const char* what) {
    return json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", what}};
  };
  json left_out = {{"withheld", names("Parts the caller may not see, left out.")},
                   {"unavailable", names("Parts whose service did not answer in time, left out.")}};
  json dossier_properties = {{"issue", ref("rectify.v1.Issue")},
                             {"history", ref("rectify.v1.GetIssueHistoryResponse")},
                             {"verification", ref("rectify.v1.VerifyIssueHistoryResponse")},
                             {"evidence", ref("rectify.v1.ListEvidenceResponse")},
                             {"progressReports", ref("rectify.v1.ListProgressReportsResponse")},
                             {"extensions", ref("rectify.v1.ListExtensionsResponse")},
                             {"objections", ref("rectify.v1.ListObjectionsResponse")},
                             {"supervision",
                              {{"oneOf", {ref("rectify.v1.SupervisionRecord"), {{"type", "null"}}}},
                               {"description", "null while the issue is not supervised."}}},
                             {"escalations", ref("rectify.v1.ListEscalationsResponse")},
                             {"cases", ref("rectify.v1.ListCasesResponse")}};
  dossier_properties.update(left_out);
  json board_properties = {{"ledger", ref("rectify.v1.LedgerStats")},
                           {"map", ref("rectify.v1.BattleMap")},
                           {"accountability", ref("rectify.v1.AccountabilityStats")}};
  board_properties.update(left_out);
  auto answer = [](json properties, std::vector<std::string> required) {
    return json{{"200",
                 {{"description", "OK"},
                  {"content",
                   {{"application/json",
                     {{"schema",
                       {{"type", "object"},
                        {"properties", std::move(properties)},
                        {"required", std::move(required)}}}}}}}}}};
  };
  json dossier = {
      {"operationId", "Gateway_GetDossier"},
      {"tags", {"Gateway"}},
      {"summary", "An issue's whole dossier (一案一档) from all three services at once."},
      {"description",
       "The issue, its history and whether its chain verifies, its evidence, progress reports, "
       "extensions and objections, its supervision record and escalations, and the "
       "accountability cases that name it. Each part is the service's answer to the caller's "
       "token; parts the caller may not see are named in `withheld`, parts whose service is "
       "down in `unavailable`. The issue's own refusal (404, 403) is the answer."},
      {"parameters",
       {{{"name", "id"},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}, {"format", "int64"}, {"pattern", "^[0-9]+$"}}}}}},
      {"responses", answer(dossier_properties, {"issue", "withheld", "unavailable"})}};
  json board = {
      {"operationId", "Gateway_GetBoard"},
      {"tags", {"Gateway"}},
      {"summary", "The battle map with the ledger's and the cases' statistics, for one scope."},
      {"parameters",
       {{{"name", "regionCode"},
         {"in", "query"},
         {"description", "A GB/T 2260 code; the caller's whole scope when absent."},
         {"schema", {{"type", "string"}, {"pattern", "^[0-9]{6}$"}}}}}},
      {"responses", answer(board_properties, {"ledger", "withheld", "unavailable"})}};
  return {{"/v1/issues/{id}:dossier", "get", dossier}, {"/v1/board", "get", board}};
}

}  // namespace rectify::gateway
