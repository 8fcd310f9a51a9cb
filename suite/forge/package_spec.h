// A forged package described as data: which format, which defect, and the knobs of that defect.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::forge {

enum class Format {
  Reference,  // fotacheck's signed package (suite/package/reference_package.h)
  Anjay,      // the Anjay demo client's CRC-checked package (suite/forge/anjay_package.h)
  Raw,        // a vendor's own image file, used as given or corrupted blindly
};

enum class Variant {
  Valid,               // a package the client must accept
  BitFlip,             // image byte `offset` XOR `xor_mask` after signing / CRC
  BadSignature,        // reference: the signature's last byte inverted
  Truncated,           // `cut` bytes removed from the end of the package
  WrongMagic,          // reference "FCPX", Anjay "ANJAY_FX"; otherwise valid (and signed)
  WrongFormatVersion,  // reference format version 2, Anjay header version 3; otherwise valid
  Oversized,           // a valid package whose image is flash_size + 1 bytes
  FailsFirstBoot,      // reference: valid, with the fail-first-boot flag set
  WrongCrc,            // Anjay: stored CRC-32 inverted
  ForceError,          // Anjay: valid, with force-error code `force_error`
  RandomBytes,         // seeded random bytes as long as the valid package
};

struct PackageSpec {
  Format format = Format::Reference;
  Variant variant = Variant::Valid;
  // Version string in the reference and Anjay headers (1..64 and 1..24 bytes).
  std::string version = "2.0.0";
  // The image (the Anjay payload, the raw file): `image` if set, else the contents of
  // `image_file`, else (Anjay format with `reexec_program`) an installable script of
  // `image_size` bytes that restarts that program (anjay::reexec_payload), else `image_size`
  // bytes from seeded_bytes(seed).
  std::optional<Bytes> image;
  std::optional<std::filesystem::path> image_file;
  std::optional<std::filesystem::path> reexec_program;
  std::size_t image_size = 4096;
  std::uint64_t seed = 1;
  // bit-flip: which image byte, and the bits flipped in it.
  std::size_t offset = 0;
  std::uint8_t xor_mask = 0x01;
  // truncated: how many bytes are cut from the end of the whole package (1..its size).
  std::size_t cut = 1;
  // oversized: the device's flash size; the image gets flash_size + 1 seeded bytes.
  std::size_t flash_size = 0;
  // force-error: the Anjay demo's simulated failure (any 16-bit code may be sent).
  std::uint16_t force_error = 0;
};

// Stable names for reports, profiles and command lines: "reference", "anjay", "raw";
// "valid", "bit-flip", "bad-signature", "truncated", "wrong-magic", "wrong-format-version",
// "oversized", "fails-first-boot", "wrong-crc", "force-error", "random-bytes".
std::string_view format_name(Format format);
std::string_view variant_name(Variant variant);
// Throw std::invalid_argument naming the unknown word and listing the known ones.
Format parse_format(std::string_view name);
Variant parse_variant(std::string_view name);

// The variants a format can be forged with, in table order.
std::span<const Variant> variants_of(Format format);
bool supports(Format format, Variant variant);

// One line for reports: "reference bit-flip: version "2.0.0", 4096 seeded bytes (seed 1),
// image byte 100 XOR 0x01".
std::string describe(const PackageSpec& spec);

}  // namespace fc::forge
