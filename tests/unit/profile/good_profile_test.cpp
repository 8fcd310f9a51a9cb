// Valid profiles load into exactly the values they declare, and defaults fill the rest.
#include <gtest/gtest.h>

#include <string>

#include "suite/profile/loader.h"

namespace fc::profile {
namespace {

const std::string good_dir = FOTACHECK_SOURCE_DIR "/tests/unit/profile/good/";

Profile load_good(const std::string& name) {
  ProfileLoad load = load_profile(good_dir + name);
  for (const auto& problem : load.problems) ADD_FAILURE() << problem.str();
  if (!load.profile) throw std::runtime_error(name + " did not load");
  return std::move(*load.profile);
}

TEST(GoodProfile, FullProfileDeviceAndServer) {
  const Profile p = load_good("full.yaml");
  EXPECT_EQ(p.source, good_dir + "full.yaml");
  EXPECT_TRUE(p.includes.empty());
  EXPECT_EQ(p.device.name, "Acme T1 rev B");
  EXPECT_EQ(p.device.endpoint, "fotacheck-{run}");
  EXPECT_EQ(p.device.endpoint_pattern, "");
  EXPECT_EQ(p.device.lwm2m_version, LwM2MVersion::V1_1);
  EXPECT_EQ(p.device.firmware_object_version, FirmwareObjectVersion::FromRegistration);

  EXPECT_EQ(p.server.bind, "127.0.0.1");
  EXPECT_EQ(p.server.port, 0);
  EXPECT_EQ(p.server.security.mode, SecurityMode::NoSec);
  EXPECT_EQ(p.server.security.psk.identity, "fotacheck-device");
  EXPECT_EQ(p.server.security.psk.key_env, "FOTACHECK_PSK_KEY");
  EXPECT_TRUE(p.server.security.psk.key.empty());
  EXPECT_EQ(p.server.lifetime.min, 30u);
  EXPECT_EQ(p.server.lifetime.max, 86400u);
  EXPECT_EQ(p.server.refuse_lwm2m_versions, std::vector<LwM2MVersion>{LwM2MVersion::V1_2});

  EXPECT_EQ(p.repository.bind, "127.0.0.1");
  EXPECT_EQ(p.repository.coap_port, 0);
  EXPECT_EQ(p.repository.http_port, 0);
  EXPECT_EQ(p.repository.host_for_device(), "localhost");
}

TEST(GoodProfile, FullProfileCapabilitiesAndPackages) {
  const Profile p = load_good("full.yaml");
  const std::vector<PullScheme> pull{PullScheme::Coap, PullScheme::Http, PullScheme::CoapTcp};
  EXPECT_EQ(p.capabilities.pull, pull);
  EXPECT_TRUE(p.capabilities.push);
  EXPECT_TRUE(p.capabilities.object_1_1);
  EXPECT_TRUE(p.capabilities.reboot_on_update);
  EXPECT_FALSE(p.capabilities.resumption);
  EXPECT_EQ(p.capabilities.max_package_size, 1048576u);
  const std::vector<std::uint16_t> formats{11542, 110, 42, 0, 40};
  EXPECT_EQ(p.capabilities.content_formats, formats);

  EXPECT_EQ(p.packages.format, PackageFormat::Anjay);
  EXPECT_EQ(p.packages.version, "1.0.1");
  EXPECT_EQ(p.packages.image_size, 65536u);
  EXPECT_EQ(p.packages.signing_key, good_dir + "keys/signing.pem");
  EXPECT_TRUE(p.packages.files.empty());
}

TEST(GoodProfile, FullProfileFaults) {
  const Profile p = load_good("full.yaml");
  EXPECT_EQ(p.faults.out_of_ram.method, FaultMethod::Package);
  EXPECT_EQ(p.faults.out_of_ram.package, "force-error:1");
  EXPECT_EQ(p.faults.update_fails.method, FaultMethod::Package);
  EXPECT_EQ(p.faults.update_fails.package, "force-error:2");
  EXPECT_EQ(p.faults.flash_full.method, FaultMethod::Args);
  EXPECT_EQ(p.faults.flash_full.args, std::vector<std::string>{"--simulate-flash-full"});
  // The short form takes its command from adapter.hooks.inject.
  EXPECT_EQ(p.faults.power_loss.method, FaultMethod::Hook);
  EXPECT_EQ(p.faults.power_loss.hook, "relay-ctl cycle --after 2s");
}

TEST(GoodProfile, FullProfileTimingAndAdapter) {
  const Profile p = load_good("full.yaml");
  EXPECT_EQ(p.timing.coap.ack_timeout, Duration(2000));
  EXPECT_EQ(p.timing.coap.ack_random_factor, 1.5);
  EXPECT_EQ(p.timing.coap.max_retransmit, 4);
  EXPECT_EQ(p.timing.coap.nstart, 1);
  EXPECT_EQ(p.timing.link.latency, Duration(50));
  EXPECT_EQ(p.timing.link.bandwidth, 250000u);
  EXPECT_EQ(p.timing.scale, 2.0);
  EXPECT_EQ(p.timing.register_timeout, Duration(60000));
  EXPECT_EQ(p.timing.download_inactivity, Duration(30000));

  EXPECT_EQ(p.adapter.type, AdapterType::Process);
  EXPECT_EQ(p.adapter.process.command, good_dir + "bin/demo");
  const std::vector<std::string> args{"-t", "-e", "{endpoint}", "-u", "{server_uri}", "-l", "60",
                                      "--fw-updated-marker-path", "{workdir}/marker"};
  EXPECT_EQ(p.adapter.process.args, args);
  const std::map<std::string, std::string> env{{"ANJAY_LOG", "debug"}, {"WORKDIR", "{workdir}"}};
  EXPECT_EQ(p.adapter.process.env, env);
  EXPECT_EQ(p.adapter.process.stdin_mode, StdinMode::Closed);
  EXPECT_EQ(p.adapter.process.ready_pattern, "Firmware Update State change");
  EXPECT_EQ(p.adapter.hooks.power_off, "relay-ctl --port {case} off");
  EXPECT_EQ(p.adapter.hooks.power_on, "relay-ctl on");
  EXPECT_EQ(p.adapter.hooks.reset, "");
  EXPECT_EQ(p.adapter.hooks.timeout, Duration(10000));
  EXPECT_EQ(p.adapter.manual.instructions, "Not used with the process adapter.");
}

TEST(GoodProfile, MinimalProfileGetsDefaults) {
  const Profile p = load_good("minimal.yaml");
  EXPECT_EQ(p.device.endpoint, "dev-1");
  EXPECT_EQ(p.device.name, "");  // reports then call the device by its endpoint
  EXPECT_EQ(p.device.lwm2m_version, std::nullopt);
  EXPECT_EQ(p.device.firmware_object_version, FirmwareObjectVersion::FromRegistration);
  EXPECT_EQ(p.server.bind, "127.0.0.1");
  EXPECT_EQ(p.server.port, 0);
  EXPECT_EQ(p.server.security.mode, SecurityMode::NoSec);
  EXPECT_EQ(p.server.lifetime.min, std::nullopt);
  EXPECT_EQ(p.server.lifetime.max, std::nullopt);
  EXPECT_EQ(p.repository.host_for_device(), "127.0.0.1");
  EXPECT_TRUE(p.capabilities.pull.empty());
  EXPECT_FALSE(p.capabilities.push);
  EXPECT_EQ(p.capabilities.max_package_size, std::nullopt);
  EXPECT_EQ(p.packages.format, PackageFormat::Reference);
  EXPECT_EQ(p.packages.version, "2.0.0");
  EXPECT_EQ(p.packages.expected_version, "");  // /3/0/3 after an install: packages.version
  EXPECT_EQ(p.packages.image_size, 32768u);
  EXPECT_FALSE(p.faults.flash_full.supported());
  EXPECT_FALSE(p.faults.out_of_ram.supported());
  EXPECT_FALSE(p.faults.update_fails.supported());
  EXPECT_FALSE(p.faults.power_loss.supported());
  EXPECT_EQ(p.timing.coap.ack_timeout, Duration(2000));
  EXPECT_EQ(p.timing.coap.ack_random_factor, 1.5);
  EXPECT_EQ(p.timing.coap.max_retransmit, 4);
  EXPECT_EQ(p.timing.coap.nstart, 1);
  EXPECT_EQ(p.timing.link.latency, Duration(0));
  EXPECT_EQ(p.timing.link.bandwidth, std::nullopt);
  EXPECT_EQ(p.timing.scale, 1.0);
  EXPECT_EQ(p.timing.register_timeout, Duration(30000));
  EXPECT_EQ(p.timing.download_inactivity, std::nullopt);
  EXPECT_EQ(p.adapter.type, AdapterType::Manual);
  EXPECT_EQ(p.adapter.process.stdin_mode, StdinMode::Closed);
  EXPECT_EQ(p.adapter.hooks.timeout, Duration(30000));
}

}  // namespace
}  // namespace fc::profile
