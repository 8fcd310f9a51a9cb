#include "suite/profile/deadlines.h"

#include <cmath>

namespace fc::profile {

namespace {

// RFC 7252 §4.8.2 fixes MAX_LATENCY at 100 s; it is a safety bound, not a measured delay.
constexpr double max_latency_ms = 100'000.0;

// Far beyond any wait the schema allows, and far from where steady_clock arithmetic overflows.
constexpr double longest_ms = 1e12;

Duration millis(double value) {
  if (!(value < longest_ms)) return Duration(static_cast<Duration::rep>(longest_ms));
  return Duration(std::llround(value));
}

}  // namespace

CoapDeadlines derive_deadlines(const Timing& timing) {
  const auto& coap = timing.coap;
  const double ack_timeout = static_cast<double>(coap.ack_timeout.count());
  const double factor = coap.ack_random_factor;
  const double scale = timing.scale;

  const double span = ack_timeout * (std::exp2(coap.max_retransmit) - 1) * factor;
  const double wait = ack_timeout * (std::exp2(coap.max_retransmit + 1) - 1) * factor;
  const double processing = ack_timeout;
  const double rtt = 2 * max_latency_ms + processing;

  CoapDeadlines out{};
  out.max_transmit_span = millis(span * scale);
  out.max_transmit_wait = millis(wait * scale);
  out.max_latency = millis(max_latency_ms * scale);
  out.processing_delay = millis(processing * scale);
  out.max_rtt = millis(rtt * scale);
  out.exchange_lifetime = millis((span + 2 * max_latency_ms + processing) * scale);
  out.non_lifetime = millis((span + max_latency_ms) * scale);
  out.register_timeout = millis(static_cast<double>(timing.register_timeout.count()) * scale);
  out.queue_window = timing.queue_window ? millis(static_cast<double>(timing.queue_window->count()) * scale)
                                         : out.max_transmit_wait;
  return out;
}

}  // namespace fc::profile
