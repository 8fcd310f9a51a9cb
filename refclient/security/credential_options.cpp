// Every file is parsed here, at start-up, so a bad one is an exit-2 error naming its option
// rather than a handshake that fails later for no visible reason.
#include "refclient/security/credential_options.h"

#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace fc::refclient {

namespace {

std::string mbedtls_text(int code) {
  std::array<char, 160> buffer{};
  mbedtls_strerror(code, buffer.data(), buffer.size());
  return buffer.data();
}

[[noreturn]] void refuse(const std::string& option, const std::string& why) {
  throw std::invalid_argument(fmt::format("{}: {}", option, why));
}

std::string read_text_file(const std::string& option, const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    refuse(option, fmt::format("{}: no such file", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (!in || !(text << in.rdbuf())) refuse(option, fmt::format("{}: cannot read the file", path));
  return text.str();
}

void check_certificate_file(const std::string& option, const std::string& path) {
  const auto text = read_text_file(option, path);
  if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    refuse(option, fmt::format("{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file", path));
  }
  mbedtls_x509_crt chain;
  mbedtls_x509_crt_init(&chain);
  const int rc = mbedtls_x509_crt_parse_file(&chain, path.c_str());
  mbedtls_x509_crt_free(&chain);
  if (rc != 0) refuse(option, fmt::format("{}: not a readable PEM certificate ({})", path, mbedtls_text(rc)));
}

void check_private_key_file(const std::string& option, const std::string& path) {
  read_text_file(option, path);
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  const int rc = mbedtls_pk_parse_keyfile(&key, path.c_str(), nullptr);
  mbedtls_pk_free(&key);
  if (rc != 0) refuse(option, fmt::format("{}: not an unencrypted PEM private key ({})", path, mbedtls_text(rc)));
}

std::string load_sec1_key(const std::string& option, const std::string& path) {
  auto text = read_text_file(option, path);
  if (text.find("-----BEGIN EC PRIVATE KEY-----") == std::string::npos) {
    refuse(option, fmt::format("{}: expected a SEC1 PEM key (-----BEGIN EC PRIVATE KEY-----), which holds "
                               "both halves of the raw public key",
                               path));
  }
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  const int rc = mbedtls_pk_parse_keyfile(&key, path.c_str(), nullptr);
  const bool ec = rc == 0 && mbedtls_pk_get_type(&key) == MBEDTLS_PK_ECKEY;
  mbedtls_pk_free(&key);
  if (rc != 0) refuse(option, fmt::format("{}: not a readable EC private key ({})", path, mbedtls_text(rc)));
  if (!ec) refuse(option, fmt::format("{}: not an EC key", path));
  return text;
}

Bytes load_public_key_der(const std::string& option, const std::string& path) {
  const auto text = read_text_file(option, path);
  if (text.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
    refuse(option, fmt::format("{}: expected a PEM SubjectPublicKeyInfo (-----BEGIN PUBLIC KEY-----)", path));
  }
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  int rc = mbedtls_pk_parse_public_keyfile(&key, path.c_str());
  if (rc != 0) {
    mbedtls_pk_free(&key);
    refuse(option, fmt::format("{}: not a readable public key ({})", path, mbedtls_text(rc)));
  }
  if (mbedtls_pk_get_type(&key) != MBEDTLS_PK_ECKEY) {
    mbedtls_pk_free(&key);
    refuse(option, fmt::format("{}: not an EC public key (raw public keys are EC)", path));
  }
  std::array<unsigned char, 512> buffer{};
  rc = mbedtls_pk_write_pubkey_der(&key, buffer.data(), buffer.size());
  mbedtls_pk_free(&key);
  if (rc <= 0) refuse(option, fmt::format("{}: cannot encode the key ({})", path, mbedtls_text(rc)));
  // mbedtls writes DER at the end of the buffer.
  const auto length = static_cast<std::size_t>(rc);
  return Bytes(buffer.end() - static_cast<std::ptrdiff_t>(length), buffer.end());
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Bytes parse_psk_hex(std::string_view hex, std::string_view option) {
  const std::string name(option);
  if (hex.empty()) refuse(name, "empty key");
  if (hex.size() % 2 != 0) refuse(name, fmt::format("odd number of hex digits ({})", hex.size()));
  if (hex.size() / 2 > kMaxPskKey) {
    refuse(name, fmt::format("{} bytes; at most {} are supported", hex.size() / 2, kMaxPskKey));
  }
  Bytes key;
  key.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]);
    const int low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0) {
      refuse(name, fmt::format("not hex: the character at offset {} is not 0-9, a-f or A-F", high < 0 ? i : i + 1));
    }
    key.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return key;
}

