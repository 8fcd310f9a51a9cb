#include "suite/coap/transport.h"

#include <coap3/coap.h>

namespace fc::coap {

std::string_view scheme_of(Transport transport) {
  switch (transport) {
    case Transport::Udp: return "coap";
    case Transport::Dtls: return "coaps";
    case Transport::Tcp: return "coap+tcp";
    case Transport::Tls: return "coaps+tcp";
  }
  return "coap";
}

std::optional<Transport> transport_of_scheme(std::string_view scheme) {
  for (auto t : {Transport::Udp, Transport::Dtls, Transport::Tcp, Transport::Tls})
    if (scheme_of(t) == scheme) return t;
  return std::nullopt;
}

bool is_secure(Transport transport) { return transport == Transport::Dtls || transport == Transport::Tls; }

bool transport_supported(Transport transport) {
  switch (transport) {
    case Transport::Udp: return true;
    case Transport::Dtls: return coap_dtls_is_supported() != 0;
    case Transport::Tcp: return coap_tcp_is_supported() != 0;
    case Transport::Tls: return coap_tls_is_supported() != 0;
  }
  return false;
}

std::string_view to_string(SecurityMode mode) {
  switch (mode) {
    case SecurityMode::NoSec: return "NoSec";
    case SecurityMode::Psk: return "PSK";
    case SecurityMode::Rpk: return "RPK";
    case SecurityMode::X509: return "X.509";
  }
  return "?";
}

}  // namespace fc::coap
