// The filter language of every List RPC (a subset of AIP-160): a conjunction of comparisons
//   filter := term { "AND" term }      term := field op value
//   op := "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"      value := "quoted string" | bare-word
// Parsed into terms; each service turns the terms into its own typed query, so a caller's text
// never reaches SQL.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {

struct FilterTerm {
  std::string field;
  std::string op;
  std::string value;
};

// INVALID_ARGUMENT with field "filter" pointing at the problem. Empty text gives no terms.
absl::StatusOr<std::vector<FilterTerm>> ParseConjunction(absl::string_view text);

}  // namespace rectify