TlsCredentials load_credentials(const CredentialArguments& arguments, bool ca_beside_other_modes) {
  const auto& p = arguments.option_prefix;
  const auto option = [&](const char* name) { return p + name; };
  TlsCredentials credentials;

  const bool key_given = !arguments.psk_key_hex.empty() || !arguments.psk_key_env.empty();
  if (!arguments.psk_key_hex.empty() && !arguments.psk_key_env.empty()) {
    refuse(option("psk-key"), fmt::format("give either {} or {}, not both", option("psk-key"), option("psk-key-env")));
  }
  if (!arguments.psk_identity.empty() && !key_given) {
    refuse(option("psk-identity"), fmt::format("needs {} or {}", option("psk-key"), option("psk-key-env")));
  }
  if (arguments.psk_identity.empty() && key_given) {
    refuse(arguments.psk_key_hex.empty() ? option("psk-key-env") : option("psk-key"),
           fmt::format("needs {}", option("psk-identity")));
  }
  if (!arguments.psk_identity.empty()) {
    if (arguments.psk_identity.size() > kMaxPskIdentity) {
      refuse(option("psk-identity"),
             fmt::format("{} bytes; at most {} are supported", arguments.psk_identity.size(), kMaxPskIdentity));
    }
    credentials.psk_identity = arguments.psk_identity;
    if (!arguments.psk_key_hex.empty()) {
      credentials.psk_key = parse_psk_hex(arguments.psk_key_hex, option("psk-key"));
    } else {
      const char* value = std::getenv(arguments.psk_key_env.c_str());
      if (value == nullptr || *value == '\0') {
        refuse(option("psk-key-env"),
               fmt::format("environment variable {} is not set or empty", arguments.psk_key_env));
      }
      credentials.psk_key = parse_psk_hex(
          value, fmt::format("{} (environment variable {})", option("psk-key-env"), arguments.psk_key_env));
    }
  }

  if (arguments.certificate.empty() != arguments.private_key.empty()) {
    refuse(arguments.certificate.empty() ? option("private-key") : option("certificate"),
           fmt::format("{} and {} go together", option("certificate"), option("private-key")));
  }
  if (!arguments.certificate.empty()) {
    check_certificate_file(option("certificate"), arguments.certificate);
    check_private_key_file(option("private-key"), arguments.private_key);
    credentials.certificate = arguments.certificate;
    credentials.private_key = arguments.private_key;
  }
  if (!arguments.ca.empty()) {
    check_certificate_file(option("ca"), arguments.ca);
    credentials.ca = arguments.ca;
  }

  if (!arguments.rpk_private_key.empty()) {
    credentials.rpk_private_key_pem = load_sec1_key(option("rpk-private-key"), arguments.rpk_private_key);
    credentials.rpk_private_key = arguments.rpk_private_key;
  }
  if (!arguments.server_public_key.empty()) {
    if (arguments.rpk_private_key.empty()) {
      refuse(option("server-public-key"),
             fmt::format("pins a raw public key, so it needs {}", option("rpk-private-key")));
    }
    credentials.peer_public_key_der = load_public_key_der(option("server-public-key"), arguments.server_public_key);
    credentials.peer_public_key = arguments.server_public_key;
  }

  const int modes =
      (credentials.has_psk() ? 1 : 0) + (credentials.has_rpk() ? 1 : 0) + (credentials.has_certificate() ? 1 : 0);
  if (modes > 1) {
    refuse(credentials.has_psk() ? option("psk-identity") : option("rpk-private-key"),
           fmt::format("{}, {} and {} each choose a security mode; give only one", option("psk-identity"),
                       option("rpk-private-key"), option("certificate")));
  }
  if (!ca_beside_other_modes && !credentials.ca.empty() && (credentials.has_psk() || credentials.has_rpk())) {
    refuse(option("ca"), fmt::format("trusts X.509 certificates and is unused with {}",
                                     credentials.has_psk() ? option("psk-identity") : option("rpk-private-key")));
  }
  return credentials;
}

}  // namespace fc::refclient
