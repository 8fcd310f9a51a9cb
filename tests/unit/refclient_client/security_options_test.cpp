// The DTLS/TLS command line: --server schemes and their default ports, server and repository
// credentials (PSK from hex or the environment, X.509, RPK with a pinned key), and the exit-2
// errors that name the option at fault without ever echoing a key.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "refclient/client/command_line.h"
#include "refclient/security/credential_options.h"

namespace fc::refclient {
namespace {

namespace fs = std::filesystem;

const std::string kPki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";

class SecurityOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::path(FOTACHECK_BINARY_DIR) / "test-scratch" / "refclient_security_options" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root);
    fs::create_directories(root);
  }

  CommandLine parse(const std::string& server, std::vector<std::string> extra) {
    const auto key = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/keys/package-signing.pub.pem";
    std::vector<std::string> args{"fotacheck-refclient", "--server", server, "--endpoint", "dev-1"};
    args.insert(args.end(), {"--state-dir", (root / "state").string(), "--verify-key", key});
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
  }

  // Exit 2 with a message that starts with the program name and then `option`.
  void expect_refused(const CommandLine& result, const std::string& option, const std::string& words) {
    EXPECT_FALSE(result.options.has_value());
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.message.rfind("fotacheck-refclient: " + option, 0), 0u) << result.message;
    EXPECT_NE(result.message.find(words), std::string::npos) << result.message;
  }

  fs::path root;
};

TEST(ServerSchemeTest, EachSchemeHasItsDefaultPort) {
  EXPECT_EQ(parse_server_uri("coap://h").port, 5683);
  EXPECT_EQ(parse_server_uri("coaps://h").port, 5684);
  EXPECT_EQ(parse_server_uri("coap+tcp://h").port, 5683);
  EXPECT_EQ(parse_server_uri("coaps+tcp://h").port, 5684);
  const auto explicit_port = parse_server_uri("coaps+tcp://[::1]:40001");
  EXPECT_EQ(explicit_port.scheme, "coaps+tcp");
  EXPECT_EQ(explicit_port.host, "::1");
  EXPECT_EQ(explicit_port.port, 40001);
}

TEST(PskHexTest, ParsesUpperAndLowerCase) {
  EXPECT_EQ(parse_psk_hex("00aBcD", "--psk-key"), (Bytes{0x00, 0xAB, 0xCD}));
}

