// Many rows in few statements: a multi-row INSERT (or an IN list) over a number of rows known
// only at run time, sent as prepared statements of a few fixed shapes. n rows go as the binary
// decomposition of n (137 = 128 + 8 + 1), largest first, so a connection caches at most one
// statement per power of two for each shape, and a batch of n rows costs at most log2(n) + 1
// round trips instead of n.
//
//   RowBatch history("INSERT INTO history (resource, seq) VALUES ", "(?, ?)");
//   for (const auto& r : records) history.Add(r.resource, r.seq);
//   history.Exec(tx.conn());
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql/pool.h"
#include "common/mysql/where.h"

namespace rectify::mysql {

class RowBatch {
 public:
  // The statement is head + row (joined by `separator`) + tail, e.g. head "INSERT INTO t (a, b)
  // VALUES ", row "(?, ?)", tail " RETURNING id"; or head "SELECT ... WHERE id IN (", row "?",
  // tail ") FOR UPDATE".
  RowBatch(std::string head, std::string row, std::string tail = "", std::string separator = ", ");

  // Appends a row; its values bind the row's placeholders in order.
  template <typename... Args>
  void Add(const Args&... args) {
    std::vector<Binder> row;
    row.reserve(sizeof...(Args));
    (row.push_back([v = args](sql::PreparedStatement& s, int i) { Connection::Bind(s, i, v); }),
     ...);
    rows_.push_back(std::move(row));
  }

  // Values for placeholders in the head, bound before the rows' in every statement.
  template <typename... Args>
  void Lead(const Args&... args) {
    (lead_.push_back([v = args](sql::PreparedStatement& s, int i) { Connection::Bind(s, i, v); }),
     ...);
  }

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  // Runs the statements. With `each`, they return rows (RETURNING, a SELECT) and `each` sees
  // every one in order; without, returns the number of rows affected.
  int64_t Exec(Connection& c, const std::function<void(sql::ResultSet&)>& each = nullptr) const;

  // The largest statement's row count.
  static constexpr size_t kMaxRows = 256;

 private:
  std::string Statement(size_t rows) const;

  std::string head_, row_, tail_, separator_;
  std::vector<Binder> lead_;
  std::vector<std::vector<Binder>> rows_;
};

}  // namespace rectify::mysql
