// The command line: server URIs, defaults, and the errors that end in exit status 2.
#include "refclient/client/command_line.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fc::refclient {
namespace {

namespace fs = std::filesystem;

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::path(FOTACHECK_BINARY_DIR) / "test-scratch" / "refclient_command_line" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root);
    fs::create_directories(root);
    key = (fs::path(FOTACHECK_SOURCE_DIR) / "fixtures/keys/package-signing.pub.pem").string();
  }

  CommandLine parse(std::vector<std::string> extra, bool with_required = true) {
    std::vector<std::string> args{"fotacheck-refclient"};
    if (with_required) {
      args.insert(args.end(), {"--server", "coap://127.0.0.1:5683", "--endpoint", "dev-1", "--state-dir",
                               (root / "state").string(), "--verify-key", key});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
  }

  fs::path root;
  std::string key;
};

TEST(ServerUriTest, ParsesHostAndPort) {
  const auto v4 = parse_server_uri("coap://127.0.0.1:40123");
  EXPECT_EQ(v4.host, "127.0.0.1");
  EXPECT_EQ(v4.port, 40123);
  const auto v6 = parse_server_uri("coap://[::1]:5684");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 5684);
  const auto default_port = parse_server_uri("coap://localhost");
  EXPECT_EQ(default_port.host, "localhost");
  EXPECT_EQ(default_port.port, 5683);
}

