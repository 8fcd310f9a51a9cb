// Opens libcoap client sessions for any CoAP transport (RFC 7252 UDP/DTLS, RFC 8323 TCP/TLS)
// with one peer's TlsCredentials: PSK, RPK with an optional pinned peer key, or X.509 with an
// optional trust anchor. Keeps the setup data libcoap points into alive and says why a
// handshake was refused on our side.
#pragma once

#include <coap3/coap.h>
#include <spdlog/logger.h>

#include <optional>
#include <string>
#include <string_view>

#include "refclient/security/tls_credentials.h"

namespace fc::refclient {

// coap UDP, coaps DTLS, coap+tcp TCP, coaps+tcp TLS; nullopt for any other scheme.
std::optional<coap_proto_t> coap_proto_of_scheme(std::string_view scheme);
bool is_secure(coap_proto_t proto);
bool is_reliable(coap_proto_t proto);  // TCP or TLS: no CoAP retransmissions (RFC 8323)
std::string_view proto_name(coap_proto_t proto);

// "reset by the peer", "TLS failed", ... for a NACK reason.
std::string_view nack_reason_text(coap_nack_reason_t reason);
// A failure event (handshake failed, connection closed or refused) in words; nullopt for the
// events that are not failures.
std::optional<std::string> session_failure_text(coap_event_t event);

class CoapClientSecurity {
 public:
  // `peer` names the other side in logs ("server", "repository"); `log` gets one line per
  // handshake verdict and the one-time warnings (certificate not checked, key not pinned).
  CoapClientSecurity(TlsCredentials credentials, std::string peer, spdlog::logger& log);
  CoapClientSecurity(const CoapClientSecurity&) = delete;
  CoapClientSecurity& operator=(const CoapClientSecurity&) = delete;

  // A client session on `context` to `address` over `proto`. `host` is the name from the URI,
  // sent as SNI when it is not an IP literal. Returns nullptr and sets error() when the
  // credentials cannot serve `proto` or libcoap refuses the setup. The object must outlive
  // every session it opened.
  coap_session_t* open(coap_context_t* context, const coap_address_t& address, coap_proto_t proto,
                       const std::string& host);

  // Why open() failed, or why our side refused the last handshake (pinned key mismatch).
  const std::string& error() const { return error_; }
  const TlsCredentials& credentials() const { return credentials_; }

 private:
  static int on_peer_key(const char* cn, const uint8_t* der, size_t length, coap_session_t* session,
                         unsigned depth, int validated, void* self);
  int check_peer(const char* cn, const uint8_t* der, size_t length, int validated);

  TlsCredentials credentials_;
  std::string peer_;
  spdlog::logger& log_;
  std::string sni_;
  std::string certificate_;
  std::string private_key_;
  std::string ca_;
  coap_dtls_cpsk_t psk_setup_{};
  coap_dtls_pki_t pki_setup_{};
  std::string error_;
  bool warned_unverified_ = false;
};

}  // namespace fc::refclient
