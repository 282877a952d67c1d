#include "supervision-service/domain/filters.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/filter_expr.h"
#include "common/region.h"
#include "common/status.h"
#include "supervision-service/domain/names.h"

namespace rectify::supervision {
namespace {

absl::Status Bad(absl::string_view why) { return InvalidField("filter", why); }

using Setter = std::function<absl::Status(const FilterTerm&)>;

// Applies each term through the setter of its field; every field takes "=" only.
absl::Status Read(absl::string_view text, const std::map<std::string, Setter>& fields) {
  ASSIGN_OR_RETURN(auto terms, ParseConjunction(text));
  for (const auto& t : terms) {
    auto it = fields.find(t.field);
    if (it == fields.end()) {
      std::string known;
      for (const auto& [name, setter] : fields)
        absl::StrAppend(&known, known.empty() ? "" : ", ", name);
      return Bad(absl::StrCat("unknown field \"", t.field, "\"; filter by ", known));
    }
    if (t.op != "=") return Bad(absl::StrCat(t.field, " supports only '='"));
    RETURN_IF_ERROR(it->second(t));
  }
  return absl::OkStatus();
}

template <typename E>
Setter Enum(const NameTable& names, std::optional<E>& out) {
  return [&names, &out](const FilterTerm& t) -> absl::Status {
    auto v = ValueNamed<E>(names, t.value);
    if (!v) return Bad(absl::StrCat("unknown ", t.field, " \"", t.value, "\""));
    out = *v;
    return absl::OkStatus();
  };
}

Setter Region(std::optional<std::string>& out) {
  return [&out](const FilterTerm& t) -> absl::Status {
    if (!IsRegionCode(t.value)) return Bad("region needs a six-digit code");
    out = RegionPrefix(t.value);
    return absl::OkStatus();
  };
}

Setter Text(std::optional<std::string>& out) {
  return [&out](const FilterTerm& t) -> absl::Status {
    if (t.value.empty() || t.value.size() > 64)
      return Bad(absl::StrCat(t.field, ": 1 to 64 characters"));
    out = t.value;
    return absl::OkStatus();
  };
}

Setter Bool(std::optional<bool>& out) {
  return [&out](const FilterTerm& t) -> absl::Status {
    if (t.value != "true" && t.value != "false")
      return Bad(absl::StrCat(t.field, " is true or false"));
    out = t.value == "true";
    return absl::OkStatus();
  };
}

Setter Id(std::optional<int64_t>& out) {
  return [&out](const FilterTerm& t) -> absl::Status {
    int64_t v = 0;
    if (!absl::SimpleAtoi(t.value, &v) || v <= 0)
      return Bad(absl::StrCat(t.field, " needs a positive id"));
    out = v;
    return absl::OkStatus();
  };
}

}  // namespace

absl::StatusOr<RecordQuery> ParseRecordFilter(absl::string_view text) {
  RecordQuery q;
  RETURN_IF_ERROR(Read(text, {{"light", Enum(LightNames(), q.light)},
                              {"level", Enum(SupervisionLevelNames(), q.level)},
                              {"region", Region(q.region_prefix)},
                              {"org", Text(q.org)},
                              {"active", Bool(q.active)},
                              {"overdue", Bool(q.overdue)},
                              {"state", Enum(IssueStateNames(), q.state)}}));
  return q;
}

absl::StatusOr<EscalationQuery> ParseEscalationFilter(absl::string_view text) {
  EscalationQuery q;
  RETURN_IF_ERROR(Read(text, {{"level", Enum(LevelNames(), q.level)},
                              {"state", Enum(EscalationStateNames(), q.state)},
                              {"region", Region(q.region_prefix)},
                              {"org", Text(q.org)},
                              {"issue", Id(q.issue_id)},
                              {"cause", Enum(CauseNames(), q.cause)}}));
  return q;
}

absl::StatusOr<ObligationQuery> ParseObligationFilter(absl::string_view text) {
  ObligationQuery q;
  RETURN_IF_ERROR(Read(text, {{"issue", Id(q.issue_id)},
                              {"state", Enum(ObligationStateNames(), q.state)},
                              {"org", Text(q.org)},
                              {"kind", Enum(ObligationKindNames(), q.kind)},
                              {"region", Region(q.region_prefix)}}));
  return q;
}

absl::StatusOr<LinkageQuery> ParseLinkageFilter(absl::string_view text) {
  LinkageQuery q;
  RETURN_IF_ERROR(Read(text, {{"issue", Id(q.issue_id)},
                              {"state", Enum(LinkageStateNames(), q.state)},
                              {"org", Text(q.org)}}));
  return q;
}

absl::StatusOr<DirectiveQuery> ParseDirectiveFilter(absl::string_view text) {
  DirectiveQuery q;
  RETURN_IF_ERROR(Read(text, {{"state", Enum(DirectiveStateNames(), q.state)},
                              {"org", Text(q.org)},
                              {"meeting", Id(q.meeting_id)},
                              {"overdue", Bool(q.overdue)}}));
  return q;
}

}  // namespace rectify::supervision
