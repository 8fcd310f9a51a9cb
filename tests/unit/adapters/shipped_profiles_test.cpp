// Every profile shipped in adapters/profiles/ passes the loader, and the two that name a
// client binary say what to do when it is missing.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/device_adapter.h"
#include "suite/profile/capabilities.h"
#include "suite/profile/loader.h"

namespace fc::adapters {
namespace {

namespace fs = std::filesystem;

const fs::path profiles_dir = fs::path(FOTACHECK_SOURCE_DIR) / "adapters" / "profiles";

profile::Profile load(const std::string& name) {
  profile::ProfileLoad load = profile::load_profile(profiles_dir / name);
  for (const auto& problem : load.problems) ADD_FAILURE() << problem.str();
  if (!load.profile) throw std::runtime_error(name + " did not load");
  return std::move(*load.profile);
}

TEST(ShippedProfiles, EveryProfileLoadsWithoutProblems) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(profiles_dir)) {
    if (entry.path().extension() != ".yaml") continue;
    names.push_back(entry.path().filename().string());
    profile::ProfileLoad result = profile::load_profile(entry.path());
    EXPECT_TRUE(result.ok()) << entry.path();
    for (const auto& problem : result.problems) ADD_FAILURE() << problem.str();
  }
  std::sort(names.begin(), names.end());
  const std::vector<std::string> expected{
      "anjay-demo-psk.yaml",       "anjay-demo-tcp.yaml",  "anjay-demo.yaml",    "real-board-template.yaml",
      "refclient-bootstrap.yaml",  "refclient-object-1.1.yaml", "refclient-plain.yaml", "refclient-psk.yaml",
      "refclient-queue.yaml",      "refclient-resume.yaml", "refclient-rpk.yaml", "refclient-send.yaml", "refclient-tcp.yaml",
      "refclient-tls.yaml",        "refclient-x509.yaml",  "refclient.yaml",     "wakaama-lwm2mclient.yaml",
      "zephyr-native-sim.yaml"};
  EXPECT_EQ(names, expected);
}

TEST(ShippedProfiles, RefclientRunsTheBuiltReferenceClient) {
  const profile::Profile p = load("refclient-plain.yaml");
  EXPECT_EQ(p.adapter.type, profile::AdapterType::Process);
  // The bundled client by its folder, never whatever PATH holds.
  EXPECT_EQ(p.adapter.process.command, "{suite_bin}/fotacheck-refclient");
  // {profile_dir} is filled in by the loader: the folder of refclient-plain.yaml.
  const std::string verify_key = (profiles_dir / "../../fixtures/keys/package-signing.pub.pem").string();
  const std::vector<std::string> args{"--server",       "{server_uri}",   "--endpoint",
                                      "{endpoint}",     "--state-dir",    "{workdir}/state",
                                      "--verify-key",   verify_key,
                                      "--ack-timeout",  "1",              "--max-retransmit",
                                      "1",              "--transfer-max-retransmit", "0",
                                      "--lifetime",     "30",
                                      "--protocols",    "coap,http",      "--delivery",
                                      "both",           "--install-time", "{install_time}"};
  EXPECT_EQ(p.adapter.process.args, args);
  // State 3 ends at once but in the cases that act in it (timing.install_time).
  ASSERT_TRUE(p.timing.install_time.has_value());
  EXPECT_EQ(p.timing.install_time->usual, 0s);
  EXPECT_EQ(p.timing.install_time->long_install, 1s);
  EXPECT_EQ(p.faults.flash_full.method, profile::FaultMethod::Args);
  EXPECT_EQ(p.faults.flash_full.args, (std::vector<std::string>{"--flash-size", "16384"}));
  EXPECT_EQ(p.faults.out_of_ram.args, (std::vector<std::string>{"--ram-limit", "256"}));
  EXPECT_EQ(p.faults.update_fails.package, "fails-first-boot");
  EXPECT_FALSE(p.faults.power_loss.supported());
  EXPECT_EQ(p.timing.coap.ack_timeout, 1s);
  EXPECT_EQ(p.timing.coap.max_retransmit, 1);
  // The key the client is given is the suite's test key.
  EXPECT_TRUE(fs::is_regular_file(verify_key));
}

