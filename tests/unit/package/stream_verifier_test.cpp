// StreamVerifier and verify_file: the verdict for every defect, whatever the chunking.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "suite/package/reference_package.h"

namespace fc::package {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kKeys = FOTACHECK_SOURCE_DIR "/fixtures/keys/";

class StreamVerifierTest : public ::testing::Test {
 protected:
  SigningKey signing = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  VerifyKey verify = VerifyKey::load_pem_file(kKeys + "package-signing.pub.pem");

  Bytes image() const {
    Bytes out(300);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i * 7);
    return out;
  }

  Bytes valid_package(std::uint16_t flags = 0) const {
    Header header;
    header.version = "2.0.0";
    header.flags = flags;
    return build(header, image(), signing);
  }

  // A package whose header bytes were edited and then signed again, so that only the edited
  // field can be at fault.
  Bytes resigned(Bytes package) const {
    package.erase(package.end() - kSignatureSize, package.end());
    const Bytes signature = signature_over(package, signing);
    package.insert(package.end(), signature.begin(), signature.end());
    return package;
  }

  Verification verify_in_chunks(ByteView package, std::size_t chunk) const {
    StreamVerifier verifier(verify);
    for (std::size_t at = 0; at < package.size(); at += chunk) {
      verifier.update(package.subspan(at, std::min(chunk, package.size() - at)));
    }
    return verifier.finish();
  }
};

TEST_F(StreamVerifierTest, ValidPackageVerifiesWhole) {
  const Bytes package = valid_package();
  StreamVerifier verifier(verify);
  verifier.update(package);
  EXPECT_EQ(verifier.bytes_seen(), package.size());
  EXPECT_EQ(verifier.early_verdict(), std::nullopt);
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::Valid);
  EXPECT_EQ(result.reason, "valid");
  ASSERT_TRUE(result.header.has_value());
  EXPECT_EQ(result.header->version, "2.0.0");
  EXPECT_EQ(result.header->image_size, 300u);
  EXPECT_EQ(result.header->flags, 0);
  EXPECT_FALSE(result.header->fails_first_boot());
}

TEST_F(StreamVerifierTest, ValidPackageVerifiesInOneByteChunks) {
  const Bytes package = valid_package();
  StreamVerifier verifier(verify);
  for (std::size_t i = 0; i < package.size(); ++i) {
    // The header (13 fixed bytes + 5 of version) is known exactly when its last byte is in.
    EXPECT_EQ(verifier.header().has_value(), i >= 18) << "after " << i << " bytes";
    verifier.update(ByteView(package).subspan(i, 1));
    EXPECT_EQ(verifier.early_verdict(), std::nullopt);
  }
  EXPECT_EQ(verifier.finish().verdict, Verdict::Valid);
}

TEST_F(StreamVerifierTest, ValidPackageVerifiesInOddChunks) {
  const Bytes package = valid_package();
  for (std::size_t chunk : {2u, 7u, 13u, 64u, 100u, 1024u}) {
    EXPECT_EQ(verify_in_chunks(package, chunk).verdict, Verdict::Valid) << "chunk " << chunk;
  }
}

TEST_F(StreamVerifierTest, EmptyImageIsValid) {
  Header header;
  header.version = "0";
  EXPECT_EQ(verify_in_chunks(build(header, {}, signing), 1).verdict, Verdict::Valid);
}

TEST_F(StreamVerifierTest, FailFirstBootFlagIsReadNotRejected) {
  const Verification result = verify_in_chunks(valid_package(kFlagFailFirstBoot), 5);
  EXPECT_EQ(result.verdict, Verdict::Valid);
  ASSERT_TRUE(result.header.has_value());
  EXPECT_TRUE(result.header->fails_first_boot());
}

TEST_F(StreamVerifierTest, InteroperatesWithOpenSslSignatures) {
  // Signed outside fotacheck (openssl dgst -sha256 -sign, DER turned into r||s) with a
  // throwaway key whose public half is below: the format is implementable without our code.
  const auto openssl_key = VerifyKey::from_pem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERVoxrdLSfOBDa8/kBNea/4JFTqGg\n"
      "AXoPYEIC0nMa2PyQUnteKT3kWJLcnt9q2RUV5JQm8qSuU96BBmhbqq7Xpw==\n"
      "-----END PUBLIC KEY-----\n",
      "openssl vector");
  const Bytes package = from_hex(
      "4643504b000100000000001005312e322e33666f7461636865636b2d696d61676521"
      "d4fc5d663a96762d8fe4a41ae66a7d7a15e2a1268a90775e36907157f7721cd3"
      "64854683883d03abc5a99cd25b29735a6df3393a9f1deafd9006728f4a9814f7");
  StreamVerifier verifier(openssl_key);
  verifier.update(package);
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::Valid) << result.reason;
  ASSERT_TRUE(result.header.has_value());
  EXPECT_EQ(result.header->version, "1.2.3");
  EXPECT_EQ(result.header->image_size, 16u);
}