TEST(ServerUriTest, RefusesOtherSchemesPathsAndBadPorts) {
  EXPECT_THROW(parse_server_uri("coaps+udp://127.0.0.1:5684"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("http://127.0.0.1:80"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("127.0.0.1:5683"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("coap://127.0.0.1:5683/rd"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("coap://127.0.0.1:99999"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("coap://127.0.0.1:"), std::invalid_argument);
  EXPECT_THROW(parse_server_uri("coap://:5683"), std::invalid_argument);
}

TEST_F(CommandLineTest, MinimalCommandLineGivesDefaultsAndCreatesTheStateDir) {
  const auto result = parse({});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& options = *result.options;
  EXPECT_EQ(options.server.port, 5683);
  EXPECT_EQ(options.endpoint, "dev-1");
  EXPECT_EQ(options.lwm2m_version, "1.1");
  EXPECT_EQ(options.firmware.object_version, "1.0");
  EXPECT_EQ(options.firmware.protocols, (std::set<int>{0, 2}));
  EXPECT_EQ(options.firmware.delivery, 2);
  EXPECT_TRUE(fs::is_directory(root / "state"));
}

TEST_F(CommandLineTest, OptionsReachTheirFields) {
  const auto result = parse({"--lwm2m", "1.2", "--lifetime", "30", "--ack-timeout", "1.5", "--ack-random-factor", "1.25", "--max-retransmit",
                             "1", "--protocols", "coap,https", "--delivery", "push", "--flash-size", "4096",
                             "--mutant", "read-package-content", "--mutant", "update-in-idle", "--bearer", "7",
                             "--rssi", "-95", "--link-quality", "10", "--firmware-version", "2.0.0", "--serial",
                             "SN9"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  const auto& options = *result.options;
  EXPECT_EQ(options.lwm2m_version, "1.2");
  EXPECT_EQ(options.firmware.object_version, "1.1");
  EXPECT_EQ(options.lifetime, 30u);
  EXPECT_DOUBLE_EQ(options.ack_timeout, 1.5);
  EXPECT_DOUBLE_EQ(options.firmware.ack_timeout, 1.5);
  EXPECT_DOUBLE_EQ(options.ack_random_factor, 1.25);
  EXPECT_DOUBLE_EQ(options.firmware.ack_random_factor, 1.25);
  EXPECT_EQ(options.max_retransmit, 1);
  EXPECT_EQ(options.firmware.protocols, (std::set<int>{0, 3}));
  EXPECT_EQ(options.firmware.delivery, 1);
  EXPECT_EQ(options.firmware.flash_size, std::optional<std::uint64_t>(4096));
  EXPECT_EQ(options.firmware.mutants, (std::set<std::string>{"read-package-content", "update-in-idle"}));
  EXPECT_EQ(options.connectivity.network_bearer, 7);
  EXPECT_EQ(options.connectivity.radio_signal_strength, -95);
  EXPECT_EQ(options.connectivity.link_quality, 10);
  EXPECT_EQ(options.firmware.factory_version, "2.0.0");
  EXPECT_EQ(options.device.serial, "SN9");
}

TEST_F(CommandLineTest, UnknownMutantIsExitTwo) {
  const auto result = parse({"--mutant", "no-such-bug"});
  EXPECT_FALSE(result.options.has_value());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.message.find("unknown mutant 'no-such-bug'"), std::string::npos) << result.message;
}

TEST_F(CommandLineTest, BadOptionsAreExitTwo) {
  EXPECT_EQ(parse({"--no-such-option"}).exit_code, 2);
  EXPECT_EQ(parse({"--lwm2m", "2.0"}).exit_code, 2);
  EXPECT_EQ(parse({"--ack-timeout", "0.5"}).exit_code, 2);
  EXPECT_EQ(parse({"--ack-random-factor", "0.9"}).exit_code, 2);  // RFC 7252 §4.8: at least 1.0
  EXPECT_EQ(parse({}, false).exit_code, 2);
  const auto ftp = parse({"--server", "ftp://127.0.0.1:21", "--endpoint", "dev-1", "--state-dir",
                          (root / "state").string(), "--verify-key", key},
                         false);
  EXPECT_EQ(ftp.exit_code, 2);
  EXPECT_NE(ftp.message.find("scheme must be coap, coaps, coap+tcp or coaps+tcp"), std::string::npos) << ftp.message;
}

TEST_F(CommandLineTest, UnreadableKeyIsExitTwo) {
  const auto result = parse({"--verify-key", (root / "missing.pem").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.message.find("--verify-key"), std::string::npos) << result.message;
}

TEST_F(CommandLineTest, UncreatableStateDirIsExitTwo) {
  std::ofstream(root / "a-file") << "x";
  const auto result = parse({"--state-dir", (root / "a-file" / "state").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.message.find("--state-dir"), std::string::npos) << result.message;
}

TEST_F(CommandLineTest, HelpDocumentsFaultSwitchesAndMutants) {
  const auto result = parse({"--help"}, false);
  EXPECT_FALSE(result.options.has_value());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.message.find("--flash-size"), std::string::npos);
  EXPECT_NE(result.message.find("Update Result 2"), std::string::npos);
  EXPECT_NE(result.message.find("Update Result 3"), std::string::npos);
  EXPECT_NE(result.message.find("Update Result 9"), std::string::npos);
  EXPECT_NE(result.message.find("read-package-content"), std::string::npos);
  EXPECT_NE(result.message.find("cancel-in-updating"), std::string::npos);
}

TEST_F(CommandLineTest, FormatsDefaultToTheVersionAndCanBeNarrowed) {
  using lwm2m::ContentFormat;
  const auto old = parse({"--lwm2m", "1.0"});
  ASSERT_TRUE(old.options.has_value()) << old.message;
  EXPECT_EQ(old.options->formats, (FormatList{ContentFormat::Tlv, ContentFormat::LwM2mJson}));
  const auto latest = parse({"--lwm2m", "1.2"});
  ASSERT_TRUE(latest.options.has_value()) << latest.message;
  EXPECT_EQ(latest.options->formats.size(), 5u);
  const auto narrowed = parse({"--formats", "senml-cbor,tlv"});
  ASSERT_TRUE(narrowed.options.has_value()) << narrowed.message;
  EXPECT_EQ(narrowed.options->formats, (FormatList{ContentFormat::SenmlCbor, ContentFormat::Tlv}));
  const auto unknown = parse({"--formats", "tlv,xml"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.message.find("--formats"), std::string::npos) << unknown.message;
}

}  // namespace
}  // namespace fc::refclient
