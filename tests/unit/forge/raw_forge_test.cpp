// Raw vendor files: the image as given and its blind corruptions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "suite/forge/forge.h"
#include "suite/forge/seeded_bytes.h"

namespace fc::forge {
namespace {

class RawForgeTest : public ::testing::Test {
 protected:
  std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("fotacheck-raw-" +
       std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".img");
  Bytes vendor_image = to_bytes("VENDOR-IMAGE-0123456789");

  void SetUp() override {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(vendor_image.data()),
              static_cast<std::streamsize>(vendor_image.size()));
  }
  void TearDown() override { std::filesystem::remove(file); }

  PackageSpec raw(Variant variant) const {
    PackageSpec spec;
    spec.format = Format::Raw;
    spec.variant = variant;
    spec.image_file = file;
    return spec;
  }
};

TEST_F(RawForgeTest, ValidIsTheFileAsGiven) {
  EXPECT_EQ(forge(raw(Variant::Valid), ForgeKeys::none()), vendor_image);
}

TEST_F(RawForgeTest, BitFlipAtAnOffset) {
  PackageSpec spec = raw(Variant::BitFlip);
  spec.offset = 0;
  spec.xor_mask = 0xFF;
  Bytes expected = vendor_image;
  expected[0] = static_cast<std::uint8_t>('V' ^ 0xFF);
  EXPECT_EQ(forge(spec, ForgeKeys::none()), expected);
}

TEST_F(RawForgeTest, TruncatedCutsTheEnd) {
  PackageSpec spec = raw(Variant::Truncated);
  spec.cut = 10;
  EXPECT_EQ(to_string(forge(spec, ForgeKeys::none())), "VENDOR-IMAGE-");
  spec.cut = vendor_image.size();
  EXPECT_EQ(forge(spec, ForgeKeys::none()).size(), 0u);
}

TEST_F(RawForgeTest, RandomBytesOfTheSameSizeSeeded) {
  PackageSpec spec = raw(Variant::RandomBytes);
  spec.seed = 3;
  const Bytes first = forge(spec, ForgeKeys::none());
  EXPECT_EQ(first.size(), vendor_image.size());
  EXPECT_NE(first, vendor_image);
  EXPECT_EQ(forge(spec, ForgeKeys::none()), first);
  spec.seed = 4;
  EXPECT_NE(forge(spec, ForgeKeys::none()), first);
}

TEST_F(RawForgeTest, ExplicitImageBytesTakePrecedenceOverTheFile) {
  PackageSpec spec = raw(Variant::Valid);
  spec.image = to_bytes("given");
  EXPECT_EQ(to_string(forge(spec, ForgeKeys::none())), "given");
}

TEST_F(RawForgeTest, WithoutImageOrFileTheImageIsSeeded) {
  PackageSpec spec;
  spec.format = Format::Raw;
  spec.image_size = 33;
  spec.seed = 11;
  EXPECT_EQ(forge(spec, ForgeKeys::none()), seeded_bytes(11, 33));
}

TEST_F(RawForgeTest, MissingFileIsNamed) {
  PackageSpec spec = raw(Variant::Valid);
  spec.image_file = file.string() + ".missing";
  try {
    forge(spec, ForgeKeys::none());
    FAIL() << "forged from a missing file";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot open image file " + file.string() + ".missing");
  }
}

TEST_F(RawForgeTest, StructuredDefectsAreNotOffered) {
  try {
    forge(raw(Variant::BadSignature), ForgeKeys::none());
    FAIL() << "forged a raw bad-signature";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()),
              "the raw format has no 'bad-signature' variant; it offers: valid, bit-flip, "
              "truncated, random-bytes");
  }
}

}  // namespace
}  // namespace fc::forge
