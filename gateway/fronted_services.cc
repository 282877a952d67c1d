#include "gateway/fronted_services.h"

#include "rectify/v1/accountability.pb.h"
#include "rectify/v1/issue_registry.pb.h"
#include "rectify/v1/supervision.pb.h"

namespace rectify::gateway {

const std::vector<std::string>& FrontedServices() {
  static const std::vector<std::string> services = [] {
    std::vector<std::string> out;
    for (const auto* file :
         {v1::GetIssueRequest::descriptor()->file(), v1::GetEscalationRequest::descriptor()->file(),
          v1::GetCaseRequest::descriptor()->file()}) {
      for (int i = 0; i < file->service_count(); ++i) out.push_back(file->service(i)->full_name());
    }
    return out;
  }();
  return services;
}

}  // namespace rectify::gateway
