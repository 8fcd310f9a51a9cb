// Everything the reference client is told on its command line, parsed and checked.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "refclient/client/connectivity_object.h"
#include "refclient/client/content_negotiation.h"
#include "refclient/client/device_object.h"
#include "refclient/firmware/firmware_update_object.h"
#include "refclient/security/tls_credentials.h"
#include "suite/common/clock.h"

namespace fc::refclient {

struct ServerAddress {
  std::string scheme = "coap";
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 5683;
};

struct ClientOptions {
  ServerAddress server;
  TlsCredentials server_security;  // for coaps:// and coaps+tcp:// (--psk-*, --certificate, --rpk-*)
  std::string server_uri;  // as given, for logs
  // Client-initiated bootstrap (--bootstrap): the bootstrap server and what this client presents
  // there (--bootstrap-psk-*, ...). The DM server and its credentials then come from the /0
  // and /1 instances it writes (bootstrap_client.h). Empty bootstrap_uri: no bootstrap account.
  ServerAddress bootstrap;
  std::string bootstrap_uri;
  TlsCredentials bootstrap_security;
  // --bootstrap-fault: a deliberate bootstrap defect ("reject-finish", "no-register"), for
  // the suite's own test of its bootstrap diagnosis.
  std::string bootstrap_fault;
  std::string endpoint;
  std::uint32_t lifetime = 300;
  std::string lwm2m_version = "1.1";
  double ack_timeout = 2.0;  // seconds, CoAP ACK_TIMEOUT for every session
  int max_retransmit = 4;
  // CoAP ACK_RANDOM_FACTOR for every session (RFC 7252 §4.8: at least 1.0; 1.0 makes every
  // retransmission time, and so every give-up, exact).
  double ack_random_factor = 1.5;
  std::string log_level = "info";
  FirmwareOptions firmware;
  DeviceInfo device;
  ConnectivityInfo connectivity;
  // Formats for several values it answers, accepts and advertises in `ct` (--formats).
  FormatList formats = default_formats("1.1");
  // --report-by-send: State and Update Result changes are also Sent (POST /dp, LwM2M 1.1).
  bool report_by_send = false;
  // --queue-mode: registers with Q and sleeps (reads nothing from its socket, sends nothing)
  // except for `awake_time` after each Register or Update; an Update goes out every
  // `update_interval` so that the server reaches it again.
  bool queue_mode = false;
  Clock::duration update_interval = std::chrono::seconds(3);
  Clock::duration awake_time = std::chrono::seconds(2);
};

}  // namespace fc::refclient
