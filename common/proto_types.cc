#include "common/proto_types.h"

#include "google/protobuf/util/time_util.h"

namespace rectify {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

void PutCounts(const std::map<std::string, int64_t>& counts,
               google::protobuf::RepeatedPtrField<v1::Count>* out) {
  for (const auto& [key, n] : counts) {
    auto* c = out->Add();
    c->set_key(key);
    c->set_count(n);
  }
}

}  // namespace rectify
