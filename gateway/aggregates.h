// Views for portals that gather what several services hold about one thing, asking them all at
// once: an issue's dossier (the issue, its history and whether the chain verifies, its evidence,
// progress reports, extensions and objections, its supervision record and escalations, the
// accountability cases that name it), and the board (the battle map with the ledger's and the
// cases' statistics for the caller's scope). Each part is the service's own answer to the caller's
// token: what the caller may not see is left out (and named in `withheld`), a part whose service
// is down or slow is left out and named in `unavailable`, and only the part the view stands on
// (the issue; the ledger's statistics) fails the whole answer.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gateway/backends.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/in_flight.h"
#include "gateway/openapi.h"

namespace rectify::gateway {

struct AggregateCall {
  std::string authorization;
  std::string request_id;
  absl::Duration deadline = absl::Seconds(15);
  std::string label;  // for the metrics
};

class Aggregates {
 public:
  Aggregates(const Backends& backends, InFlight& in_flight, GatewayMetrics& metrics)
      : backends_(backends), in_flight_(in_flight), metrics_(metrics) {}

  void Dossier(int64_t issue_id, AggregateCall call, std::shared_ptr<Exchange> exchange) const;
  // `region_code` "" for the caller's whole scope.
  void Board(const std::string& region_code, AggregateCall call,
             std::shared_ptr<Exchange> exchange) const;

  // Their operations in the OpenAPI document.
  static std::vector<ExtraOperation> Operations();

 private:
  const Backends& backends_;
  InFlight& in_flight_;
  GatewayMetrics& metrics_;
};

}  // namespace rectify::gateway
