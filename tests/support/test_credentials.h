// Credentials the loopback security tests build for both ends of a handshake.
#pragma once

#include <string>
#include <string_view>

#include "suite/coap/security.h"

namespace fc::testing {

// PSK mode with `key` taken byte for byte (test keys are printable).
inline coap::Credentials psk_credentials(std::string identity, std::string_view key) {
  coap::Credentials c;
  c.mode = coap::SecurityMode::Psk;
  c.psk_identity = std::move(identity);
  c.psk_key = to_bytes(key);
  return c;
}

}  // namespace fc::testing
