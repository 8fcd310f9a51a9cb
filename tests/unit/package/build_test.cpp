// Encoding reference packages: exact header bytes and the layout build() produces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "suite/package/reference_package.h"

namespace fc::package {
namespace {

const std::string kKeys = FOTACHECK_SOURCE_DIR "/fixtures/keys/";

TEST(EncodeHeader, BigEndianFieldsInOrder) {
  Header header;
  header.flags = kFlagFailFirstBoot;
  header.image_size = 0x01020304;
  header.version = "2.0.0";
  EXPECT_EQ(to_hex(encode_header(header)),
            "4643504b"
            "0001"
            "0001"
            "01020304"
            "05"
            "322e302e30");
  EXPECT_EQ(header.encoded_size(), 18u);
  EXPECT_EQ(header.package_size(), 18u + 0x01020304u + 64u);
}

TEST(EncodeHeader, WritesMalformedLengthsForTheForgeButNotBeyondAByte) {
  Header header;
  header.version = "";
  EXPECT_EQ(to_hex(encode_header(header)),
            "4643504b00010000000000000"
            "0");
  header.version = std::string(256, 'v');
  EXPECT_THROW(encode_header(header), std::invalid_argument);
}

TEST(Build, LayoutIsHeaderImageSignature) {
  const auto key = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  Header header;
  header.version = "1.0";
  header.image_size = 999;  // build() takes the size from the image
  const Bytes image = to_bytes("firmware");
  const Bytes package = build(header, image, key);
  ASSERT_EQ(package.size(), 13u + 3u + 8u + 64u);
  EXPECT_EQ(to_hex(ByteView(package).first(16)),
            "4643504b"
            "0001"
            "0000"
            "00000008"
            "03"
            "312e30");
  EXPECT_EQ(to_string(ByteView(package).subspan(16, 8)), "firmware");
  EXPECT_EQ(Bytes(package.end() - 64, package.end()),
            signature_over(ByteView(package).first(24), key));
}

TEST(Build, IsDeterministic) {
  const auto key = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  Header header;
  header.version = "3.1";
  EXPECT_EQ(build(header, to_bytes("abc"), key), build(header, to_bytes("abc"), key));
}

TEST(Build, RefusesVersionLengthsTheFormatForbids) {
  const auto key = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  Header header;
  header.version = "";
  EXPECT_THROW(build(header, to_bytes("x"), key), std::invalid_argument);
  header.version = std::string(65, '1');
  EXPECT_THROW(build(header, to_bytes("x"), key), std::invalid_argument);
  header.version = std::string(64, '1');
  EXPECT_EQ(build(header, to_bytes("x"), key).size(), 13u + 64u + 1u + 64u);
}

}  // namespace
}  // namespace fc::package