TEST_F(StreamVerifierTest, WrongKeyIsIntegrityFailure) {
  const auto other = VerifyKey::load_pem_file(kKeys + "other-signing.pub.pem");
  StreamVerifier verifier(other);
  verifier.update(valid_package());
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "signature does not verify with the trusted key");
}

TEST_F(StreamVerifierTest, FlippedImageBitIsIntegrityFailure) {
  Bytes package = valid_package();
  package[18 + 150] ^= 0x10;
  const Verification result = verify_in_chunks(package, 1);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "signature does not verify with the trusted key");
}

TEST_F(StreamVerifierTest, FlippedSignatureBitIsIntegrityFailure) {
  Bytes package = valid_package();
  package.back() ^= 0x01;
  EXPECT_EQ(verify_in_chunks(package, 64).verdict, Verdict::IntegrityFailure);
}

TEST_F(StreamVerifierTest, WrongMagicIsKnownAfterFourBytes) {
  Bytes package = resigned([&] {
    Bytes p = valid_package();
    p[3] = 'X';  // "FCPX"
    return p;
  }());
  StreamVerifier verifier(verify);
  verifier.update(ByteView(package).first(3));
  EXPECT_EQ(verifier.early_verdict(), std::nullopt);
  verifier.update(ByteView(package).subspan(3, 1));
  EXPECT_EQ(verifier.early_verdict(), Verdict::UnsupportedType);
  verifier.update(ByteView(package).subspan(4));
  EXPECT_EQ(verifier.header(), std::nullopt);
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::UnsupportedType);
  EXPECT_EQ(result.reason, "wrong magic: byte 3 is X, expected \"FCPK\"");
  EXPECT_EQ(result.header, std::nullopt);
}

TEST_F(StreamVerifierTest, ForeignFileIsKnownFromItsFirstByte) {
  StreamVerifier verifier(verify);
  verifier.update(to_bytes("\x7f"));
  EXPECT_EQ(verifier.early_verdict(), Verdict::UnsupportedType);
  verifier.update(to_bytes("ELF and the rest of a binary"));
  EXPECT_EQ(verifier.finish().reason, "wrong magic: byte 0 is \\x7f, expected \"FCPK\"");
}

TEST_F(StreamVerifierTest, UnknownFormatVersionIsKnownAfterSixBytes) {
  Bytes package = valid_package();
  package[5] = 2;
  package = resigned(package);
  StreamVerifier verifier(verify);
  verifier.update(ByteView(package).first(5));
  EXPECT_EQ(verifier.early_verdict(), std::nullopt);
  verifier.update(ByteView(package).subspan(5, 1));
  EXPECT_EQ(verifier.early_verdict(), Verdict::UnsupportedType);
  verifier.update(ByteView(package).subspan(6));
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::UnsupportedType);
  EXPECT_EQ(result.reason, "unsupported format version 2 at offset 4, expected 1");
}

TEST_F(StreamVerifierTest, ReservedFlagBitsAreIntegrityFailure) {
  Bytes package = valid_package();
  package[6] = 0x80;
  const Verification result = verify_in_chunks(resigned(package), 1);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "reserved flag bits set at offset 6: flags 0x8000, known 0x0001");
}

TEST_F(StreamVerifierTest, VersionLengthOutsideOneToSixtyFourIsIntegrityFailure) {
  for (std::uint8_t length : {std::uint8_t{0}, std::uint8_t{65}, std::uint8_t{255}}) {
    Bytes package = valid_package();
    package[12] = length;
    StreamVerifier verifier(verify);
    verifier.update(package);
    EXPECT_EQ(verifier.early_verdict(), std::nullopt);
    const Verification result = verifier.finish();
    EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
    EXPECT_EQ(result.reason,
              "version string length " + std::to_string(length) + " at offset 12 is outside 1..64");
  }
}

TEST_F(StreamVerifierTest, VersionThatIsNotUtf8IsIntegrityFailure) {
  Bytes package = valid_package();
  package[15] = 0xC3;  // a lead byte followed by '.', not a continuation
  const Verification result = verify_in_chunks(resigned(package), 3);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "version string is not UTF-8: bad byte at offset 15");
}

TEST_F(StreamVerifierTest, Utf8VersionIsAccepted) {
  Header header;
  header.version = "2.0-\xC3\xA9t\xC3\xA9";  // "2.0-été"
  const Verification result = verify_in_chunks(build(header, to_bytes("x"), signing), 1);
  EXPECT_EQ(result.verdict, Verdict::Valid);
  EXPECT_EQ(result.header->version, "2.0-\xC3\xA9t\xC3\xA9");
}

