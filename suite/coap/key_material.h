// Internal to security.cpp: reading and checking PSKs, raw public keys and certificates with GnuTLS.
#pragma once

#include <gnutls/gnutls.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "suite/coap/security.h"

namespace fc::coap::detail {

// libcoap 4.3.1 copies PSK identities and keys into 64-byte buffers.
constexpr std::size_t max_psk_length = 64;

// The whole file; throws std::runtime_error naming `setting` and the path when it cannot be read.
std::string read_text(const std::filesystem::path& path, std::string_view setting);

// The DER SubjectPublicKeyInfo of `key` (PEM or DER), normalised so that two encodings of one
// key compare equal. Empty when it does not parse.
Bytes spki_der(ByteView key, gnutls_x509_crt_fmt_t format);

// "sha256:" and the first 8 bytes of the digest, in hex.
std::string sha256_prefix(ByteView der);

struct CertificateNames {
  std::string cn;
  std::string issuer;
};

// Empty names when `der` is not a certificate.
CertificateNames names_of(ByteView der);

// Each throws std::runtime_error naming the setting or file libcoap could not use.
void check_psk(const Credentials& c);
// Loads what libcoap would load only at the first handshake, so that a bad file fails here.
void check_x509(const Credentials& c, bool needs_own, bool needs_ca);
void check_private_key_pem(const std::string& pem, const std::filesystem::path& path);

}  // namespace fc::coap::detail
