#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/change_record.h"
#include "common/clock.h"
#include "common/mysql/delivery_intents.h"
#include "common/mysql/idempotency.h"
#include "common/status.h"
#include "supervision-service/domain/codec.h"
#include "supervision-service/domain/names.h"
#include "supervision-service/storage/mysql_supervision_store.h"

namespace rectify::supervision {

using namespace rows;  // NOLINT: the schema's shared row helpers

absl::StatusOr<EscalationPolicy> MysqlPolicyStore::CurrentPolicy(const EscalationPolicy& defaults,
                                                                 absl::Time deadline) {
  auto read = [&](Connection& c) -> absl::StatusOr<std::optional<EscalationPolicy>> {
    auto rs = c.Query("SELECT version, body FROM policies ORDER BY version DESC LIMIT 1");
    if (!rs->next()) return std::optional<EscalationPolicy>();
    ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(*rs));
    return std::optional<EscalationPolicy>(std::move(p));
  };
  ASSIGN_OR_RETURN(auto current,
                   mysql::ReadFor<std::optional<EscalationPolicy>>(pool_, deadline, read));
  if (current) return *current;
  // The first use stores the defaults as version 1 (once, whoever comes first).
  RETURN_IF_ERROR(pool_.Transact(deadline, [&](Tx& tx) -> absl::Status {
    EscalationPolicy first = defaults;
    first.version = 1;
    first.created_by = "defaults";
    int64_t n = tx.conn().Exec(
        "INSERT IGNORE INTO policies (version, body, created_by, create_time) VALUES (1, ?, ?, ?)",
        Dump(ToJson(first)), first.created_by, mysql::FormatDateTime(first.create_time));
    if (n > 0) {
      Principal system{"supervision-service", "", Role::kService, ""};
      RecordChange(tx, events_, system, absl::Now(), PolicyResource(1),
                   "supervision.policy_replaced", Dump(ToJson(first)), HistoryHead{});
    }
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(current, mysql::ReadFor<std::optional<EscalationPolicy>>(pool_, deadline, read));
  if (!current) return absl::InternalError("the policy could not be stored");
  return *current;
}

absl::StatusOr<EscalationPolicy> MysqlPolicyStore::GetPolicy(int64_t version, absl::Time deadline) {
  return mysql::ReadFor<EscalationPolicy>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<EscalationPolicy> {
        auto rs = c.Query("SELECT version, body FROM policies WHERE version = ?", version);
        if (!rs->next()) return NotFoundError(PolicyResource(version));
        return PolicyFromRow(*rs);
      });
}

absl::StatusOr<std::vector<EscalationPolicy>> MysqlPolicyStore::ListPolicies(int64_t before_version,
                                                                             int limit,
                                                                             absl::Time deadline) {
  return mysql::ReadFor<std::vector<EscalationPolicy>>(
      pool_, deadline, [&](Connection& c) -> absl::StatusOr<std::vector<EscalationPolicy>> {
        auto rs = c.Query(
            "SELECT version, body FROM policies WHERE (? = 0 OR version < ?) ORDER BY version "
            "DESC LIMIT ?",
            before_version, before_version, limit);
        std::vector<EscalationPolicy> out;
        while (rs->next()) {
          ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(*rs));
          out.push_back(std::move(p));
        }
        return out;
      });
}

absl::StatusOr<EscalationPolicy> MysqlPolicyStore::AddPolicy(const Mutation& m,
                                                             EscalationPolicy policy,
                                                             int64_t expected_version) {
  return mysql::Idempotent<EscalationPolicy>(
      pool_, mysql::KeyOf(m), &PolicyFromJson,
      [](const EscalationPolicy& p) { return Dump(ToJson(p)); },
      [&](Tx& tx) -> absl::StatusOr<EscalationPolicy> {
        auto& c = tx.conn();
        auto rs = c.Query("SELECT COALESCE(MAX(version), 0) AS v FROM policies FOR UPDATE");
        rs->next();
        if (rs->getInt64("v") != expected_version) {
          return StaleEtagError(PolicyResource(expected_version));
        }
        policy.version = expected_version + 1;
        c.Exec("INSERT INTO policies (version, body, created_by, create_time) VALUES (?, ?, ?, ?)",
               policy.version, Dump(ToJson(policy)), policy.created_by,
               mysql::FormatDateTime(policy.create_time));
        RecordChange(tx, events_, m.actor, m.now, PolicyResource(policy.version),
                     "supervision.policy_replaced", Dump(ToJson(policy)), HistoryHead{});
        return policy;
      });
}

}  // namespace rectify::supervision