TEST_F(StreamVerifierTest, EmptyPackageIsIntegrityFailure) {
  StreamVerifier verifier(verify);
  const Verification result = verifier.finish();
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "empty package");
}

TEST_F(StreamVerifierTest, TruncatedInsideTheHeader) {
  const Bytes package = valid_package();
  const Verification result = verify_in_chunks(ByteView(package).first(15), 1);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason, "truncated: package ends after 15 bytes, inside the 18-byte header");
  EXPECT_EQ(result.header, std::nullopt);
}

TEST_F(StreamVerifierTest, TruncatedInsideTheImage) {
  const Bytes package = valid_package();
  const Verification result = verify_in_chunks(ByteView(package).first(18 + 100), 9);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason,
            "truncated: image ends after 100 of 300 bytes (package is 118 bytes, header "
            "declares image size 300 so a package of 382 bytes)");
  ASSERT_TRUE(result.header.has_value());
  EXPECT_EQ(result.header->image_size, 300u);
}

TEST_F(StreamVerifierTest, TruncatedInsideTheSignature) {
  const Bytes package = valid_package();
  const Verification result = verify_in_chunks(ByteView(package).first(package.size() - 1), 50);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_THAT(result.reason, StartsWith("truncated: signature has 63 of 64 bytes"));
}

TEST_F(StreamVerifierTest, ExtraByteIsIntegrityFailure) {
  Bytes package = valid_package();
  package.push_back(0x00);
  const Verification result = verify_in_chunks(package, 1);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_EQ(result.reason,
            "1 extra byte after the signature (package is 383 bytes, header declares image size "
            "300 so a package of 382 bytes)");
}

TEST_F(StreamVerifierTest, ImageSizeLargerThanTheImageIsTruncation) {
  Bytes package = valid_package();
  package[11] = 0x2D;  // 0x012D = 301
  const Verification result = verify_in_chunks(resigned(package), 4096);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_THAT(result.reason, StartsWith("truncated: signature has 63 of 64 bytes"));
}

TEST_F(StreamVerifierTest, ImageSizeSmallerThanTheImageLeavesExtraBytes) {
  Bytes package = valid_package();
  package[11] = 0x2B;  // 0x012B = 299
  const Verification result = verify_in_chunks(resigned(package), 4096);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_THAT(result.reason, StartsWith("1 extra byte after the signature"));
}

TEST_F(StreamVerifierTest, EverySingleByteChangeIsRejectedWithTheRightVerdict) {
  Header header;
  header.version = "1.0";
  const Bytes valid = build(header, to_bytes("imag"), signing);
  for (std::size_t at = 0; at < valid.size(); ++at) {
    for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
      Bytes damaged = valid;
      damaged[at] ^= mask;
      // Bytes 0..5 are the magic and the format version: the type; the rest is integrity.
      const Verdict expected = at < 6 ? Verdict::UnsupportedType : Verdict::IntegrityFailure;
      EXPECT_EQ(verify_in_chunks(damaged, 3).verdict, expected)
          << "byte " << at << " XOR " << int{mask};
    }
  }
}

TEST_F(StreamVerifierTest, FinishIsIdempotentAndUpdateAfterItThrows) {
  StreamVerifier verifier(verify);
  verifier.update(valid_package());
  EXPECT_EQ(verifier.finish().verdict, Verdict::Valid);
  EXPECT_EQ(verifier.finish().verdict, Verdict::Valid);
  EXPECT_THROW(verifier.update(to_bytes("x")), std::logic_error);
}

class VerifyFileTest : public StreamVerifierTest {
 protected:
  std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("fotacheck-package-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".bin");
  void write(ByteView bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  void TearDown() override { std::filesystem::remove(file); }
};

TEST_F(VerifyFileTest, ValidFile) {
  // Larger than verify_file's read buffer, so several reads are needed.
  Header header;
  header.version = "9.9.9";
  write(build(header, Bytes(40000, 0xA5), signing));
  const Verification result = verify_file(file, verify);
  EXPECT_EQ(result.verdict, Verdict::Valid);
  EXPECT_EQ(result.header->image_size, 40000u);
}

TEST_F(VerifyFileTest, TruncatedFile) {
  const Bytes package = valid_package();
  write(ByteView(package).first(package.size() - 10));
  const Verification result = verify_file(file, verify);
  EXPECT_EQ(result.verdict, Verdict::IntegrityFailure);
  EXPECT_THAT(result.reason, StartsWith("truncated: signature has 54 of 64 bytes"));
}

TEST_F(VerifyFileTest, MissingFileThrowsNamingIt) {
  try {
    verify_file(file, verify);
    FAIL() << "verify_file accepted a missing file";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot open package file " + file.string());
  }
}

}  // namespace
}  // namespace fc::package
