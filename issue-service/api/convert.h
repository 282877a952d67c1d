// Mapping between rectify.v1 messages and the issue registry's domain values.
#pragma once

#include "common/history_chain.h"
#include "issue-service/domain/model.h"
#include "rectify/v1/issue_registry.pb.h"

namespace rectify::issues {

void ToProto(const Region& r, v1::Region* out);
void ToProto(const Org& o, v1::Org* out);
void ToProto(const Inspection& i, v1::Inspection* out);
void ToProto(const Issue& i, bool overdue, v1::Issue* out);
void ToProto(const ProgressReport& r, v1::ProgressReport* out);

void ToProto(const Objection& o, v1::Objection* out);
void ToProto(const Extension& e, v1::Extension* out);
void ToProto(const Evidence& e, v1::Evidence* out);
void ToProto(const HistoryRecord& r, v1::HistoryRecord* out);

Org FromProto(const v1::Org& o);
Inspection FromProto(const v1::Inspection& i);
Issue FromProto(const v1::Issue& i);
ProgressReport FromProto(const v1::ProgressReport& r);

}  // namespace rectify::issues
