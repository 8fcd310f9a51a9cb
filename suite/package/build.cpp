// Encoding a reference package: header, image, signature over both.
#include <mbedtls/sha256.h>

#include <limits>
#include <stdexcept>

#include "suite/package/mbedtls_error.h"
#include "suite/package/reference_package.h"

namespace fc::package {

namespace {

void put_u16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void put_u32(Bytes& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

}  // namespace

Bytes encode_header(const Header& header) {
  // Any length a byte can carry is encodable, so the forge can write malformed headers; only
  // build() insists on the 1..64 the format allows.
  if (header.version.size() > std::numeric_limits<std::uint8_t>::max()) {
    throw std::invalid_argument("package version string is " +
                                std::to_string(header.version.size()) +
                                " bytes; the length field holds at most 255");
  }
  Bytes out;
  out.reserve(header.encoded_size());
  out.insert(out.end(), kMagic.begin(), kMagic.end());
  put_u16(out, header.format_version);
  put_u16(out, header.flags);
  put_u32(out, header.image_size);
  out.push_back(static_cast<std::uint8_t>(header.version.size()));
  out.insert(out.end(), header.version.begin(), header.version.end());
  return out;
}

Bytes signature_over(ByteView header_and_image, const SigningKey& key) {
  std::array<std::uint8_t, 32> digest{};
  const int rc =
      mbedtls_sha256_ret(header_and_image.data(), header_and_image.size(), digest.data(), 0);
  if (rc != 0) {
    throw std::runtime_error("SHA-256 failed: " + detail::mbedtls_message(rc));
  }
  return key.sign_digest(digest);
}

Bytes build(Header header, ByteView image, const SigningKey& key) {
  if (header.version.empty() || header.version.size() > kMaxVersionLength) {
    throw std::invalid_argument("package version string must be 1.." +
                                std::to_string(kMaxVersionLength) + " bytes, got " +
                                std::to_string(header.version.size()));
  }
  if (image.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("package image of " + std::to_string(image.size()) +
                                " bytes does not fit the 32-bit image size field");
  }
  header.image_size = static_cast<std::uint32_t>(image.size());

  Bytes package = encode_header(header);
  package.reserve(header.package_size());
  package.insert(package.end(), image.begin(), image.end());

  const Bytes signature = signature_over(package, key);
  package.insert(package.end(), signature.begin(), signature.end());
  return package;
}

}  // namespace fc::package
