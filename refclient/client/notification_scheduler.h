// Decides when each observed path is notified: one notification in flight at a time, every
// change kept in order (libcoap alone would send only the latest value of a resource that
// changed twice between two sends), pmin spacing, pmax refreshes and the gt/lt/st conditions.
//
// With a merge window (--variant merged-notifications) a change waits that long before it is
// sent, and later changes of the same path within it replace its value (RFC 7641 §4.5: an
// observer need not see every state); the newest value is always sent.
//
// The CoAP side calls release() to learn which path to hand to libcoap, payload_for() from the
// GET handler when libcoap builds that notification, and after_io() after each I/O round.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "refclient/client/attributes.h"
#include "suite/common/bytes.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/path.h"
#include "suite/lwm2m/value.h"

namespace fc::refclient {

class NotificationScheduler {
 public:
  using AttributeLookup = std::function<NotificationAttributes(const lwm2m::Path&)>;

  // `in_flight_limit`: how long a released notification may wait for libcoap to build it
  // before the observation is taken as gone (e.g. the server sent RST and libcoap dropped it).
  // `merge_window`: zero notifies every change in order (the default, see above).
  explicit NotificationScheduler(Clock::duration in_flight_limit, Clock::duration merge_window = {});

  // The server observes `path` with `token`; it has just been answered with `value`.
  void observed(const lwm2m::Path& path, const Bytes& token, Clock::time_point now,
                const std::optional<lwm2m::Records>& value);
  // Observe=1 or an RST to a notification carrying `token`.
  void cancelled(const Bytes& token);
  // Every observation is void (a new Register: the server must observe again).
  void clear();
  bool is_observed(const lwm2m::Path& path) const;
  std::vector<lwm2m::Path> observed_paths() const;

  // `observed` (an observed path containing the changed resource) now reads `snapshot`.
  void changed(const lwm2m::Path& observed, lwm2m::Records snapshot, const NotificationAttributes& attributes,
               Clock::time_point now = Clock::now());

  // The path to notify now, if any; it stays in flight until after_io() sees it was sent.
  std::optional<lwm2m::Path> release(Clock::time_point now, const AttributeLookup& attributes);
  // Called when libcoap builds a notification of `path`: the snapshot to send, or nullptr for
  // the live value (a pmax refresh, or a notification this scheduler did not release).
  const lwm2m::Records* payload_for(const lwm2m::Path& path);
  void after_io(Clock::time_point now);
  // libcoap had no observer for the released path: drop it.
  void not_observed(const lwm2m::Path& path);

  // Nothing queued and nothing in flight.
  bool idle() const;
  // A released notification that libcoap has not built yet (e.g. waiting for an ACK).
  bool in_flight() const { return in_flight_.has_value(); }
  std::size_t queued(const lwm2m::Path& path) const;

 private:
  struct Entry {
    std::uint64_t sequence = 0;
    std::optional<lwm2m::Records> snapshot;  // nullopt: send the live value
    Clock::time_point queued_at{};           // when the change was queued (merge window)
  };
  struct Observation {
    std::set<Bytes> tokens;
    std::deque<Entry> queue;
    Clock::time_point last_sent{};
    std::optional<double> last_value;  // last queued numeric value, for gt/lt/st
  };
  void drop(const lwm2m::Path& path);

  Clock::duration in_flight_limit_;
  Clock::duration merge_window_;
  std::map<lwm2m::Path, Observation> observations_;
  std::uint64_t next_sequence_ = 0;
  std::optional<lwm2m::Path> in_flight_;
  Clock::time_point released_at_{};
  bool served_ = false;
};

// The number a single-value snapshot holds, for gt/lt/st; nullopt for anything else.
std::optional<double> numeric_value(const lwm2m::Records& records);

}  // namespace fc::refclient