// The default profile (the README's first run) declares everything the reference client can do,
// so no case is skipped for a capability the client has; each mode profile is named for the
// comparison of --all-profiles.
TEST(ShippedProfiles, DefaultProfileDeclaresEveryCapabilityOfTheReferenceClient) {
  const profile::Profile p = load("refclient.yaml");
  for (const auto& row : profile::capability_table()) {
    // Resumption is a switch (--resume-downloads) the default profile leaves off: its silent-peer
    // cases judge a device that gives up after MAX_TRANSMIT_WAIT. refclient-resume.yaml declares it.
    if (row.capability == profile::Capability::Resumption) {
      EXPECT_FALSE(row.declared(p));
      EXPECT_TRUE(row.declared(load("refclient-resume.yaml")));
      continue;
    }
    EXPECT_TRUE(row.declared(p)) << "refclient.yaml does not declare " << row.name;
  }
  const auto& args = p.adapter.process.args;
  auto after = [&](const std::string& option) {
    auto at = std::find(args.begin(), args.end(), option);
    return at == args.end() || at + 1 == args.end() ? std::string() : *(at + 1);
  };
  // What it declares, the client is started with.
  EXPECT_EQ(after("--protocols"), "coap,coaps,http,https,coap+tcp,coaps+tcp");
  EXPECT_EQ(after("--object-version"), "1.1");
  EXPECT_EQ(after("--psk-key-env"), "FOTACHECK_PSK_KEY");
  for (const auto& entry : fs::directory_iterator(profiles_dir)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("refclient")) {
      EXPECT_FALSE(load(name).device.name.empty()) << name << " has no device.name";
    }
  }
}

TEST(ShippedProfiles, AnjayWithoutItsBinaryFailsBeforeAnyCase) {
  const profile::Profile p = load("anjay-demo.yaml");
  EXPECT_EQ(p.packages.format, profile::PackageFormat::Anjay);
  EXPECT_EQ(p.faults.out_of_ram.package, "force-error:1");
  EXPECT_EQ(p.faults.update_fails.package, "force-error:2");
  // The demo accepts only package version 1.0 and reports its library version in /3/0/3.
  EXPECT_EQ(p.packages.version, "1.0");
  EXPECT_EQ(p.packages.expected_version, "3.14.0");
  // One endpoint for the run: {case} could never be filled (the device is started once).
  EXPECT_EQ(p.device.endpoint, "anjay-{run}");
  try {
    make_adapter(p);
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()),
              "the device client /path/to/anjay/output/bin/demo does not exist (adapter.process.command in " +
                  (profiles_dir / "anjay-demo.yaml").string() +
                  "); set adapter.process.command in the profile to the client binary");
  }
}

TEST(ShippedProfiles, WakaamaKeepsStdinOpen) {
  const profile::Profile p = load("wakaama-lwm2mclient.yaml");
  EXPECT_EQ(p.adapter.process.stdin_mode, profile::StdinMode::KeepOpen);
  const std::vector<std::string> args{"-4", "-h", "127.0.0.1", "-p", "{server_port}", "-n", "{endpoint}", "-t", "30"};
  EXPECT_EQ(p.adapter.process.args, args);
}

TEST(ShippedProfiles, RealBoardTemplateUsesHooks) {
  const profile::Profile p = load("real-board-template.yaml");
  EXPECT_EQ(p.adapter.type, profile::AdapterType::Hooks);
  EXPECT_EQ(p.adapter.hooks.timeout, std::chrono::minutes(2));
  EXPECT_EQ(p.faults.power_loss.method, profile::FaultMethod::Hook);
  EXPECT_EQ(p.faults.power_loss.hook, p.adapter.hooks.inject.at("power_loss"));
  // The hooks adapter has nothing to check up front, so it can always be built.
  EXPECT_EQ(make_adapter(p)->describe(), "hooks with serial log capture");
}

}  // namespace
}  // namespace fc::adapters
