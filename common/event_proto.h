// Outbox events on the wire (rectify.v1.Event), shared by every service's WatchEvents.
#pragma once

#include "common/outbox.h"
#include "rectify/v1/events.pb.h"

namespace rectify {

void ToProto(const OutboxEvent& event, v1::Event* out);
OutboxEvent FromProto(const v1::Event& event);

}  // namespace rectify
