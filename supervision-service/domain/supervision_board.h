// The board of supervision records: one record, and the records a caller may see.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/page_token.h"
#include "supervision-service/domain/page.h"
#include "supervision-service/storage/supervision_store.h"

namespace rectify::supervision {

class SupervisionBoard {
 public:
  SupervisionBoard(RecordStore& store, const PageTokenCodec& tokens, PageSizes pages)
      : store_(store), tokens_(tokens), pages_(pages) {}

  absl::StatusOr<SupervisionRecord> GetRecord(const CallContext& call, int64_t issue_id);
  absl::StatusOr<Page<SupervisionRecord>> ListRecords(const CallContext& call, int page_size,
                                                      const std::string& page_token,
                                                      const std::string& filter);

 private:
  RecordStore& store_;
  const PageTokenCodec& tokens_;
  PageSizes pages_;
};

}  // namespace rectify::supervision
