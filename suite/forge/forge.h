// The package forge: turns a PackageSpec into the exact bytes a repository serves.
#pragma once

#include <filesystem>
#include <optional>

#include "suite/common/bytes.h"
#include "suite/forge/package_spec.h"
#include "suite/package/reference_package.h"

namespace fc::forge {

// What the forge signs with. Only the reference format needs a key.
struct ForgeKeys {
  std::optional<package::SigningKey> signing;

  static ForgeKeys none() { return {}; }
  // Throws std::runtime_error naming the file when it is not a P-256 private key.
  static ForgeKeys from_pem_file(const std::filesystem::path& signing_key);
};

// The package's bytes. Deterministic: the same spec and key give the same bytes (reference
// signatures are RFC 6979). Throws std::invalid_argument for a spec that cannot be forged
// (variant not offered by the format, offset outside the image, cut larger than the
// package, ...) and std::runtime_error when image_file cannot be read or a key is missing.
Bytes forge(const PackageSpec& spec, const ForgeKeys& keys);

// The bytes a valid package of `spec`'s format adds around its image: the reference header and
// signature (13 + version + 64), the Anjay header (17 + version), nothing for raw images.
std::size_t package_overhead(const PackageSpec& spec);
// `spec` with the image size that makes its valid package exactly `package_size` bytes long:
// the size a transfer case asks for ("one block", "an exact multiple of the block size"). The
// image is made by the forge (seeded bytes, or the Anjay script): a spec with `image` or
// `image_file` is refused, as is a size below the overhead plus one byte
// (std::invalid_argument naming both).
PackageSpec with_package_size(PackageSpec spec, std::size_t package_size);

// The image (Anjay payload, raw file) the spec's package carries before any corruption, e.g.
// to check what a device installed.
Bytes image_of(const PackageSpec& spec);

}  // namespace fc::forge
