// The reference package format: what fotacheck's forge builds and its reference client installs.
//
// Layout (big-endian integers), documented for vendors in docs/reference-package-format.md:
//   0   4  magic "FCPK"
//   4   2  format version (1)
//   6   2  flags (bit 0: the image fails its first boot)
//   8   4  image size in bytes
//   12  1  version string length n (1..64)
//   13  n  version string (UTF-8, e.g. "2.0.0")
//   13+n   image (image size bytes)
//   ...    64-byte ECDSA P-256 signature (r || s) over SHA-256 of header and image
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "suite/common/bytes.h"

namespace fc::package {

inline constexpr std::array<std::uint8_t, 4> kMagic{'F', 'C', 'P', 'K'};
inline constexpr std::uint16_t kFormatVersion = 1;
inline constexpr std::uint16_t kFlagFailFirstBoot = 0x0001;
inline constexpr std::size_t kSignatureSize = 64;
inline constexpr std::size_t kMaxVersionLength = 64;

struct Header {
  std::uint16_t format_version = kFormatVersion;
  std::uint16_t flags = 0;
  std::uint32_t image_size = 0;
  std::string version;
  bool fails_first_boot() const { return (flags & kFlagFailFirstBoot) != 0; }
  std::size_t encoded_size() const { return 13 + version.size(); }
  // Header + image + signature: the whole package's length.
  std::size_t package_size() const { return encoded_size() + image_size + kSignatureSize; }
};

// An ECDSA P-256 private key (PEM, PKCS#8 or SEC1) for the forge. Throws std::runtime_error
// naming the file when it cannot be read or is not a P-256 key.
class SigningKey {
 public:
  static SigningKey load_pem_file(const std::filesystem::path& file);
  static SigningKey from_pem(const std::string& pem, const std::string& origin);
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  // 64-byte r||s over a SHA-256 digest.
  Bytes sign_digest(const std::array<std::uint8_t, 32>& digest) const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The matching public key (PEM SubjectPublicKeyInfo) for the client.
class VerifyKey {
 public:
  static VerifyKey load_pem_file(const std::filesystem::path& file);
  static VerifyKey from_pem(const std::string& pem, const std::string& origin);
  ~VerifyKey();
  VerifyKey(VerifyKey&&) noexcept;
  VerifyKey& operator=(VerifyKey&&) noexcept;
  bool verify_digest(const std::array<std::uint8_t, 32>& digest, ByteView signature) const;

 private:
  struct Impl;
  explicit VerifyKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Builds a complete package. `header.image_size` is set from `image`.
Bytes build(Header header, ByteView image, const SigningKey& key);
// The encoded header alone (for the forge's deliberate corruptions).
Bytes encode_header(const Header& header);
// The 64-byte signature over the signed part of a package (header and image), whatever those
// bytes are: lets the forge sign a deliberately wrong header. build() uses the same.
Bytes signature_over(ByteView header_and_image, const SigningKey& key);

// What a client concludes about a package; maps onto Update Result 6 and 5.
enum class Verdict {
  Valid,
  UnsupportedType,   // wrong magic or unknown format version: Update Result 6
  IntegrityFailure,  // bad length, truncated, extra bytes, bad signature: Update Result 5
};
struct Verification {
  Verdict verdict = Verdict::IntegrityFailure;
  std::string reason;             // one line for logs: "signature does not verify", ...
  std::optional<Header> header;   // once the header could be parsed
};

// Streaming verifier: fed the package in chunks as blocks arrive, it never holds the image.
// The header is judged as soon as its bytes are in (so a wrong type is known early).
class StreamVerifier {
 public:
  explicit StreamVerifier(const VerifyKey& key);
  ~StreamVerifier();
  StreamVerifier(const StreamVerifier&) = delete;
  StreamVerifier& operator=(const StreamVerifier&) = delete;

  void update(ByteView chunk);
  // Known once enough bytes arrived; nullopt before.
  const std::optional<Header>& header() const;
  // Set early when the header already shows the package is of an unsupported type.
  std::optional<Verdict> early_verdict() const;
  std::size_t bytes_seen() const;
  Verification finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Verifies a package stored in a file, reading it in chunks.
Verification verify_file(const std::filesystem::path& file, const VerifyKey& key);

}  // namespace fc::package
