// The legal variants that live in the client plumbing (refclient/firmware/variants.h): the
// command line, server-instance-1, no-object-version, merged-notifications, exec-self-update.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "refclient/client/command_line.h"
#include "refclient/client/device_object.h"
#include "refclient/client/firmware_object_adapter.h"
#include "refclient/client/notification_scheduler.h"
#include "refclient/client/process_restart.h"
#include "refclient/client/registration.h"
#include "refclient/client/server_object.h"
#include "refclient/firmware/variants.h"

namespace fc::refclient {
namespace {

namespace fs = std::filesystem;
using lwm2m::Path;
using namespace std::chrono_literals;

class VariantPlumbingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::path(FOTACHECK_BINARY_DIR) / "test-scratch" / "refclient_variants" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root);
    fs::create_directories(root);
    key = (fs::path(FOTACHECK_SOURCE_DIR) / "fixtures/keys/package-signing.pub.pem").string();
  }
  CommandLine parse(std::vector<std::string> extra) {
    std::vector<std::string> args{"fotacheck-refclient", "--server", "coap://127.0.0.1:5683", "--endpoint", "dev-1",
                                  "--state-dir", (root / "state").string(), "--verify-key", key};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
  }
  FirmwareOptions firmware_options(std::string object_version, std::set<std::string> variants) {
    FirmwareOptions options;
    options.state_dir = root / "state";
    options.verify_key = key;
    options.object_version = std::move(object_version);
    options.variants = std::move(variants);
    return options;
  }
  fs::path root;
  std::string key;
};

TEST_F(VariantPlumbingTest, VariantsAreRepeatableAndUnknownOnesAreExitTwo) {
  const auto result = parse({"--variant", "bad-uri-400", "--variant", "server-instance-1"});
  ASSERT_TRUE(result.options.has_value()) << result.message;
  EXPECT_EQ(result.options->firmware.variants, (std::set<std::string>{"bad-uri-400", "server-instance-1"}));
  const auto unknown = parse({"--variant", "no-such-choice"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.message.find("unknown variant 'no-such-choice'"), std::string::npos) << unknown.message;
  EXPECT_EQ(parse({"--variant", "no-integrity-check"}).exit_code, 2);  // a mutant is no variant
}

TEST_F(VariantPlumbingTest, HelpListsEveryVariantBeforeTheMutants) {
  std::vector<const char*> argv{"fotacheck-refclient", "--help"};
  const auto help = parse_command_line(2, argv.data()).message;
  const auto variants_at = help.find("Legal variants");
  const auto mutants_at = help.find("Deliberate faults");
  ASSERT_NE(variants_at, std::string::npos);
  ASSERT_NE(mutants_at, std::string::npos);
  for (const auto& variant : all_variants()) {
    const auto at = help.find("\n  " + std::string(variant.name) + "\n");
    EXPECT_TRUE(at > variants_at && at < mutants_at) << variant.name;
  }
}

TEST_F(VariantPlumbingTest, ServerInstance1IsRegisteredAndServedAsSlash1Slash1) {
  ServerObject server{60, nullptr, nullptr, 1};
  ObjectRegistry objects;
  objects.add(server);
  EXPECT_EQ(registration_payload("1.0", objects), "</>;rt=\"oma.lwm2m\",</1/1>");
  EXPECT_TRUE(server.has_instance(1));
  EXPECT_FALSE(server.has_instance(0));
}

TEST_F(VariantPlumbingTest, NoObjectVersionLeavesVerOutForObject11) {
  FirmwareObjectAdapter announced(firmware_options("1.1", {}), nullptr);
  EXPECT_EQ(announced.version(), std::optional<std::string>("1.1"));
  FirmwareObjectAdapter silent(firmware_options("1.1", {std::string(variant::kNoObjectVersion)}), nullptr);
  EXPECT_EQ(silent.version(), std::nullopt);
  ObjectRegistry objects;
  objects.add(silent);
  EXPECT_EQ(registration_payload("1.2", objects, {lwm2m::ContentFormat::Tlv}), "</>;rt=\"oma.lwm2m\";ct=11542,</5/0>");
}

TEST_F(VariantPlumbingTest, MergedNotificationsSendOnlyTheNewestValueOfQuickChanges) {
  NotificationScheduler scheduler{3s, 300ms};
  const Path state{5, 0, 3};
  auto value = [&](int v) { return lwm2m::Records{{state, lwm2m::Value(v)}}; };
  auto no_attributes = [](const Path&) { return NotificationAttributes{}; };
  auto now = Clock::time_point{} + 1000s;
  scheduler.observed(state, {1}, now, value(0));
  scheduler.changed(state, value(1), {}, now);
  scheduler.changed(state, value(2), {}, now + 10ms);
  EXPECT_EQ(scheduler.queued(state), 1u);
  EXPECT_EQ(scheduler.release(now + 200ms, no_attributes), std::nullopt);  // still merging
  ASSERT_EQ(scheduler.release(now + 300ms, no_attributes), state);
  const auto* sent = scheduler.payload_for(state);
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->front().value.as_int(), 2);  // the final value is always notified
  scheduler.after_io(now + 300ms);
  EXPECT_TRUE(scheduler.idle());
}

TEST_F(VariantPlumbingTest, ExecSelfUpdateImageExecsTheClientWithItsArguments) {
  const auto script = installed_image_script("/bin/echo");
  EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u) << script;
  const auto image = root / kInstalledImageName;
  std::ofstream(image) << script;
  const auto output = root / "output.txt";
  const auto command = "sh '" + image.string() + "' --endpoint \"dev 1\" > '" + output.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(output);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "--endpoint dev 1");
  EXPECT_NE(installed_image_script("/opt/it's here/refclient").find("'/opt/it'\\''s here/refclient'"),
            std::string::npos);
}

}  // namespace
}  // namespace fc::refclient
