// The gateway's OpenAPI document: the transcoded routes (openapi.h) and the operations the
// gateway answers itself, described here beside nothing else.
#include "gateway/aggregates.h"
#include "gateway/gateway.h"
#include "gateway/openapi.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {
namespace {

// The gateway's own operations (health, the feed, development sign-in, the views).
std::vector<ExtraOperation> OwnOperations() {
  using json = nlohmann::json;
  auto plain = [](const char* summary, json schema) {
    return json{{"summary", summary},
                {"tags", {"Gateway"}},
                {"security", json::array({json::object()})},
                {"responses",
                 {{"200",
                   {{"description", "OK"},
                    {"content", {{"application/json", {{"schema", std::move(schema)}}}}}}}}}};
  };
  std::vector<ExtraOperation> ops;
  ops.push_back({"/healthz", "get", plain("The gateway is up.", {{"type", "object"}})});
  ops.push_back(
      {"/readyz", "get",
       plain("Every service behind the gateway answers its health check (503 when "
             "not, naming those that do not).",
             {{"type", "object"},
              {"properties",
               {{"ready", {{"type", "boolean"}}},
                {"not_serving", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}})});
  json feed = {
      {"summary", "Every service's events, merged, as server-sent events."},
      {"description",
       "Each event's `id:` names every service's cursor (issues=12,supervision=40,"
       "accountability=3): send it back as Last-Event-ID to resume. `data:` is the Event as JSON "
       "with `service`. A service that is down is announced with `event: unavailable` and "
       "followed again when it is back (`event: available`)."},
      {"tags", {"Gateway"}},
      {"parameters",
       {{{"name", "after"},
         {"in", "query"},
         {"description", "Where to resume when Last-Event-ID is not sent (an event's id)."},
         {"schema", {{"type", "string"}}}},
        {{"name", "from"},
         {"in", "query"},
         {"description",
          "`now`: skip the past and follow only what commits from here on (unless resuming). "
          "Each service's starting point arrives as an `id:` alone, without an event, so "
          "Last-Event-ID resumes from there."},
         {"schema", {{"type", "string"}, {"enum", {"now"}}}}},
        {{"name", "types"},
         {"in", "query"},
         {"explode", true},
         {"description", "Only events of these types."},
         {"schema", {{"type", "array"}, {"items", {{"type", "string"}}}}}},
        {{"name", "Last-Event-ID"}, {"in", "header"}, {"schema", {{"type", "string"}}}}}},
      {"responses",
       {{"200",
         {{"description", "The event stream."},
          {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}}}}}};
  ops.push_back({"/v1/events", "get", feed});
  json sign_in_body = {
      {"type", "object"},
      {"required", {"role"}},
      {"properties",
       {{"role",
         {{"type", "string"},
          {"enum",
           {"office", "department", "city", "county", "supervisor", "discipline", "public"}}}},
        {"org", {{"type", "string"}}},
        {"region", {{"type", "string"}, {"pattern", "^[0-9]{6}$"}}}}}};
  json sign_in = {
      {"operationId", "Gateway_DevSignIn"},
      {"summary", "Development sign-in: a token for the role, org and region asked."},
      {"description",
       "Only on a gateway started with the development signing key (404 otherwise); the "
       "province's identity provider issues tokens in production."},
      {"tags", {"Gateway"}},
      {"security", json::array({json::object()})},
      {"requestBody",
       {{"required", true}, {"content", {{"application/json", {{"schema", sign_in_body}}}}}}},
      {"responses",
       {{"200",
         {{"description", "The token."},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"properties",
                 {{"token", {{"type", "string"}}}, {"expiresIn", {{"type", "string"}}}}}}}}}}}}}}}};
  ops.push_back({"/v1/dev:signIn", "post", sign_in});
  for (auto& op : Aggregates::Operations()) ops.push_back(std::move(op));
  return ops;
}

}  // namespace

absl::StatusOr<nlohmann::json> GatewayOpenApi(const RouteTable& routes) {
  auto comments = ProtoComments::Linked();
  if (!comments.ok()) return comments.status();
  return OpenApiDocument(routes, *comments, OwnOperations());
}

}  // namespace rectify::gateway
