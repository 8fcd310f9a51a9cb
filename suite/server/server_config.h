// How the reference LwM2M server listens and how patient it is with the device.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "suite/coap/security.h"
#include "suite/common/clock.h"
#include "suite/server/format_choice.h"

namespace fc::server {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free port
  // Udp/Tcp need credentials.mode NoSec; Dtls/Tls need PSK, RPK or X.509 (what devices must present).
  coap::Transport transport = coap::Transport::Udp;
  coap::Credentials credentials;
  // lwm2m= versions accepted at Register; any other gets 4.12 Precondition Failed.
  std::set<std::string> accepted_lwm2m_versions{"1.0", "1.1", "1.2"};
  // RFC 7252 §4.8 parameters for requests the server sends to the device.
  double ack_timeout_s = 2.0;
  std::uint16_t max_retransmit = 4;
  double ack_random_factor = 1.5;
  // How long one device-management operation may take before it is reported as unanswered:
  // derived from the device's timing by the profile, never shortened for real devices.
  Duration operation_timeout = Duration(10'000);
  // Queue mode (TS Core 6.2.1.1): a device registered with Q is reachable for this long after
  // each Register and Update; requests to it wait for that window (the profile's, 93 s by default).
  Duration queue_window = Duration(93'000);
  // Largest body the server reassembles from Block2 reads before giving up with an error.
  std::size_t max_read_body = 4 * 1024 * 1024;
  // The profile's side of the Accept / Content-Format choice (format_choice.h).
  RequestFormats request_formats;
};

}  // namespace fc::server
