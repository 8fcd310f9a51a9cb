// Everything the reference client is told on its command line, parsed and checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "refclient/client/connectivity_object.h"
#include "refclient/client/device_object.h"
#include "refclient/firmware/firmware_update_object.h"

namespace fc::refclient {

struct ServerAddress {
  std::string scheme = "coap";
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 5683;
};

struct ClientOptions {
  ServerAddress server;
  std::string server_uri;  // as given, for logs
  std::string endpoint;
  std::uint32_t lifetime = 300;
  std::string lwm2m_version = "1.1";
  double ack_timeout = 2.0;  // seconds, CoAP ACK_TIMEOUT for every session
  int max_retransmit = 4;
  std::string log_level = "info";
  FirmwareOptions firmware;
  DeviceInfo device;
  ConnectivityInfo connectivity;
};

}  // namespace fc::refclient
