#include "suite/coap/key_material.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fc::coap {

std::string redacted_key(const Bytes& key) { return "<redacted " + std::to_string(key.size()) + "-byte key>"; }

namespace detail {

namespace {

gnutls_datum_t datum_of(ByteView bytes) {
  return gnutls_datum_t{const_cast<unsigned char*>(bytes.data()), static_cast<unsigned>(bytes.size())};
}

}  // namespace

std::string read_text(const std::filesystem::path& path, std::string_view setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string(setting) + ": cannot read '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Bytes spki_der(ByteView key, gnutls_x509_crt_fmt_t format) {
  gnutls_pubkey_t pubkey = nullptr;
  if (gnutls_pubkey_init(&pubkey) < 0) return {};
  Bytes out;
  gnutls_datum_t in = datum_of(key);
  gnutls_datum_t der{nullptr, 0};
  if (gnutls_pubkey_import(pubkey, &in, format) >= 0 &&
      gnutls_pubkey_export2(pubkey, GNUTLS_X509_FMT_DER, &der) >= 0) {
    out.assign(der.data, der.data + der.size);
    gnutls_free(der.data);
  }
  gnutls_pubkey_deinit(pubkey);
  return out;
}

std::string sha256_prefix(ByteView der) {
  unsigned char digest[32];
  gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data(), der.size(), digest);
  return "sha256:" + to_hex(ByteView(digest, 8));
}

CertificateNames names_of(ByteView der) {
  CertificateNames names;
  gnutls_x509_crt_t crt = nullptr;
  if (gnutls_x509_crt_init(&crt) < 0) return names;
  gnutls_datum_t in = datum_of(der);
  if (gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_DER) >= 0) {
    char buf[256];
    std::size_t size = sizeof buf;
    if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) >= 0)
      names.cn.assign(buf, size);
    gnutls_datum_t issuer{nullptr, 0};
    if (gnutls_x509_crt_get_issuer_dn3(crt, &issuer, 0) >= 0) {
      names.issuer.assign(reinterpret_cast<const char*>(issuer.data), issuer.size);
      gnutls_free(issuer.data);
    }
  }
  gnutls_x509_crt_deinit(crt);
  return names;
}

void check_psk(const Credentials& c) {
  if (c.psk_identity.empty()) throw std::runtime_error("psk_identity: empty (PSK needs an identity)");
  if (c.psk_identity.size() > max_psk_length)
    throw std::runtime_error("psk_identity: " + std::to_string(c.psk_identity.size()) +
                             " bytes; libcoap 4.3.1 allows at most 64");
  if (c.psk_key.empty()) throw std::runtime_error("psk_key: empty (PSK needs a key)");
  if (c.psk_key.size() > max_psk_length)
    throw std::runtime_error("psk_key: " + redacted_key(c.psk_key) + " is longer than the 64 bytes libcoap 4.3.1 allows");
}

void check_x509(const Credentials& c, bool needs_own, bool needs_ca) {
  if (needs_own && (c.certificate.empty() || c.private_key.empty()))
    throw std::runtime_error("certificate/private_key: X.509 needs this side's certificate and key");
  if (needs_ca && c.ca.empty()) throw std::runtime_error("ca: an X.509 server needs the CA that signs client certificates");
  gnutls_certificate_credentials_t creds = nullptr;
  gnutls_certificate_allocate_credentials(&creds);
  std::string error;
  if (!c.certificate.empty() || !c.private_key.empty()) {
    int rc = gnutls_certificate_set_x509_key_file(creds, c.certificate.c_str(), c.private_key.c_str(), GNUTLS_X509_FMT_PEM);
    if (rc < 0)
      error = "certificate/private_key: cannot use '" + c.certificate.string() + "' with '" + c.private_key.string() +
              "': " + gnutls_strerror(rc);
  }
  if (error.empty() && !c.ca.empty() && gnutls_certificate_set_x509_trust_file(creds, c.ca.c_str(), GNUTLS_X509_FMT_PEM) <= 0)
    error = "ca: no usable CA certificate in '" + c.ca.string() + "'";
  gnutls_certificate_free_credentials(creds);
  if (!error.empty()) throw std::runtime_error(error);
}

void check_private_key_pem(const std::string& pem, const std::filesystem::path& path) {
  gnutls_x509_privkey_t key = nullptr;
  gnutls_x509_privkey_init(&key);
  gnutls_datum_t in = datum_of(ByteView(reinterpret_cast<const unsigned char*>(pem.data()), pem.size()));
  int rc = gnutls_x509_privkey_import(key, &in, GNUTLS_X509_FMT_PEM);
  gnutls_x509_privkey_deinit(key);
  if (rc < 0) throw std::runtime_error("rpk_private_key: '" + path.string() + "' is not a PEM private key: " + gnutls_strerror(rc));
}

}  // namespace detail
}  // namespace fc::coap
