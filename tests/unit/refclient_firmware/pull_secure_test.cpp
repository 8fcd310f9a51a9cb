// PULL over coaps, coap+tcp, coaps+tcp and https (reference §4.1, /5/0/8 values 1, 3, 4, 5):
// downloads with PSK, RPK and X.509, and the handshakes and certificate checks that must end
// the download with Result 4 (the secure connection could not be established), never success.
#include <gtest/gtest.h>

#include <filesystem>

#include "firmware_harness.h"
#include "refclient/security/credential_options.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;
using Transport = RepositorySecurity::Transport;

const std::string kPki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

RepositorySecurity psk_repository(Transport transport) {
  RepositorySecurity security;
  security.transport = transport;
  security.psk_identity = "fw-client";
  security.psk_key = from_hex("0123456789abcdef0123456789abcdef");
  return security;
}

RepositorySecurity rpk_repository() {
  RepositorySecurity security;
  security.transport = Transport::Dtls;
  security.rpk_private_key_file = kPki + "server-rpk.key.pem";
  return security;
}

RepositorySecurity x509_repository(Transport transport, const std::string& name) {
  RepositorySecurity security;
  security.transport = transport;
  security.certificate_file = kPki + name + ".crt.pem";
  security.private_key_file = kPki + name + ".key.pem";
  return security;
}

class SecurePullTest : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 3000);

  // Every protocol claimed; ACK_TIMEOUT 1 s so a handshake on a loaded machine has room.
  FirmwareOptions options(TlsCredentials repository = {}) const {
    auto opts = test_options(dir.path());
    opts.protocols = {0, 1, 2, 3, 4, 5};
    opts.ack_timeout = 1.0;
    opts.max_retransmit = 1;
    opts.repository_security = std::move(repository);
    return opts;
  }

  bool pull(FirmwareHarness& fw, CoapRepository& repository, int state, int result) {
    const auto answer = fw->write(1, lwm2m::Value(repository.uri()));
    EXPECT_TRUE(is(answer, 2, 4)) << answer.diagnostic;
    return fw.await(state, result, milliseconds(10000), [&] { repository.poll(); });
  }

  bool pull(FirmwareHarness& fw, const std::string& uri, int state, int result) {
    const auto answer = fw->write(1, lwm2m::Value(uri));
    EXPECT_TRUE(is(answer, 2, 4)) << answer.diagnostic;
    return fw.await(state, result, milliseconds(10000));
  }
};

TlsCredentials psk_client(const std::string& key_hex = "0123456789abcdef0123456789abcdef") {
  TlsCredentials credentials;
  credentials.psk_identity = "fw-client";
  credentials.psk_key = from_hex(key_hex);
  return credentials;
}

TEST_F(SecurePullTest, CoapsWithPskDownloadsEveryBlock) {
  FirmwareHarness fw(options(psk_client()));
  CoapRepository repository(package, 4, psk_repository(Transport::Dtls));
  ASSERT_EQ(repository.uri().rfind("coaps://", 0), 0u);
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.blocks_served(), 13u);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "slot-a.bin"), package.size());
}

// The repository drops a handshake whose Finished does not verify, so the client only learns
// from the silence: MAX_TRANSMIT_WAIT (1 s x 1 x 1.5 here) ends it.
TEST_F(SecurePullTest, CoapsWithAWrongPskEndsWithResult4) {
  auto opts = options(psk_client("ffffffffffffffffffffffffffffffff"));
  opts.max_retransmit = 0;
  FirmwareHarness fw(opts);
  CoapRepository repository(package, 4, psk_repository(Transport::Dtls));
  ASSERT_TRUE(pull(fw, repository, 0, 4));
  EXPECT_EQ(repository.blocks_served(), 0u);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(SecurePullTest, CoapOverTcpDownloadsEveryBlock) {
  FirmwareHarness fw(options());
  RepositorySecurity tcp;
  tcp.transport = Transport::Tcp;
  CoapRepository repository(package, 6, tcp);
  ASSERT_EQ(repository.uri().rfind("coap+tcp://", 0), 0u);
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.blocks_served(), 4u);
  EXPECT_EQ(fw.read_string(7), "2.0.0");
}

TEST_F(SecurePullTest, CoapsOverTcpWithPskDownloadsEveryBlock) {
  FirmwareHarness fw(options(psk_client()));
  CoapRepository repository(package, 4, psk_repository(Transport::Tls));
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.blocks_served(), 13u);
}

