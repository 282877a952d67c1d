// A WHERE clause built term by term with the parameters of its placeholders, for the listings
// whose filters vary; each store binds them to one prepared statement.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "cppconn/prepared_statement.h"

namespace rectify::mysql {

// Binds one parameter at its position.
using Binder = std::function<void(sql::PreparedStatement&, int)>;

struct Where {
  std::vector<std::string> terms;
  std::vector<Binder> binders;
  void Add(std::string term) { terms.push_back(std::move(term)); }
  void Str(std::string v) {
    binders.push_back([v = std::move(v)](sql::PreparedStatement& s, int i) { s.setString(i, v); });
  }
  void Num(int64_t v) {
    binders.push_back([v](sql::PreparedStatement& s, int i) { s.setInt64(i, v); });
  }
  std::string Sql() const { return absl::StrJoin(terms, " AND "); }
};

}  // namespace rectify::mysql
