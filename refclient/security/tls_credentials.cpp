#include "refclient/security/tls_credentials.h"

#include <fmt/format.h>

namespace fc::refclient {

SecurityMode TlsCredentials::coap_mode() const {
  if (has_psk()) return SecurityMode::Psk;
  if (has_rpk()) return SecurityMode::Rpk;
  if (has_certificate() || !ca.empty()) return SecurityMode::X509;
  return SecurityMode::NoSec;
}

std::string TlsCredentials::describe() const {
  if (empty()) return "no credentials";
  std::string text(coap::to_string(coap_mode()));
  if (has_psk()) text += fmt::format(" identity \"{}\" key <redacted>", psk_identity);
  if (has_rpk()) {
    text += fmt::format(" key pair {}", rpk_private_key.string());
    text += peer_public_key.empty() ? ", peer key not pinned"
                                    : fmt::format(", peer key pinned to {}", peer_public_key.string());
  }
  if (has_certificate()) text += fmt::format(" certificate {} key {}", certificate.string(), private_key.string());
  if (!ca.empty()) text += fmt::format(" trusting {}", ca.string());
  return text;
}

}  // namespace fc::refclient
