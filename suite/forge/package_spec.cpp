// Names, parsing and descriptions of package specs; the format × variant table.
#include "suite/forge/package_spec.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace fc::forge {

namespace {

constexpr std::array<std::pair<Format, std::string_view>, 3> kFormatNames{{
    {Format::Reference, "reference"},
    {Format::Anjay, "anjay"},
    {Format::Raw, "raw"},
}};

constexpr std::array<std::pair<Variant, std::string_view>, 11> kVariantNames{{
    {Variant::Valid, "valid"},
    {Variant::BitFlip, "bit-flip"},
    {Variant::BadSignature, "bad-signature"},
    {Variant::Truncated, "truncated"},
    {Variant::WrongMagic, "wrong-magic"},
    {Variant::WrongFormatVersion, "wrong-format-version"},
    {Variant::Oversized, "oversized"},
    {Variant::FailsFirstBoot, "fails-first-boot"},
    {Variant::WrongCrc, "wrong-crc"},
    {Variant::ForceError, "force-error"},
    {Variant::RandomBytes, "random-bytes"},
}};

constexpr std::array kReferenceVariants{
    Variant::Valid,     Variant::BitFlip,        Variant::BadSignature,
    Variant::Truncated, Variant::WrongMagic,     Variant::WrongFormatVersion,
    Variant::Oversized, Variant::FailsFirstBoot, Variant::RandomBytes,
};
constexpr std::array kAnjayVariants{
    Variant::Valid,
    Variant::BitFlip,
    Variant::Truncated,
    Variant::WrongMagic,
    Variant::WrongFormatVersion,
    Variant::Oversized,
    Variant::WrongCrc,
    Variant::ForceError,
    Variant::RandomBytes,
};
// A raw vendor file has no structure the suite knows, so only blind corruptions apply.
constexpr std::array kRawVariants{
    Variant::Valid,
    Variant::BitFlip,
    Variant::Truncated,
    Variant::RandomBytes,
};

template <typename Table>
std::string known_names(const Table& table) {
  std::string out;
  for (const auto& [value, name] : table) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string hex_byte(std::uint8_t value) {
  char text[8] = {};
  std::snprintf(text, sizeof text, "0x%02x", value);
  return text;
}

std::string image_source(const PackageSpec& spec) {
  if (spec.variant == Variant::Oversized) {
    return "flash " + std::to_string(spec.flash_size) + " bytes, image " +
           std::to_string(spec.flash_size + 1) + " seeded bytes (seed " +
           std::to_string(spec.seed) + ")";
  }
  if (spec.image) return "given " + std::to_string(spec.image->size()) + "-byte image";
  if (spec.image_file) return "image from " + spec.image_file->string();
  if (spec.reexec_program && spec.format == Format::Anjay) {
    return "script re-executing " + spec.reexec_program->string() + ", padded to " +
           std::to_string(spec.image_size) + " bytes (seed " + std::to_string(spec.seed) + ")";
  }
  return std::to_string(spec.image_size) + " seeded bytes (seed " + std::to_string(spec.seed) + ")";
}

}  // namespace

std::string_view format_name(Format format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "unknown-format";
}

std::string_view variant_name(Variant variant) {
  for (const auto& [value, name] : kVariantNames) {
    if (value == variant) return name;
  }
  return "unknown-variant";
}

Format parse_format(std::string_view name) {
  for (const auto& [value, known] : kFormatNames) {
    if (known == name) return value;
  }
  throw std::invalid_argument("unknown package format '" + std::string(name) +
                              "'; known formats: " + known_names(kFormatNames));
}

Variant parse_variant(std::string_view name) {
  for (const auto& [value, known] : kVariantNames) {
    if (known == name) return value;
  }
  throw std::invalid_argument("unknown package variant '" + std::string(name) +
                              "'; known variants: " + known_names(kVariantNames));
}

std::span<const Variant> variants_of(Format format) {
  switch (format) {
    case Format::Reference:
      return kReferenceVariants;
    case Format::Anjay:
      return kAnjayVariants;
    case Format::Raw:
      return kRawVariants;
  }
  return {};
}

bool supports(Format format, Variant variant) {
  const auto variants = variants_of(format);
  return std::find(variants.begin(), variants.end(), variant) != variants.end();
}

std::string describe(const PackageSpec& spec) {
  std::string out =
      std::string(format_name(spec.format)) + " " + std::string(variant_name(spec.variant)) + ": ";
  if (spec.format != Format::Raw) {
    out += "version \"" + spec.version + "\", ";
  }
  out += image_source(spec);
  switch (spec.variant) {
    case Variant::BitFlip:
      out += ", image byte " + std::to_string(spec.offset) + " XOR " + hex_byte(spec.xor_mask);
      break;
    case Variant::BadSignature:
      out += ", signature's last byte inverted";
      break;
    case Variant::Truncated:
      out += ", last " + std::to_string(spec.cut) + " bytes cut";
      break;
    case Variant::WrongMagic:
      out += spec.format == Format::Anjay ? ", magic \"ANJAY_FX\"" : ", magic \"FCPX\"";
      break;
    case Variant::WrongFormatVersion:
      out += spec.format == Format::Anjay ? ", header version 3" : ", format version 2";
      break;
    case Variant::FailsFirstBoot:
      out += ", fail-first-boot flag set";
      break;
    case Variant::WrongCrc:
      out += ", stored CRC-32 inverted";
      break;
    case Variant::ForceError:
      out += ", force-error code " + std::to_string(spec.force_error);
      break;
    case Variant::RandomBytes:
      out += ", replaced by as many random bytes (seed " + std::to_string(spec.seed) + ")";
      break;
    case Variant::Valid:
    case Variant::Oversized:
      break;
  }
  return out;
}

}  // namespace fc::forge
