// SigningKey and VerifyKey: ECDSA P-256 keys from PEM over Mbed TLS 2.28.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "suite/package/mbedtls_error.h"
#include "suite/package/reference_package.h"

namespace fc::package {

namespace detail {

std::string mbedtls_message(int code) {
  char text[160] = {};
  mbedtls_strerror(code, text, sizeof text);
  char hex[24] = {};
  std::snprintf(hex, sizeof hex, "-0x%04x", static_cast<unsigned>(-code));
  return std::string(text) + " (" + hex + ")";
}

}  // namespace detail

namespace {

constexpr std::size_t kCoordinateSize = 32;

std::string read_text_file(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + std::string(what) + " file " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw std::runtime_error("cannot read " + std::string(what) + " file " + file.string());
  }
  return text.str();
}

// RAII over mbedtls_pk_context.
struct PkContext {
  mbedtls_pk_context pk;
  PkContext() { mbedtls_pk_init(&pk); }
  ~PkContext() { mbedtls_pk_free(&pk); }
  PkContext(const PkContext&) = delete;
  PkContext& operator=(const PkContext&) = delete;
};

struct Mpi {
  mbedtls_mpi value;
  Mpi() { mbedtls_mpi_init(&value); }
  ~Mpi() { mbedtls_mpi_free(&value); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
};

// Mbed TLS wants PEM text NUL-terminated, with the terminator counted in the length.
std::string nul_terminated(const std::string& pem) {
  std::string text = pem;
  if (text.empty() || text.back() != '\0') {
    text.push_back('\0');
  }
  return text;
}

// Takes over the key pair from a parsed pk context after checking it is ECDSA-capable P-256.
void take_p256_keypair(PkContext& parsed, mbedtls_ecp_keypair& out, const std::string& origin,
                       std::string_view what) {
  if (mbedtls_pk_get_type(&parsed.pk) != MBEDTLS_PK_ECKEY &&
      mbedtls_pk_get_type(&parsed.pk) != MBEDTLS_PK_ECDSA) {
    throw std::runtime_error(origin + ": " + std::string(what) + " is " +
                             mbedtls_pk_get_name(&parsed.pk) + ", expected an EC P-256 key");
  }
  const mbedtls_ecp_keypair* pair = mbedtls_pk_ec(parsed.pk);
  if (pair == nullptr) {
    throw std::runtime_error(origin + ": " + std::string(what) + " holds no EC key pair");
  }
  if (pair->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
    throw std::runtime_error(origin + ": " + std::string(what) +
                             " is on another curve, expected P-256 (secp256r1)");
  }
  int rc = mbedtls_ecp_group_load(&out.grp, MBEDTLS_ECP_DP_SECP256R1);
  if (rc == 0) rc = mbedtls_mpi_copy(&out.d, &pair->d);
  if (rc == 0) rc = mbedtls_ecp_copy(&out.Q, &pair->Q);
  if (rc != 0) {
    throw std::runtime_error(origin + ": cannot copy " + std::string(what) + ": " +
                             detail::mbedtls_message(rc));
  }
}

void write_coordinate(const mbedtls_mpi& value, std::uint8_t* out) {
  const int rc = mbedtls_mpi_write_binary(&value, out, kCoordinateSize);
  if (rc != 0) {
    throw std::runtime_error("ECDSA signature coordinate does not fit 32 bytes: " +
                             detail::mbedtls_message(rc));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct SigningKey::Impl {
  mbedtls_ecp_keypair pair;
  Impl() { mbedtls_ecp_keypair_init(&pair); }
  ~Impl() { mbedtls_ecp_keypair_free(&pair); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

SigningKey SigningKey::load_pem_file(const std::filesystem::path& file) {
  return from_pem(read_text_file(file, "private key"), file.string());
}

SigningKey SigningKey::from_pem(const std::string& pem, const std::string& origin) {
  const std::string text = nul_terminated(pem);
  PkContext parsed;
  const int rc = mbedtls_pk_parse_key(
      &parsed.pk, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  if (rc != 0) {
    throw std::runtime_error(origin +
                             ": not a usable PEM private key: " + detail::mbedtls_message(rc));
  }
  auto impl = std::make_unique<Impl>();
  take_p256_keypair(parsed, impl->pair, origin, "private key");
  return SigningKey(std::move(impl));
}

Bytes SigningKey::sign_digest(const std::array<std::uint8_t, 32>& digest) const {
  // RFC 6979 makes the signature a function of key and digest alone, so forged packages are
  // byte-for-byte reproducible. The DRBG only feeds Mbed TLS's side-channel blinding, which
  // does not change the output.
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  Mpi r;
  Mpi s;
  static constexpr std::string_view kPersonalisation = "fotacheck package signing";
  int rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                                 reinterpret_cast<const unsigned char*>(kPersonalisation.data()),
                                 kPersonalisation.size());
  if (rc == 0) {
    // The group is not modified in a way visible to other callers, but Mbed TLS takes it
    // non-const; a local copy keeps this method honest about constness and thread safety.
    mbedtls_ecp_group group;
    mbedtls_ecp_group_init(&group);
    rc = mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1);
    if (rc == 0) {
      rc = mbedtls_ecdsa_sign_det_ext(&group, &r.value, &s.value, &impl_->pair.d, digest.data(),
                                      digest.size(), MBEDTLS_MD_SHA256, mbedtls_ctr_drbg_random,
                                      &drbg);
    }
    mbedtls_ecp_group_free(&group);
  }
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  if (rc != 0) {
    throw std::runtime_error("ECDSA signing failed: " + detail::mbedtls_message(rc));
  }
  Bytes signature(kSignatureSize);
  write_coordinate(r.value, signature.data());
  write_coordinate(s.value, signature.data() + kCoordinateSize);
  return signature;
}

// ---------------------------------------------------------------------------------------------

struct VerifyKey::Impl {
  mbedtls_ecp_keypair pair;
  std::mutex mutex;  // mbedtls_ecdsa_verify takes the group non-const
  Impl() { mbedtls_ecp_keypair_init(&pair); }
  ~Impl() { mbedtls_ecp_keypair_free(&pair); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

VerifyKey::VerifyKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VerifyKey::~VerifyKey() = default;
VerifyKey::VerifyKey(VerifyKey&&) noexcept = default;
VerifyKey& VerifyKey::operator=(VerifyKey&&) noexcept = default;

VerifyKey VerifyKey::load_pem_file(const std::filesystem::path& file) {
  return from_pem(read_text_file(file, "public key"), file.string());
}

VerifyKey VerifyKey::from_pem(const std::string& pem, const std::string& origin) {
  const std::string text = nul_terminated(pem);
  PkContext parsed;
  const int rc = mbedtls_pk_parse_public_key(
      &parsed.pk, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  if (rc != 0) {
    throw std::runtime_error(origin +
                             ": not a usable PEM public key: " + detail::mbedtls_message(rc));
  }
  auto impl = std::make_unique<Impl>();
  take_p256_keypair(parsed, impl->pair, origin, "public key");
  return VerifyKey(std::move(impl));
}

bool VerifyKey::verify_digest(const std::array<std::uint8_t, 32>& digest,
                              ByteView signature) const {
  if (signature.size() != kSignatureSize) {
    return false;
  }
  Mpi r;
  Mpi s;
  if (mbedtls_mpi_read_binary(&r.value, signature.data(), kCoordinateSize) != 0 ||
      mbedtls_mpi_read_binary(&s.value, signature.data() + kCoordinateSize, kCoordinateSize) != 0) {
    return false;
  }
  std::lock_guard lock(impl_->mutex);
  // Rejects r or s outside [1, n-1] as well as a signature that does not match.
  return mbedtls_ecdsa_verify(&impl_->pair.grp, digest.data(), digest.size(), &impl_->pair.Q,
                              &r.value, &s.value) == 0;
}

}  // namespace fc::package
