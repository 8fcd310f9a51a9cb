// Forging packages: the valid package of each format, then the spec's defect applied to it.
#include "suite/forge/forge.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "suite/forge/anjay_package.h"
#include "suite/forge/crc32.h"
#include "suite/forge/seeded_bytes.h"

namespace fc::forge {

namespace {

// Random-bytes packages must not repeat the image they replace, which uses the same seed.
constexpr std::uint64_t kRandomBytesStream = 0x72616E646F6D2D62ull;  // "random-b"

constexpr std::array<std::uint8_t, 4> kWrongReferenceMagic{'F', 'C', 'P', 'X'};
constexpr std::array<std::uint8_t, 8> kWrongAnjayMagic{'A', 'N', 'J', 'A', 'Y', '_', 'F', 'X'};

std::string spec_name(const PackageSpec& spec) {
  return std::string(format_name(spec.format)) + " " + std::string(variant_name(spec.variant));
}

Bytes read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open image file " + file.string());
  }
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    throw std::runtime_error("cannot read image file " + file.string());
  }
  return bytes;
}

// Flips bits of the image that starts at `image_start` inside `package`.
void flip_image_byte(Bytes& package, std::size_t image_start, std::size_t image_size,
                     const PackageSpec& spec) {
  if (spec.offset >= image_size) {
    throw std::invalid_argument(spec_name(spec) + ": offset " + std::to_string(spec.offset) +
                                " is outside the " + std::to_string(image_size) + "-byte image");
  }
  if (spec.xor_mask == 0) {
    throw std::invalid_argument(spec_name(spec) + ": xor_mask 0 would flip nothing");
  }
  package[image_start + spec.offset] ^= spec.xor_mask;
}

void cut_end(Bytes& package, const PackageSpec& spec) {
  if (spec.cut == 0 || spec.cut > package.size()) {
    throw std::invalid_argument(spec_name(spec) + ": cannot cut " + std::to_string(spec.cut) +
                                " bytes from a " + std::to_string(package.size()) +
                                "-byte package (1.." + std::to_string(package.size()) + ")");
  }
  package.resize(package.size() - spec.cut);
}

Bytes random_like(const Bytes& package, const PackageSpec& spec) {
  return seeded_bytes(spec.seed ^ kRandomBytesStream, package.size());
}

// Defects that do not depend on the format's structure beyond where the image starts.
Bytes apply_generic(Bytes package, std::size_t image_start, std::size_t image_size,
                    const PackageSpec& spec) {
  switch (spec.variant) {
    case Variant::BitFlip:
      flip_image_byte(package, image_start, image_size, spec);
      break;
    case Variant::Truncated:
      cut_end(package, spec);
      break;
    case Variant::RandomBytes:
      return random_like(package, spec);
    default:
      break;
  }
  return package;
}

Bytes forge_reference(const PackageSpec& spec, const ForgeKeys& keys) {
  if (!keys.signing) {
    throw std::runtime_error(spec_name(spec) + ": reference packages need a signing key");
  }
  if (spec.version.empty() || spec.version.size() > package::kMaxVersionLength) {
    throw std::invalid_argument(spec_name(spec) + ": version string must be 1.." +
                                std::to_string(package::kMaxVersionLength) + " bytes, got " +
                                std::to_string(spec.version.size()));
  }
  const Bytes image = image_of(spec);
  package::Header header;
  header.version = spec.version;
  if (spec.variant == Variant::FailsFirstBoot) header.flags = package::kFlagFailFirstBoot;
  if (spec.variant == Variant::WrongFormatVersion) {
    header.format_version = package::kFormatVersion + 1;
  }

  Bytes out = package::build(header, image, *keys.signing);
  if (spec.variant == Variant::WrongMagic) {
    // Re-signed over the wrong magic, so only a type check can reject it.
    std::copy(kWrongReferenceMagic.begin(), kWrongReferenceMagic.end(), out.begin());
    out.erase(out.end() - package::kSignatureSize, out.end());
    const Bytes signature = package::signature_over(out, *keys.signing);
    out.insert(out.end(), signature.begin(), signature.end());
  }
  if (spec.variant == Variant::BadSignature) {
    out.back() ^= 0xFF;
  }
  return apply_generic(std::move(out), header.encoded_size(), image.size(), spec);
}

