#include "refclient/security/coap_client_security.h"

#include <arpa/inet.h>
#include <mbedtls/sha256.h>

#include <fmt/format.h>

#include <array>

namespace fc::refclient {

namespace {

bool is_ip_literal(const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, host.c_str(), buffer.data()) == 1 || inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

// "sha256:1a2b3c4d5e6f7081…": enough of the digest to tell keys apart in a log.
std::string fingerprint(ByteView der) {
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(der.data(), der.size(), digest.data(), 0);
  return "sha256:" + to_hex(ByteView(digest.data(), 8)) + "…";
}

coap_bin_const_t bin_of(const std::string& text) {
  coap_bin_const_t bin{};
  bin.length = text.size();
  bin.s = reinterpret_cast<const uint8_t*>(text.data());
  return bin;
}

coap_bin_const_t bin_of(const Bytes& bytes) {
  coap_bin_const_t bin{};
  bin.length = bytes.size();
  bin.s = bytes.data();
  return bin;
}

}  // namespace

std::optional<coap_proto_t> coap_proto_of_scheme(std::string_view scheme) {
  if (scheme == "coap") return COAP_PROTO_UDP;
  if (scheme == "coaps") return COAP_PROTO_DTLS;
  if (scheme == "coap+tcp") return COAP_PROTO_TCP;
  if (scheme == "coaps+tcp") return COAP_PROTO_TLS;
  return std::nullopt;
}

bool is_secure(coap_proto_t proto) { return proto == COAP_PROTO_DTLS || proto == COAP_PROTO_TLS; }

bool is_reliable(coap_proto_t proto) { return proto == COAP_PROTO_TCP || proto == COAP_PROTO_TLS; }

std::string_view proto_name(coap_proto_t proto) {
  switch (proto) {
    case COAP_PROTO_UDP: return "UDP";
    case COAP_PROTO_DTLS: return "DTLS";
    case COAP_PROTO_TCP: return "TCP";
    case COAP_PROTO_TLS: return "TLS";
    default: break;
  }
  return "?";
}

std::string_view nack_reason_text(coap_nack_reason_t reason) {
  switch (reason) {
    case COAP_NACK_TOO_MANY_RETRIES: return "no answer after all retransmissions";
    case COAP_NACK_NOT_DELIVERABLE: return "not deliverable (connection failed or closed)";
    case COAP_NACK_RST: return "reset by the peer";
    case COAP_NACK_TLS_FAILED: return "the (D)TLS handshake failed";
    case COAP_NACK_ICMP_ISSUE: return "ICMP error (unreachable)";
  }
  return "failed";
}

std::optional<std::string> session_failure_text(coap_event_t event) {
  switch (event) {
    case COAP_EVENT_DTLS_CLOSED: return "the (D)TLS session closed or its handshake failed";
    case COAP_EVENT_DTLS_ERROR: return "(D)TLS error";
    case COAP_EVENT_TCP_CLOSED: return "the TCP connection closed";
    case COAP_EVENT_TCP_FAILED: return "the TCP connection failed";
    case COAP_EVENT_SESSION_CLOSED: return "the CoAP session closed";
    case COAP_EVENT_SESSION_FAILED: return "the CoAP session could not be set up (no CSM)";
    default: break;
  }
  return std::nullopt;
}

CoapClientSecurity::CoapClientSecurity(TlsCredentials credentials, std::string peer, spdlog::logger& log)
    : credentials_(std::move(credentials)),
      peer_(std::move(peer)),
      log_(log),
      certificate_(credentials_.certificate.string()),
      private_key_(credentials_.private_key.string()),
      ca_(credentials_.ca.string()) {}

coap_session_t* CoapClientSecurity::open(coap_context_t* context, const coap_address_t& address, coap_proto_t proto,
                                         const std::string& host) {
  error_.clear();
  if (!is_secure(proto)) {
    coap_session_t* session = coap_new_client_session(context, nullptr, &address, proto);
    if (session == nullptr) error_ = fmt::format("libcoap cannot open a {} session", proto_name(proto));
    return session;
  }
  if ((proto == COAP_PROTO_DTLS && !coap_dtls_is_supported()) ||
      (proto == COAP_PROTO_TLS && !coap_tls_is_supported())) {
    error_ = fmt::format("this libcoap build has no {} support", proto_name(proto));
    return nullptr;
  }
  sni_ = is_ip_literal(host) ? std::string() : host;
  char* sni = sni_.empty() ? nullptr : sni_.data();

  coap_session_t* session = nullptr;
  switch (credentials_.coap_mode()) {
    case SecurityMode::NoSec:
      error_ = fmt::format("no {} credentials for a {} session (PSK, RPK or X.509 options)", peer_, proto_name(proto));
      return nullptr;
    case SecurityMode::Psk:
      psk_setup_ = coap_dtls_cpsk_t{};
      psk_setup_.version = COAP_DTLS_CPSK_SETUP_VERSION;
      psk_setup_.client_sni = sni;
      psk_setup_.psk_info.identity = bin_of(credentials_.psk_identity);
      psk_setup_.psk_info.key = bin_of(credentials_.psk_key);
      session = coap_new_client_session_psk2(context, nullptr, &address, proto, &psk_setup_);
      break;
    case SecurityMode::Rpk: {
      pki_setup_ = coap_dtls_pki_t{};
      pki_setup_.version = COAP_DTLS_PKI_SETUP_VERSION;
      pki_setup_.verify_peer_cert = 1;
      pki_setup_.is_rpk_not_cert = 1;
      pki_setup_.validate_cn_call_back = on_peer_key;
      pki_setup_.cn_call_back_arg = this;
      pki_setup_.client_sni = sni;
      pki_setup_.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
      // A SEC1 key holds both halves, so libcoap takes the same buffer for both; the length
      // counts the terminating NUL, which spares libcoap a copy.
      const auto& pem = credentials_.rpk_private_key_pem;
      pki_setup_.pki_key.key.pem_buf.public_cert = reinterpret_cast<const uint8_t*>(pem.c_str());
      pki_setup_.pki_key.key.pem_buf.public_cert_len = pem.size() + 1;
      pki_setup_.pki_key.key.pem_buf.private_key = reinterpret_cast<const uint8_t*>(pem.c_str());
      pki_setup_.pki_key.key.pem_buf.private_key_len = pem.size() + 1;
      session = coap_new_client_session_pki(context, nullptr, &address, proto, &pki_setup_);
      break;
    }
    case SecurityMode::X509:
      pki_setup_ = coap_dtls_pki_t{};
      pki_setup_.version = COAP_DTLS_PKI_SETUP_VERSION;
      pki_setup_.verify_peer_cert = ca_.empty() ? 0 : 1;
      pki_setup_.cert_chain_validation = 1;
      pki_setup_.cert_chain_verify_depth = 3;
      pki_setup_.validate_cn_call_back = on_peer_key;
      pki_setup_.cn_call_back_arg = this;
      pki_setup_.client_sni = sni;
      pki_setup_.pki_key.key_type = COAP_PKI_KEY_PEM;
      pki_setup_.pki_key.key.pem.public_cert = certificate_.empty() ? nullptr : certificate_.c_str();
      pki_setup_.pki_key.key.pem.private_key = private_key_.empty() ? nullptr : private_key_.c_str();
      if (ca_.empty()) {
        if (!warned_unverified_) {
          log_.warn("the {}'s certificate is not checked: no CA given to verify it against", peer_);
          warned_unverified_ = true;
        }
      } else if (coap_context_set_pki_root_cas(context, ca_.c_str(), nullptr) == 0) {
        error_ = fmt::format("libcoap refused the CA file {}", ca_);
        return nullptr;
      }
      session = coap_new_client_session_pki(context, nullptr, &address, proto, &pki_setup_);
      break;
  }
  if (session == nullptr) {
    error_ = fmt::format("libcoap cannot open a {} session with {} credentials", proto_name(proto),
                         coap::to_string(credentials_.coap_mode()));
  }
  return session;
}

int CoapClientSecurity::on_peer_key(const char* cn, const uint8_t* der, size_t length, coap_session_t* /*session*/,
                                    unsigned depth, int validated, void* self) {
  if (depth != 0) return 1;  // CA certificates of the chain were checked by the TLS library
  return static_cast<CoapClientSecurity*>(self)->check_peer(cn, der, length, validated);
}

int CoapClientSecurity::check_peer(const char* cn, const uint8_t* der, size_t length, int validated) {
  const ByteView presented(der, length);
  if (credentials_.coap_mode() != SecurityMode::Rpk) {
    log_.info("{} presented certificate {} ({})", peer_, cn != nullptr ? cn : "?",
              ca_.empty()      ? "not checked"
              : validated != 0 ? "verified against " + ca_
                               : "not verified");
    return 1;
  }
  const auto& pinned = credentials_.peer_public_key_der;
  if (pinned.empty()) {
    log_.warn("{} raw public key {} accepted without a pin", peer_, fingerprint(presented));
    return 1;
  }
  if (presented.size() == pinned.size() && std::equal(presented.begin(), presented.end(), pinned.begin())) {
    log_.info("{} raw public key {} matches the pinned key", peer_, fingerprint(presented));
    return 1;
  }
  error_ = fmt::format("{} raw public key {} is not the pinned key {} ({}): handshake refused", peer_,
                       fingerprint(presented), fingerprint(pinned), credentials_.peer_public_key.string());
  log_.warn("{}", error_);
  return 0;
}

}  // namespace fc::refclient
