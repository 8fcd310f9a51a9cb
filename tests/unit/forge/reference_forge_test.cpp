// Reference packages from the forge: each variant earns exactly the verdict it is made for.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "suite/forge/forge.h"
#include "suite/forge/seeded_bytes.h"
#include "suite/package/reference_package.h"

namespace fc::forge {
namespace {

using package::Verdict;

const std::string kKeys = FOTACHECK_SOURCE_DIR "/fixtures/keys/";

class ReferenceForgeTest : public ::testing::Test {
 protected:
  ForgeKeys keys = ForgeKeys::from_pem_file(kKeys + "package-signing.key.pem");
  package::VerifyKey trusted = package::VerifyKey::load_pem_file(kKeys + "package-signing.pub.pem");

  static PackageSpec reference(Variant variant) {
    PackageSpec spec;
    spec.variant = variant;
    spec.image_size = 1000;
    spec.seed = 7;
    return spec;
  }

  package::Verification verify(ByteView bytes) const {
    package::StreamVerifier verifier(trusted);
    verifier.update(bytes);
    return verifier.finish();
  }
};

struct Expectation {
  Variant variant;
  Verdict verdict;
  std::string reason_start;
};

TEST_F(ReferenceForgeTest, EachVariantEarnsItsVerdict) {
  const Expectation table[] = {
      {Variant::Valid, Verdict::Valid, "valid"},
      {Variant::BitFlip, Verdict::IntegrityFailure, "signature does not verify"},
      {Variant::BadSignature, Verdict::IntegrityFailure, "signature does not verify"},
      {Variant::Truncated, Verdict::IntegrityFailure, "truncated: signature has 63 of 64"},
      {Variant::WrongMagic, Verdict::UnsupportedType, "wrong magic: byte 3 is X"},
      {Variant::WrongFormatVersion, Verdict::UnsupportedType, "unsupported format version 2"},
      {Variant::FailsFirstBoot, Verdict::Valid, "valid"},
      {Variant::RandomBytes, Verdict::UnsupportedType, "wrong magic: byte 0"},
  };
  for (const auto& row : table) {
    const auto result = verify(forge(reference(row.variant), keys));
    EXPECT_EQ(result.verdict, row.verdict) << variant_name(row.variant) << ": " << result.reason;
    EXPECT_EQ(result.reason.rfind(row.reason_start, 0), 0u)
        << variant_name(row.variant) << ": " << result.reason;
  }
}

TEST_F(ReferenceForgeTest, ValidCarriesTheSeededImage) {
  const PackageSpec spec = reference(Variant::Valid);
  const Bytes package = forge(spec, keys);
  ASSERT_EQ(package.size(), 13u + 5u + 1000u + 64u);
  EXPECT_EQ(Bytes(package.begin() + 18, package.end() - 64), seeded_bytes(7, 1000));
  EXPECT_EQ(image_of(spec), seeded_bytes(7, 1000));
  EXPECT_EQ(verify(package).header->version, "2.0.0");
}

TEST_F(ReferenceForgeTest, OutputIsDeterministicIncludingTheSignature) {
  for (const Variant variant : variants_of(Format::Reference)) {
    PackageSpec spec = reference(variant);
    spec.flash_size = 500;
    if (variant == Variant::Oversized) spec.image_size = 0;
    EXPECT_EQ(forge(spec, keys), forge(spec, keys)) << variant_name(variant);
  }
}

TEST_F(ReferenceForgeTest, WrongMagicIsSignedOverTheWrongMagic) {
  Bytes package = forge(reference(Variant::WrongMagic), keys);
  EXPECT_EQ(to_string(ByteView(package).first(4)), "FCPX");
  package[3] = 'K';
  // With the magic put back the signature no longer matches: it covered "FCPX".
  EXPECT_EQ(verify(package).reason, "signature does not verify with the trusted key");
}

TEST_F(ReferenceForgeTest, OversizedIsAValidPackageOneByteOverTheFlash) {
  PackageSpec spec;
  spec.variant = Variant::Oversized;
  spec.flash_size = 2048;
  const auto result = verify(forge(spec, keys));
  EXPECT_EQ(result.verdict, Verdict::Valid);
  EXPECT_EQ(result.header->image_size, 2049u);
}

TEST_F(ReferenceForgeTest, FailsFirstBootSetsTheFlag) {
  const auto result = verify(forge(reference(Variant::FailsFirstBoot), keys));
  ASSERT_TRUE(result.header.has_value());
  EXPECT_EQ(result.header->flags, package::kFlagFailFirstBoot);
}

TEST_F(ReferenceForgeTest, BitFlipChangesExactlyTheChosenImageByte) {
  PackageSpec spec = reference(Variant::BitFlip);
  spec.offset = 999;
  spec.xor_mask = 0x81;
  const Bytes valid = forge(reference(Variant::Valid), keys);
  const Bytes flipped = forge(spec, keys);
  ASSERT_EQ(flipped.size(), valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    EXPECT_EQ(flipped[i], i == 18 + 999 ? valid[i] ^ 0x81 : valid[i]) << "byte " << i;
  }
}

TEST_F(ReferenceForgeTest, TruncatedCutsFromTheEnd) {
  PackageSpec spec = reference(Variant::Truncated);
  spec.cut = 100;
  const Bytes valid = forge(reference(Variant::Valid), keys);
  EXPECT_EQ(forge(spec, keys), Bytes(valid.begin(), valid.end() - 100));
  const auto result = verify(forge(spec, keys));
  EXPECT_EQ(result.reason.rfind("truncated: image ends after 964 of 1000 bytes", 0), 0u)
      << result.reason;
}

TEST_F(ReferenceForgeTest, RandomBytesMatchTheValidPackagesSize) {
  const Bytes valid = forge(reference(Variant::Valid), keys);
  const Bytes random = forge(reference(Variant::RandomBytes), keys);
  EXPECT_EQ(random.size(), valid.size());
  EXPECT_NE(random, valid);
  EXPECT_NE(Bytes(random.begin() + 18, random.end() - 64), seeded_bytes(7, 1000));
}

TEST_F(ReferenceForgeTest, NeedsASigningKey) {
  try {
    forge(reference(Variant::Valid), ForgeKeys::none());
    FAIL() << "forged a reference package without a key";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), "reference valid: reference packages need a signing key");
  }
}