Bytes forge_anjay(const PackageSpec& spec) {
  if (spec.version.empty() || spec.version.size() > anjay::kMaxVersionLength) {
    throw std::invalid_argument(spec_name(spec) + ": version string must be 1.." +
                                std::to_string(anjay::kMaxVersionLength) + " bytes, got " +
                                std::to_string(spec.version.size()));
  }
  const Bytes payload = image_of(spec);
  anjay::Header header;
  header.version = spec.version;
  switch (spec.variant) {
    case Variant::WrongMagic:
      header.magic = kWrongAnjayMagic;
      break;
    case Variant::WrongFormatVersion:
      header.header_version = anjay::kHeaderVersion + 1;
      break;
    case Variant::WrongCrc:
      header.crc = ~crc32(payload);
      break;
    case Variant::ForceError:
      header.force_error = spec.force_error;
      break;
    default:
      break;
  }
  Bytes out = anjay::encode(header, payload);
  return apply_generic(std::move(out), anjay::kFixedHeaderSize + header.version.size(),
                       payload.size(), spec);
}

}  // namespace

ForgeKeys ForgeKeys::from_pem_file(const std::filesystem::path& signing_key) {
  ForgeKeys keys;
  keys.signing = package::SigningKey::load_pem_file(signing_key);
  return keys;
}

Bytes image_of(const PackageSpec& spec) {
  if (spec.variant == Variant::Oversized) {
    if (spec.image || spec.image_file) {
      throw std::invalid_argument(spec_name(spec) +
                                  ": the image is made from flash_size; do not also give "
                                  "image or image_file");
    }
    if (spec.flash_size == 0) {
      throw std::invalid_argument(spec_name(spec) + ": flash_size must be set (> 0)");
    }
    return seeded_bytes(spec.seed, spec.flash_size + 1);
  }
  if (spec.image) return *spec.image;
  if (spec.image_file) return read_file(*spec.image_file);
  if (spec.reexec_program && spec.format == Format::Anjay) {
    return anjay::reexec_payload(*spec.reexec_program, spec.image_size, spec.seed);
  }
  return seeded_bytes(spec.seed, spec.image_size);
}

Bytes forge(const PackageSpec& spec, const ForgeKeys& keys) {
  if (!supports(spec.format, spec.variant)) {
    std::string offered;
    for (const Variant variant : variants_of(spec.format)) {
      if (!offered.empty()) offered += ", ";
      offered += variant_name(variant);
    }
    throw std::invalid_argument("the " + std::string(format_name(spec.format)) +
                                " format has no '" + std::string(variant_name(spec.variant)) +
                                "' variant; it offers: " + offered);
  }
  switch (spec.format) {
    case Format::Reference:
      return forge_reference(spec, keys);
    case Format::Anjay:
      return forge_anjay(spec);
    case Format::Raw: {
      Bytes image = image_of(spec);
      const std::size_t size = image.size();
      return apply_generic(std::move(image), 0, size, spec);
    }
  }
  throw std::invalid_argument("unknown package format");
}

std::size_t package_overhead(const PackageSpec& spec) {
  switch (spec.format) {
    case Format::Reference: {
      package::Header header;
      header.version = spec.version;
      return header.encoded_size() + package::kSignatureSize;
    }
    case Format::Anjay:
      return 17 + spec.version.size();  // the layout in anjay_package.h
    case Format::Raw:
      return 0;
  }
  return 0;
}

PackageSpec with_package_size(PackageSpec spec, std::size_t package_size) {
  if (spec.image || spec.image_file)
    throw std::invalid_argument(spec_name(spec) + ": a package of " + std::to_string(package_size) +
                                " bytes needs an image the forge makes, not a given image or image_file");
  const std::size_t overhead = package_overhead(spec);
  if (package_size <= overhead)
    throw std::invalid_argument(spec_name(spec) + ": a package of " + std::to_string(package_size) +
                                " bytes is too small; this format adds " + std::to_string(overhead) +
                                " bytes to an image of at least 1");
  spec.image_size = package_size - overhead;
  return spec;
}

}  // namespace fc::forge
