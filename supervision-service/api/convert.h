// Supervision's domain types to and from rectify.v1's messages.
#pragma once

#include "rectify/v1/supervision.pb.h"
#include "supervision-service/domain/battle_map.h"
#include "supervision-service/domain/escalation_policy.h"
#include "supervision-service/domain/linkage_desk.h"
#include "supervision-service/domain/meeting_register.h"
#include "supervision-service/domain/model.h"
#include "supervision-service/domain/obligation_register.h"
#include "supervision-service/domain/supervision_board.h"

namespace rectify::supervision {

void ToProto(const SupervisionRecord& r, v1::SupervisionRecord* out);
void ToProto(const Escalation& e, v1::Escalation* out);
void ToProto(const Obligation& o, v1::Obligation* out);
void ToProto(const LinkageRequest& l, v1::LinkageRequest* out);
void ToProto(const Directive& d, v1::Directive* out);
void ToProto(const Meeting& m, v1::Meeting* out);
void ToProto(const EscalationPolicy& p, v1::EscalationPolicy* out);
void ToProto(const MapTile& t, v1::BattleMap::Tile* out);

EscalationPolicy FromProto(const v1::EscalationPolicy& in);
LinkageRequest FromProto(const v1::LinkageRequest& in);
Meeting FromProto(const v1::Meeting& in);

}  // namespace rectify::supervision
