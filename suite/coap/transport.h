// How CoAP travels: the transport a URI scheme names (RFC 7252 §6, RFC 8323 §8) and the security mode over it.
#pragma once

#include <optional>
#include <string_view>

namespace fc::coap {

// How CoAP travels: UDP, DTLS, TCP or TLS (the last two framed per RFC 8323).
enum class Transport { Udp, Dtls, Tcp, Tls };

// "coap", "coaps", "coap+tcp", "coaps+tcp".
std::string_view scheme_of(Transport transport);
// The inverse; nullopt for any other scheme.
std::optional<Transport> transport_of_scheme(std::string_view scheme);
bool is_secure(Transport transport);
// Whether this libcoap build can do it (DTLS/TLS need a TLS flavour; TCP may be compiled out).
bool transport_supported(Transport transport);

enum class SecurityMode { NoSec, Psk, Rpk, X509 };
std::string_view to_string(SecurityMode mode);

}  // namespace fc::coap
