// The services this gateway can front. Naming a message of each proto file here links its
// descriptors into the binary, so the route table finds the services in the generated pool.
#pragma once

#include <string>
#include <vector>

namespace rectify::gateway {

// Full names, e.g. "rectify.v1.IssueRegistry".
const std::vector<std::string>& FrontedServices();

}  // namespace rectify::gateway
