#include "common/mysql/row_batch.h"

#include <algorithm>
#include <bit>
#include <memory>

#include "absl/strings/str_cat.h"

namespace rectify::mysql {

RowBatch::RowBatch(std::string head, std::string row, std::string tail, std::string separator)
    : head_(std::move(head)),
      row_(std::move(row)),
      tail_(std::move(tail)),
      separator_(std::move(separator)) {}

std::string RowBatch::Statement(size_t rows) const {
  std::string sql = head_;
  for (size_t k = 0; k < rows; ++k) absl::StrAppend(&sql, k ? separator_ : "", row_);
  absl::StrAppend(&sql, tail_);
  return sql;
}

int64_t RowBatch::Exec(Connection& c, const std::function<void(sql::ResultSet&)>& each) const {
  int64_t affected = 0;
  size_t next = 0;
  while (next < rows_.size()) {
    // The largest power of two that fits what is left, at most kMaxRows.
    size_t n = std::min(kMaxRows, std::bit_floor(rows_.size() - next));
    auto& stmt = c.Prepare(Statement(n));
    int position = 1;
    for (const auto& bind : lead_) bind(stmt, position++);
    for (size_t k = next; k < next + n; ++k) {
      for (const auto& bind : rows_[k]) bind(stmt, position++);
    }
    next += n;
    if (!each) {
      affected += stmt.executeUpdate();
      continue;
    }
    std::unique_ptr<sql::ResultSet> rs(stmt.executeQuery());
    while (rs->next()) each(*rs);
  }
  return affected;
}

}  // namespace rectify::mysql
