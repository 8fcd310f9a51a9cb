// The test PKI in fixtures/pki (scripts/make-test-keys): every certificate chains where it
// should, and none expires within a year, so regeneration is due long before CI meets it.
#include <gtest/gtest.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <chrono>
#include <ctime>
#include <string>

namespace {

const std::string pki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";

struct Certificate {
  mbedtls_x509_crt crt;
  Certificate() { mbedtls_x509_crt_init(&crt); }
  ~Certificate() { mbedtls_x509_crt_free(&crt); }
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;
  int load(const std::string& name) { return mbedtls_x509_crt_parse_file(&crt, (pki + name).c_str()); }
};

std::tm expiry_of(const mbedtls_x509_crt& crt) {
  std::tm t{};
  t.tm_year = crt.valid_to.year - 1900;
  t.tm_mon = crt.valid_to.mon - 1;
  t.tm_mday = crt.valid_to.day;
  return t;
}

class EveryCertificate : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryCertificate, ParsesAndIsValidForAnotherYear) {
  Certificate cert;
  ASSERT_EQ(cert.load(std::string(GetParam()) + ".crt.pem"), 0) << GetParam() << ": run scripts/make-test-keys";
  std::tm expiry = expiry_of(cert.crt);
  const auto expires = std::chrono::system_clock::from_time_t(timegm(&expiry));
  const auto a_year_from_now = std::chrono::system_clock::now() + std::chrono::hours(24 * 365);
  EXPECT_GT(expires, a_year_from_now)
      << GetParam() << ".crt.pem expires on " << cert.crt.valid_to.year << "-" << cert.crt.valid_to.mon << "-"
      << cert.crt.valid_to.day << ": regenerate the test PKI with scripts/make-test-keys --force and commit it";
}

INSTANTIATE_TEST_SUITE_P(TestPki, EveryCertificate,
                         ::testing::Values("ca", "rogue-ca", "server", "repository", "device", "rogue-device",
                                           "rogue-repository"));

std::uint32_t verify(const char* name, const char* ca_name) {
  Certificate ca, cert;
  EXPECT_EQ(ca.load(ca_name), 0);
  EXPECT_EQ(cert.load(name), 0);
  std::uint32_t flags = 0;
  mbedtls_x509_crt_verify(&cert.crt, &ca.crt, nullptr, nullptr, &flags, nullptr, nullptr);
  return flags;
}

TEST(TestPki, ServerRepositoryAndDeviceChainToTheTestCa) {
  EXPECT_EQ(verify("server.crt.pem", "ca.crt.pem"), 0u);
  EXPECT_EQ(verify("repository.crt.pem", "ca.crt.pem"), 0u);
  EXPECT_EQ(verify("device.crt.pem", "ca.crt.pem"), 0u);
}

TEST(TestPki, RogueCertificatesDoNotChainToTheTestCa) {
  EXPECT_EQ(verify("rogue-device.crt.pem", "ca.crt.pem") & MBEDTLS_X509_BADCERT_NOT_TRUSTED,
            MBEDTLS_X509_BADCERT_NOT_TRUSTED);
  EXPECT_EQ(verify("rogue-repository.crt.pem", "ca.crt.pem") & MBEDTLS_X509_BADCERT_NOT_TRUSTED,
            MBEDTLS_X509_BADCERT_NOT_TRUSTED);
}

TEST(TestPki, EveryCertificateMatchesItsPrivateKey) {
  for (const char* name : {"server", "repository", "device", "rogue-device", "rogue-repository"}) {
    Certificate cert;
    ASSERT_EQ(cert.load(std::string(name) + ".crt.pem"), 0) << name;
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    EXPECT_EQ(mbedtls_pk_parse_keyfile(&key, (pki + name + ".key.pem").c_str(), nullptr), 0) << name;
    EXPECT_EQ(mbedtls_pk_check_pair(&cert.crt.pk, &key), 0) << name << ": certificate and key do not match";
    mbedtls_pk_free(&key);
  }
}

TEST(TestPki, RawPublicKeysMatchTheirPrivateKeys) {
  for (const char* name : {"server-rpk", "device-rpk", "other-rpk"}) {
    mbedtls_pk_context pub, key;
    mbedtls_pk_init(&pub);
    mbedtls_pk_init(&key);
    EXPECT_EQ(mbedtls_pk_parse_public_keyfile(&pub, (pki + name + ".pub.pem").c_str()), 0) << name;
    EXPECT_EQ(mbedtls_pk_parse_keyfile(&key, (pki + name + ".key.pem").c_str(), nullptr), 0) << name;
    EXPECT_EQ(mbedtls_pk_check_pair(&pub, &key), 0) << name;
    mbedtls_pk_free(&pub);
    mbedtls_pk_free(&key);
  }
}

}  // namespace
