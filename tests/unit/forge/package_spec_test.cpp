// Package specs as data: names round-trip, unknown names are explained, descriptions read well.
#include "suite/forge/package_spec.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace fc::forge {
namespace {

TEST(PackageSpecNames, EveryVariantNameRoundTrips) {
  const char* names[] = {"valid",       "bit-flip",         "bad-signature",
                         "truncated",   "wrong-magic",      "wrong-format-version",
                         "oversized",   "fails-first-boot", "wrong-crc",
                         "force-error", "random-bytes"};
  for (const char* name : names) {
    EXPECT_EQ(variant_name(parse_variant(name)), name);
  }
}

TEST(PackageSpecNames, EveryFormatNameRoundTrips) {
  for (const char* name : {"reference", "anjay", "raw"}) {
    EXPECT_EQ(format_name(parse_format(name)), name);
  }
}

TEST(PackageSpecNames, UnknownVariantListsTheKnownOnes) {
  try {
    parse_variant("bitflip");
    FAIL() << "parsed an unknown variant";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown package variant 'bitflip'; known variants: valid, bit-flip, "
              "bad-signature, truncated, wrong-magic, wrong-format-version, oversized, "
              "fails-first-boot, wrong-crc, force-error, random-bytes");
  }
}

TEST(PackageSpecNames, UnknownFormatListsTheKnownOnes) {
  try {
    parse_format("zephyr");
    FAIL() << "parsed an unknown format";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown package format 'zephyr'; known formats: reference, anjay, raw");
  }
}

TEST(PackageSpecTable, WhichFormatOffersWhichVariant) {
  EXPECT_TRUE(supports(Format::Reference, Variant::FailsFirstBoot));
  EXPECT_FALSE(supports(Format::Reference, Variant::WrongCrc));
  EXPECT_TRUE(supports(Format::Anjay, Variant::ForceError));
  EXPECT_FALSE(supports(Format::Anjay, Variant::BadSignature));
  EXPECT_EQ(variants_of(Format::Raw).size(), 4u);
  EXPECT_EQ(variants_of(Format::Reference).size(), 9u);
  EXPECT_EQ(variants_of(Format::Anjay).size(), 9u);
}

TEST(PackageSpecDescribe, OneLinePerSpec) {
  PackageSpec flip;
  flip.variant = Variant::BitFlip;
  flip.offset = 100;
  EXPECT_EQ(describe(flip),
            "reference bit-flip: version \"2.0.0\", 4096 seeded bytes (seed 1), image byte 100 "
            "XOR 0x01");

  PackageSpec force;
  force.format = Format::Anjay;
  force.variant = Variant::ForceError;
  force.force_error = 7;
  force.version = "1.0";
  force.image = Bytes(12, 0);
  EXPECT_EQ(describe(force),
            "anjay force-error: version \"1.0\", given 12-byte image, force-error code 7");

  PackageSpec raw;
  raw.format = Format::Raw;
  raw.variant = Variant::Truncated;
  raw.cut = 5;
  raw.image_file = "/fw/app.bin";
  EXPECT_EQ(describe(raw), "raw truncated: image from /fw/app.bin, last 5 bytes cut");

  PackageSpec oversized;
  oversized.variant = Variant::Oversized;
  oversized.flash_size = 1024;
  EXPECT_EQ(describe(oversized),
            "reference oversized: version \"2.0.0\", flash 1024 bytes, image 1025 seeded bytes "
            "(seed 1)");
}

}  // namespace
}  // namespace fc::forge
