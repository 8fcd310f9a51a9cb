// Deadlines derived from the profile's CoAP parameters (RFC 7252 §4.8.2), scaled by timing.scale.
#pragma once

#include "suite/common/clock.h"
#include "suite/profile/profile.h"

namespace fc::profile {

struct CoapDeadlines {
  Duration max_transmit_span;  // first to last retransmission of a Confirmable
  Duration max_transmit_wait;  // first transmission to giving up on its ACK
  Duration max_latency;        // the RFC's 100 s bound on a datagram in flight
  Duration processing_delay;   // time a peer may take before its ACK (= ACK_TIMEOUT)
  Duration max_rtt;
  Duration exchange_lifetime;  // how long a Message ID stays in use for a Confirmable
  Duration non_lifetime;       // the same for a Non-confirmable
  Duration register_timeout;   // the profile's own, scaled alike
  Duration queue_window;       // timing.queue_window, else MAX_TRANSMIT_WAIT (TS Core 6.2.1.1), scaled alike
};

// Each value is the RFC formula on the profile's parameters, times `scale`, rounded to the
// millisecond. With the RFC defaults and scale 1: 45 s, 93 s, 100 s, 2 s, 202 s, 247 s, 145 s.
// Values past ~31 years are clamped there (a loaded profile is held to `longest_wait`).
CoapDeadlines derive_deadlines(const Timing& timing);

// The range of timing.scale. Below 0.1 the waits become shorter than a device on loopback
// needs to answer, so a slow test machine would be reported as a failing device; above 100
// the default waits already run to hours (longest_wait bounds the product of all values).
inline constexpr double min_scale = 0.1;
inline constexpr double max_scale = 100.0;

// The longest any wait may be; the schema refuses timing that derives a longer one.
inline constexpr Duration longest_wait = std::chrono::hours(24 * 7);

}  // namespace fc::profile