TEST_F(ReferenceForgeTest, ImpossibleSpecsAreRefusedClearly) {
  const auto error_of = [&](const PackageSpec& spec) -> std::string {
    try {
      forge(spec, keys);
    } catch (const std::exception& error) {
      return error.what();
    }
    return "(no exception)";
  };
  PackageSpec flip = reference(Variant::BitFlip);
  flip.offset = 1000;
  EXPECT_EQ(error_of(flip), "reference bit-flip: offset 1000 is outside the 1000-byte image");
  flip.offset = 0;
  flip.xor_mask = 0;
  EXPECT_EQ(error_of(flip), "reference bit-flip: xor_mask 0 would flip nothing");

  PackageSpec cut = reference(Variant::Truncated);
  cut.cut = 0;
  EXPECT_EQ(error_of(cut),
            "reference truncated: cannot cut 0 bytes from a 1082-byte package (1..1082)");
  cut.cut = 1083;
  EXPECT_EQ(error_of(cut),
            "reference truncated: cannot cut 1083 bytes from a 1082-byte package (1..1082)");

  PackageSpec oversized = reference(Variant::Oversized);
  EXPECT_EQ(error_of(oversized), "reference oversized: flash_size must be set (> 0)");
  oversized.flash_size = 10;
  oversized.image = to_bytes("x");
  EXPECT_EQ(error_of(oversized),
            "reference oversized: the image is made from flash_size; do not also give image or "
            "image_file");

  PackageSpec version = reference(Variant::Valid);
  version.version = "";
  EXPECT_EQ(error_of(version), "reference valid: version string must be 1..64 bytes, got 0");

  EXPECT_EQ(error_of(reference(Variant::WrongCrc)),
            "the reference format has no 'wrong-crc' variant; it offers: valid, bit-flip, "
            "bad-signature, truncated, wrong-magic, wrong-format-version, oversized, "
            "fails-first-boot, random-bytes");
}

// The size table of the transfer cases: a package exactly N bytes long, for any N the
// format can hold (one block, a multiple of a block size, one byte more).
TEST_F(ReferenceForgeTest, PackageSizeIsExactAndValid) {
  for (std::size_t size : {std::size_t{16}, std::size_t{512}, std::size_t{1024}, std::size_t{1025}, std::size_t{4096}}) {
    if (size <= package_overhead(reference(Variant::Valid))) continue;
    const auto spec = with_package_size(reference(Variant::Valid), size);
    const Bytes bytes = forge(spec, keys);
    EXPECT_EQ(bytes.size(), size);
    EXPECT_EQ(verify(bytes).verdict, Verdict::Valid) << size;
  }
  EXPECT_EQ(package_overhead(reference(Variant::Valid)), 13 + 5 + 64u);  // version "2.0.0"
  EXPECT_THROW(with_package_size(reference(Variant::Valid), 82), std::invalid_argument);
  auto given = reference(Variant::Valid);
  given.image = Bytes(10, 0);
  EXPECT_THROW(with_package_size(given, 1024), std::invalid_argument);
}

}  // namespace
}  // namespace fc::forge
