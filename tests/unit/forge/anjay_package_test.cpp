// The Anjay demo package: exact bytes of every field, and each Anjay variant of the forge.
#include "suite/forge/anjay_package.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "suite/forge/crc32.h"
#include "suite/forge/forge.h"

namespace fc::forge {
namespace {

// "ANJAY_FW", version 2, force-error 0, CRC-32("123456789") = 0xCBF43926, "1.0", payload.
constexpr const char* kValidHex =
    "414e4a41595f4657"
    "0002"
    "0000"
    "cbf43926"
    "03"
    "312e30"
    "313233343536373839";

PackageSpec anjay(Variant variant) {
  PackageSpec spec;
  spec.format = Format::Anjay;
  spec.variant = variant;
  spec.version = "1.0";
  spec.image = to_bytes("123456789");
  return spec;
}

TEST(AnjayPackage, EncodeWritesHandComputedBytes) {
  anjay::Header header;
  EXPECT_EQ(to_hex(anjay::encode(header, to_bytes("123456789"))), kValidHex);
}

TEST(AnjayPackage, EncodeKeepsAGivenCrcAndForceError) {
  anjay::Header header;
  header.crc = 0x01020304;
  header.force_error = 0xABCD;
  header.version = "10.20.30";
  EXPECT_EQ(to_hex(anjay::encode(header, to_bytes("x"))),
            "414e4a41595f4657"
            "0002"
            "abcd"
            "01020304"
            "08"
            "31302e32302e3330"
            "78");
}

TEST(AnjayPackage, EncodeRefusesVersionsLongerThanAByteCounts) {
  anjay::Header header;
  header.version = std::string(256, '1');
  EXPECT_THROW(anjay::encode(header, {}), std::invalid_argument);
}

TEST(AnjayForge, Valid) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::Valid), ForgeKeys::none())), kValidHex);
}

TEST(AnjayForge, WrongCrcStoresTheInvertedCrc) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongCrc), ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "340bc6d9"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, WrongMagic) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongMagic), ForgeKeys::none())),
            "414e4a41595f4658"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, WrongHeaderVersion) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongFormatVersion), ForgeKeys::none())),
            "414e4a41595f4657"
            "0003"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, AnyForceErrorCode) {
  for (const std::uint16_t code :
       {std::uint16_t{1}, std::uint16_t{7}, std::uint16_t{8}, std::uint16_t{0x1234}}) {
    PackageSpec spec = anjay(Variant::ForceError);
    spec.force_error = code;
    const Bytes package = forge(spec, ForgeKeys::none());
    ASSERT_EQ(package.size(), 29u);
    EXPECT_EQ(package[10], code >> 8);
    EXPECT_EQ(package[11], code & 0xFF);
    EXPECT_EQ(to_hex(ByteView(package).subspan(12)),
              "cbf43926"
              "03"
              "312e30"
              "313233343536373839");
  }
}

TEST(AnjayForge, BitFlipHitsThePayloadAndKeepsTheOriginalCrc) {
  PackageSpec spec = anjay(Variant::BitFlip);
  spec.offset = 2;
  spec.xor_mask = 0x80;
  EXPECT_EQ(to_hex(forge(spec, ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "3132b3343536373839");
}

TEST(AnjayForge, TruncatedCutsTheEnd) {
  PackageSpec spec = anjay(Variant::Truncated);
  spec.cut = 4;
  EXPECT_EQ(to_hex(forge(spec, ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "3132333435");
}

TEST(AnjayForge, OversizedCarriesFlashSizePlusOneBytesWithTheirCrc) {
  PackageSpec spec;
  spec.format = Format::Anjay;
  spec.variant = Variant::Oversized;
  spec.version = "1.0";
  spec.flash_size = 100;
  const Bytes package = forge(spec, ForgeKeys::none());
  ASSERT_EQ(package.size(), 17u + 3u + 101u);
  EXPECT_EQ(Bytes(package.begin() + 20, package.end()), image_of(spec));
  const std::uint32_t crc = crc32(image_of(spec));
  EXPECT_EQ(Bytes(package.begin() + 12, package.begin() + 16),
            (Bytes{static_cast<std::uint8_t>(crc >> 24), static_cast<std::uint8_t>(crc >> 16),
                   static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc)}));
}

TEST(AnjayForge, VersionLongerThan24IsRefused) {
  PackageSpec spec = anjay(Variant::Valid);
  spec.version = std::string(25, '1');
  try {
    forge(spec, ForgeKeys::none());
    FAIL() << "a 25-byte version was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), "anjay valid: version string must be 1..24 bytes, got 25");
  }
}

}  // namespace
}  // namespace fc::forge
