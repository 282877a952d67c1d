// What the events' wire (rectify.v1.WatchEvents) says beyond the Event message itself, shared by
// the services that stream events and the clients that read them.
#pragma once

namespace rectify {

// The type of the first message of a watch that starts from now (WatchEventsRequest.from_now):
// only its cursor is set, the position the stream follows from.
inline constexpr char kBookmarkEventType[] = "stream.bookmark";

}  // namespace rectify
