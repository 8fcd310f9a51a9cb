// What the reference client presents to one peer (the LwM2M server or the firmware repository)
// over DTLS/TLS, and what it trusts from it, checked and loaded from the command line.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "suite/coap/transport.h"
#include "suite/common/bytes.h"

namespace fc::refclient {

// The same modes (and names) as the suite's side of the handshake.
using SecurityMode = coap::SecurityMode;

struct TlsCredentials {
  // PSK (RFC 4279). The key never reaches a log.
  std::string psk_identity;
  Bytes psk_key;

  // X.509: our certificate and its key (both or neither), and the trust anchor that the peer's
  // certificate must chain to. Without `ca` a CoAP peer's certificate is not checked at all.
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::filesystem::path ca;

  // RPK (RFC 7250): our key pair as SEC1 PEM ("EC PRIVATE KEY", both halves), and the peer's
  // pinned SubjectPublicKeyInfo; an empty pin accepts any key the peer shows.
  std::filesystem::path rpk_private_key;
  std::string rpk_private_key_pem;
  std::filesystem::path peer_public_key;
  Bytes peer_public_key_der;

  bool has_psk() const { return !psk_identity.empty(); }
  bool has_rpk() const { return !rpk_private_key.empty(); }
  bool has_certificate() const { return !certificate.empty(); }
  bool empty() const { return !has_psk() && !has_rpk() && !has_certificate() && ca.empty(); }
  // The mode of a CoAP (D)TLS session: PSK, else RPK, else X.509 (a certificate or a CA), else NoSec.
  SecurityMode coap_mode() const;
  // One line for logs: mode, identity, files; the PSK shows as "<redacted>".
  std::string describe() const;
};

}  // namespace fc::refclient