TEST_F(SecurePullTest, CoapsOverTcpVerifiesTheRepositoryCertificateAgainstTheCa) {
  TlsCredentials trust;
  trust.ca = kPki + "ca.crt.pem";
  FirmwareHarness fw(options(trust));
  CoapRepository repository(package, 4, x509_repository(Transport::Tls, "repository"));
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.blocks_served(), 13u);
}

TEST_F(SecurePullTest, CoapsRepositoryCertificateFromARogueCaEndsWithResult4) {
  TlsCredentials trust;
  trust.ca = kPki + "ca.crt.pem";
  FirmwareHarness fw(options(trust));
  CoapRepository repository(package, 4, x509_repository(Transport::Dtls, "rogue-repository"));
  ASSERT_TRUE(pull(fw, repository, 0, 4));
  EXPECT_EQ(repository.blocks_served(), 0u);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(SecurePullTest, CoapsWithTheRepositoryKeyPinnedDownloads) {
  FirmwareOptions opts = options();
  // Loaded the way the command line does it, so the pin is the DER the check compares.
  CredentialArguments arguments;
  arguments.option_prefix = "--fw-";
  arguments.rpk_private_key = kPki + "device-rpk.key.pem";
  arguments.server_public_key = kPki + "server-rpk.pub.pem";
  opts.repository_security = load_credentials(arguments, true);
  FirmwareHarness fw(opts);
  CoapRepository repository(package, 4, rpk_repository());
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.blocks_served(), 13u);
}

TEST_F(SecurePullTest, CoapsWithAnotherKeyThanThePinEndsWithResult4) {
  CredentialArguments arguments;
  arguments.option_prefix = "--fw-";
  arguments.rpk_private_key = kPki + "device-rpk.key.pem";
  arguments.server_public_key = kPki + "other-rpk.pub.pem";
  FirmwareHarness fw(options(load_credentials(arguments, true)));
  CoapRepository repository(package, 4, rpk_repository());
  ASSERT_TRUE(pull(fw, repository, 0, 4));
  EXPECT_EQ(repository.blocks_served(), 0u);
}

TEST_F(SecurePullTest, HttpsWithTheCaDownloads) {
  TlsCredentials trust;
  trust.ca = kPki + "ca.crt.pem";
  FirmwareHarness fw(options(trust));
  HttpRepository repository(package, "repository");
  ASSERT_EQ(repository.uri().rfind("https://", 0), 0u);
  ASSERT_TRUE(pull(fw, repository.uri(), 2, 0));
  EXPECT_EQ(repository.requests_served(), 1);
}

TEST_F(SecurePullTest, HttpsToARogueRepositoryEndsWithResult4) {
  TlsCredentials trust;
  trust.ca = kPki + "ca.crt.pem";
  FirmwareHarness fw(options(trust));
  HttpRepository repository(package, "rogue-repository");
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 4));
  EXPECT_EQ(repository.requests_served(), 0);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(SecurePullTest, HttpsWithoutACaTrustsOnlyTheSystemStore) {
  FirmwareHarness fw(options());
  HttpRepository repository(package, "repository");
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 4));
  EXPECT_EQ(repository.requests_served(), 0);
}

TEST_F(SecurePullTest, HttpsSendsTheClientCertificateWhenTheRepositoryAsks) {
  TlsCredentials mutual;
  mutual.ca = kPki + "ca.crt.pem";
  mutual.certificate = kPki + "device.crt.pem";
  mutual.private_key = kPki + "device.key.pem";
  FirmwareHarness fw(options(mutual));
  HttpRepository repository(package, "repository", kPki + "ca.crt.pem");
  ASSERT_TRUE(pull(fw, repository.uri(), 2, 0));
  EXPECT_EQ(repository.requests_served(), 1);
}

TEST_F(SecurePullTest, HttpsWithoutTheClientCertificateTheRepositoryAsksForEndsWithResult4) {
  TlsCredentials trust;
  trust.ca = kPki + "ca.crt.pem";
  FirmwareHarness fw(options(trust));
  HttpRepository repository(package, "repository", kPki + "ca.crt.pem");
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 4));
  EXPECT_EQ(repository.requests_served(), 0);
}

// A scheme not claimed in /5/0/8 is still Result 9, secure or not, even with credentials.
TEST_F(SecurePullTest, UnclaimedSecureSchemeGivesResult9) {
  auto opts = options(psk_client());
  opts.protocols = {0, 2};
  FirmwareHarness fw(opts);
  CoapRepository repository(package, 4, psk_repository(Transport::Dtls));
  ASSERT_TRUE(pull(fw, repository, 0, 9));
  EXPECT_EQ(repository.requests_seen(), 0u);
  EXPECT_TRUE(fw.state_timeline.empty());
}

}  // namespace
}  // namespace fc::refclient::testing
