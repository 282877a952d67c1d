// Supervision's desks put together over its stores: what supervision-service's main and the
// tests build, and what the gRPC handlers call. It holds no rules itself.
#pragma once

#include <string>

#include "common/page_token.h"
#include "common/working_days.h"
#include "supervision-service/domain/battle_map.h"
#include "supervision-service/domain/escalation_ladder.h"
#include "supervision-service/domain/linkage_desk.h"
#include "supervision-service/domain/meeting_register.h"
#include "supervision-service/domain/obligation_register.h"
#include "supervision-service/domain/policy_book.h"
#include "supervision-service/domain/record_keeper.h"
#include "supervision-service/domain/reference.h"
#include "supervision-service/domain/status_desk.h"
#include "supervision-service/domain/supervision_board.h"

namespace rectify::supervision {

struct SupervisionStores {
  RecordStore& records;
  PolicyStore& policies;
  EscalationStore& escalations;
  SweepStore& sweeps;
  ObligationStore& obligations;
  LinkageStore& linkage;
  MeetingStore& meetings;
  MapStore& map;
};

class Supervision {
 public:
  Supervision(SupervisionStores stores, const Reference& reference,
              const WorkingDayCalendar& calendar, std::string page_token_secret,
              PageSizes pages = {})
      : tokens_(page_token_secret),
        keeper_(calendar, reference),
        policies_(stores.policies, tokens_, pages),
        board_(stores.records, tokens_, pages),
        ladder_(stores.escalations, stores.sweeps, stores.records, policies_, calendar, tokens_,
                pages),
        obligations_(stores.obligations, policies_, tokens_, pages),
        linkage_(stores.linkage, reference, tokens_, pages),
        meetings_(stores.meetings, reference, tokens_, pages),
        map_(stores.map, reference),
        status_(policies_, stores.sweeps, stores.records) {}

  const RecordKeeper& keeper() const { return keeper_; }
  PolicyBook& policies() { return policies_; }
  SupervisionBoard& board() { return board_; }
  EscalationLadder& ladder() { return ladder_; }
  ObligationRegister& obligations() { return obligations_; }
  LinkageDesk& linkage() { return linkage_; }
  MeetingRegister& meetings() { return meetings_; }
  BattleMap& map() { return map_; }
  StatusDesk& status() { return status_; }

 private:
  PageTokenCodec tokens_;
  RecordKeeper keeper_;
  PolicyBook policies_;
  SupervisionBoard board_;
  EscalationLadder ladder_;
  ObligationRegister obligations_;
  LinkageDesk linkage_;
  MeetingRegister meetings_;
  BattleMap map_;
  StatusDesk status_;
};

}  // namespace rectify::supervision