TEST(PskHexTest, RefusesOddLengthNonHexAndOversizedKeysWithoutEchoingThem) {
  const auto message = [](const std::string& hex) {
    try {
      parse_psk_hex(hex, "--psk-key");
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("abc"), "--psk-key: odd number of hex digits (3)");
  EXPECT_EQ(message("00secret"), "--psk-key: not hex: the character at offset 2 is not 0-9, a-f or A-F");
  EXPECT_EQ(message(std::string(130, 'a')), "--psk-key: 65 bytes; at most 64 are supported");
  EXPECT_EQ(message(""), "--psk-key: empty key");
}

TEST_F(SecurityOptionsTest, DtlsPskFromHex) {
  const auto result =
      parse("coaps://127.0.0.1", {"--psk-identity", "dev-1", "--psk-key", "000102030405060708090a0b0c0d0e0f"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& options = *result.options;
  EXPECT_EQ(options.server.scheme, "coaps");
  EXPECT_EQ(options.server.port, 5684);
  EXPECT_EQ(options.server_security.coap_mode(), SecurityMode::Psk);
  EXPECT_EQ(options.server_security.psk_identity, "dev-1");
  EXPECT_EQ(options.server_security.psk_key, from_hex("000102030405060708090a0b0c0d0e0f"));
  EXPECT_EQ(options.server_security.describe(), "PSK identity \"dev-1\" key <redacted>");
  EXPECT_TRUE(options.firmware.repository_security.empty());
}

TEST_F(SecurityOptionsTest, PskFromTheEnvironment) {
  ASSERT_EQ(setenv("FOTACHECK_TEST_OPTION_PSK", "A0B1C2", 1), 0);
  const auto result =
      parse("coaps+tcp://127.0.0.1:6000", {"--psk-identity", "dev-1", "--psk-key-env", "FOTACHECK_TEST_OPTION_PSK"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  EXPECT_EQ(result.options->server_security.psk_key, (Bytes{0xA0, 0xB1, 0xC2}));
  EXPECT_EQ(result.options->server.port, 6000);
}

TEST_F(SecurityOptionsTest, UnsetEnvironmentVariableIsExitTwo) {
  ASSERT_EQ(unsetenv("FOTACHECK_TEST_NO_SUCH_PSK"), 0);
  expect_refused(parse("coaps://127.0.0.1", {"--psk-identity", "dev-1", "--psk-key-env", "FOTACHECK_TEST_NO_SUCH_PSK"}),
                 "--psk-key-env", "environment variable FOTACHECK_TEST_NO_SUCH_PSK is not set or empty");
}

TEST_F(SecurityOptionsTest, BadHexIsExitTwoAndTheKeyIsNotEchoed) {
  const auto result = parse("coaps://127.0.0.1", {"--psk-identity", "dev-1", "--psk-key", "12zz-top-secret!"});
  expect_refused(result, "--psk-key", "not hex");
  EXPECT_EQ(result.message.find("top-secret"), std::string::npos) << result.message;
}

TEST_F(SecurityOptionsTest, PskHalvesMustComeTogether) {
  expect_refused(parse("coaps://127.0.0.1", {"--psk-identity", "dev-1"}), "--psk-identity", "needs --psk-key");
  expect_refused(parse("coap://127.0.0.1", {"--fw-psk-key", "00"}), "--fw-psk-key", "needs --fw-psk-identity");
  expect_refused(parse("coaps://127.0.0.1", {"--psk-identity", "d", "--psk-key", "00", "--psk-key-env", "X"}),
                 "--psk-key", "not both");
}

TEST_F(SecurityOptionsTest, X509WithCa) {
  const auto result = parse("coaps://127.0.0.1", {"--certificate", kPki + "device.crt.pem", "--private-key",
                                                  kPki + "device.key.pem", "--ca", kPki + "ca.crt.pem"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& security = result.options->server_security;
  EXPECT_EQ(security.coap_mode(), SecurityMode::X509);
  EXPECT_EQ(security.certificate, kPki + "device.crt.pem");
  EXPECT_EQ(security.private_key, kPki + "device.key.pem");
  EXPECT_EQ(security.ca, kPki + "ca.crt.pem");
}

TEST_F(SecurityOptionsTest, MissingOrWrongFilesAreExitTwoNamingTheOption) {
  const auto missing = (root / "missing.pem").string();
  expect_refused(parse("coaps://127.0.0.1", {"--certificate", missing, "--private-key", kPki + "device.key.pem"}),
                 "--certificate", "no such file");
  expect_refused(parse("coaps://127.0.0.1", {"--certificate", kPki + "device.crt.pem", "--private-key", missing}),
                 "--private-key", "no such file");
  expect_refused(parse("coap://127.0.0.1", {"--fw-ca", missing}), "--fw-ca", "no such file");
  expect_refused(
      parse("coaps://127.0.0.1", {"--certificate", kPki + "device.key.pem", "--private-key", kPki + "device.key.pem"}),
      "--certificate", "no PEM certificate");
  expect_refused(parse("coaps://127.0.0.1", {"--certificate", kPki + "device.crt.pem"}), "--certificate",
                 "--certificate and --private-key go together");
}

TEST_F(SecurityOptionsTest, RawPublicKeyWithAPinnedServerKey) {
  const auto result = parse("coaps://127.0.0.1", {"--rpk-private-key", kPki + "device-rpk.key.pem",
                                                  "--server-public-key", kPki + "server-rpk.pub.pem"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& security = result.options->server_security;
  EXPECT_EQ(security.coap_mode(), SecurityMode::Rpk);
  EXPECT_EQ(security.rpk_private_key_pem.rfind("-----BEGIN EC PRIVATE KEY-----", 0), 0u);
  // A P-256 SubjectPublicKeyInfo: SEQUENCE of 89 bytes, ending in the 65-byte uncompressed point.
  ASSERT_EQ(security.peer_public_key_der.size(), 91u);
  EXPECT_EQ(security.peer_public_key_der[0], 0x30);
  EXPECT_EQ(security.peer_public_key_der[26], 0x04);
}

TEST_F(SecurityOptionsTest, RawPublicKeyFilesMustHaveTheRightShape) {
  expect_refused(parse("coaps://127.0.0.1", {"--rpk-private-key", kPki + "device-rpk.pub.pem"}), "--rpk-private-key",
                 "expected a SEC1 PEM key");
  expect_refused(parse("coaps://127.0.0.1", {"--rpk-private-key", kPki + "device-rpk.key.pem", "--server-public-key",
                                             kPki + "server-rpk.key.pem"}),
                 "--server-public-key", "expected a PEM SubjectPublicKeyInfo");
  expect_refused(parse("coaps://127.0.0.1",
                       {"--psk-identity", "d", "--psk-key", "00", "--server-public-key", kPki + "server-rpk.pub.pem"}),
                 "--server-public-key", "needs --rpk-private-key");
}

TEST_F(SecurityOptionsTest, ModesAndSchemesMustAgree) {
  expect_refused(parse("coaps://127.0.0.1", {}), "--server coaps://127.0.0.1", "needs credentials");
  expect_refused(parse("coaps+tcp://127.0.0.1", {}), "--server coaps+tcp://127.0.0.1", "needs credentials");
  expect_refused(parse("coap://127.0.0.1", {"--psk-identity", "d", "--psk-key", "00"}), "--psk-identity",
                 "the server is coap://, which has no security");
  expect_refused(parse("coap+tcp://127.0.0.1", {"--ca", kPki + "ca.crt.pem"}), "--ca",
                 "the server is coap+tcp://, which has no security");
  expect_refused(parse("coaps://127.0.0.1",
                       {"--psk-identity", "d", "--psk-key", "00", "--rpk-private-key", kPki + "device-rpk.key.pem"}),
                 "--psk-identity", "give only one");
  expect_refused(parse("coaps://127.0.0.1", {"--psk-identity", "d", "--psk-key", "00", "--ca", kPki + "ca.crt.pem"}),
                 "--ca", "unused with --psk-identity");
}

TEST_F(SecurityOptionsTest, RepositoryCredentialsAreSeparateAndMayPairAPskWithACa) {
  const auto result =
      parse("coap://127.0.0.1", {"--protocols", "coap,coaps,http,https,coap+tcp,coaps+tcp", "--fw-psk-identity", "fw",
                                 "--fw-psk-key", "0102", "--fw-ca", kPki + "ca.crt.pem"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& options = *result.options;
  EXPECT_TRUE(options.server_security.empty());
  EXPECT_EQ(options.firmware.protocols, (std::set<int>{0, 1, 2, 3, 4, 5}));
  const auto& repository = options.firmware.repository_security;
  EXPECT_EQ(repository.coap_mode(), SecurityMode::Psk);
  EXPECT_EQ(repository.psk_identity, "fw");
  EXPECT_EQ(repository.psk_key, (Bytes{0x01, 0x02}));
  EXPECT_EQ(repository.ca, kPki + "ca.crt.pem");
}

TEST_F(SecurityOptionsTest, RepositoryClientCertificate) {
  const auto result = parse("coap://127.0.0.1",
                            {"--fw-certificate", kPki + "device.crt.pem", "--fw-private-key", kPki + "device.key.pem"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  EXPECT_EQ(result.options->firmware.repository_security.coap_mode(), SecurityMode::X509);
  EXPECT_TRUE(result.options->firmware.repository_security.ca.empty());
}

TEST_F(SecurityOptionsTest, UnknownProtocolIsExitTwo) {
  const auto result = parse("coap://127.0.0.1", {"--protocols", "coap,ftp"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.message.find("--protocols"), std::string::npos) << result.message;
}

}  // namespace
}  // namespace fc::refclient
