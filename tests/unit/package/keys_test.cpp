// SigningKey and VerifyKey: loading PEM keys, deterministic signatures, clear load errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "suite/package/reference_package.h"

namespace fc::package {
namespace {

using ::testing::HasSubstr;

const std::string kKeys = FOTACHECK_SOURCE_DIR "/fixtures/keys/";

// Throwaway test-only public keys of the wrong curve or algorithm.
constexpr const char* kP384PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE1wZ353G4u7yEbyjCYR55rYRYSSwzidog\n"
    "eTpOANenkZg6YIxXjJOcO7u1wcS5ysM7OjecWfbSIC2aECybNxcUQacgvTYlj24R\n"
    "Pc9UYTOcnPrJEuET5QepOAiDGM01lvod\n"
    "-----END PUBLIC KEY-----\n";
constexpr const char* kRsaPublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMPkpLH8QfPgIpEuY2gy2B4z1xBev8Ep\n"
    "7x3bl81yo//PbP2t2VFNdMAyE4EFjHK+5/m9S7XIputfIT/sOPpV8XsCAwEAAQ==\n"
    "-----END PUBLIC KEY-----\n";
constexpr const char* kEd25519PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAPwIwin7ff2HzdRpC+2p3THyPqqODDI07899FneoqgeM=\n"
    "-----END PUBLIC KEY-----\n";

std::array<std::uint8_t, 32> digest_of(std::uint8_t fill) {
  std::array<std::uint8_t, 32> digest{};
  digest.fill(fill);
  return digest;
}

template <typename F>
std::string error_of(F&& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no exception)";
}

TEST(Keys, SignatureIsSixtyFourBytesAndVerifiesWithTheMatchingKey) {
  const auto signing = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  const auto verify = VerifyKey::load_pem_file(kKeys + "package-signing.pub.pem");
  const Bytes signature = signing.sign_digest(digest_of(0x5A));
  ASSERT_EQ(signature.size(), kSignatureSize);
  EXPECT_TRUE(verify.verify_digest(digest_of(0x5A), signature));
  EXPECT_FALSE(verify.verify_digest(digest_of(0x5B), signature));
}

TEST(Keys, SignaturesAreDeterministic) {
  const auto signing = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  EXPECT_EQ(signing.sign_digest(digest_of(1)), signing.sign_digest(digest_of(1)));
  EXPECT_NE(signing.sign_digest(digest_of(1)), signing.sign_digest(digest_of(2)));
}

TEST(Keys, OtherKeyDoesNotVerify) {
  const auto signing = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  const auto other = VerifyKey::load_pem_file(kKeys + "other-signing.pub.pem");
  EXPECT_FALSE(other.verify_digest(digest_of(7), signing.sign_digest(digest_of(7))));
}

TEST(Keys, MalformedSignaturesAreRejectedNotCrashed) {
  const auto verify = VerifyKey::load_pem_file(kKeys + "package-signing.pub.pem");
  EXPECT_FALSE(verify.verify_digest(digest_of(7), Bytes(63, 0x01)));
  EXPECT_FALSE(verify.verify_digest(digest_of(7), Bytes(64, 0x00)));  // r = s = 0
  EXPECT_FALSE(verify.verify_digest(digest_of(7), Bytes(64, 0xFF)));  // r, s >= n
  EXPECT_FALSE(verify.verify_digest(digest_of(7), Bytes{}));
}

TEST(Keys, MissingFileIsNamed) {
  const std::string path = kKeys + "no-such.key.pem";
  EXPECT_EQ(error_of([&] { SigningKey::load_pem_file(path); }),
            "cannot open private key file " + path);
  EXPECT_EQ(error_of([&] { VerifyKey::load_pem_file(path); }),
            "cannot open public key file " + path);
}

TEST(Keys, GarbageIsRejectedWithItsOrigin) {
  EXPECT_THAT(error_of([] { SigningKey::from_pem("not a key", "profile.yaml:12"); }),
              HasSubstr("profile.yaml:12: not a usable PEM private key: "));
  EXPECT_THAT(error_of([] { VerifyKey::from_pem("", "inline"); }),
              HasSubstr("inline: not a usable PEM public key: "));
}

TEST(Keys, PublicKeyIsNotAPrivateKey) {
  const auto path = kKeys + "package-signing.pub.pem";
  EXPECT_THAT(error_of([&] { SigningKey::load_pem_file(path); }),
              HasSubstr(path + ": not a usable PEM private key"));
}

TEST(Keys, OtherCurvesAndAlgorithmsAreRefused) {
  EXPECT_EQ(error_of([] { VerifyKey::from_pem(kP384PublicPem, "p384.pem"); }),
            "p384.pem: public key is on another curve, expected P-256 (secp256r1)");
  EXPECT_EQ(error_of([] { VerifyKey::from_pem(kRsaPublicPem, "rsa.pem"); }),
            "rsa.pem: public key is RSA, expected an EC P-256 key");
  // Mbed TLS 2.28 cannot parse Ed25519 at all, so it fails already at parsing.
  EXPECT_EQ(error_of([] { VerifyKey::from_pem(kEd25519PublicPem, "ed.pem"); }),
            "ed.pem: not a usable PEM public key: PK - Key algorithm is unsupported (only RSA "
            "and EC are supported) (-0x3c80)");
}

TEST(Keys, MovedKeysKeepWorking) {
  auto signing = SigningKey::load_pem_file(kKeys + "package-signing.key.pem");
  auto verify = VerifyKey::load_pem_file(kKeys + "package-signing.pub.pem");
  SigningKey moved_signing = std::move(signing);
  VerifyKey moved_verify = std::move(verify);
  EXPECT_TRUE(moved_verify.verify_digest(digest_of(9), moved_signing.sign_digest(digest_of(9))));
}

}  // namespace
}  // namespace fc::package
