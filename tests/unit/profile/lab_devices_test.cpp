// `devices:`: several lab devices in one profile, each overriding only what differs per board.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "scratch_dir.h"
#include "suite/profile/lab_devices.h"
#include "suite/profile/loader.h"
#include "suite/profile/validate.h"

namespace fc::profile {
namespace {

// What every device of the lab shares; the entries below add their own part.
const std::string shared = R"(device:
  name: Acme T1
  endpoint: "acme-{run}"
capabilities:
  pull: [coap]
  push: true
timing:
  scale: 2
adapter:
  type: hooks
  hooks:
    reset: "echo shared-reset"
    timeout: 1m
)";

std::string problems_text(const ProfileLoad& load) {
  std::string out;
  for (const auto& p : load.problems) out += p.str() + "\n";
  return out;
}

TEST(LabDevices, EachEntryIsTheSharedProfileWithItsOwnOverrides) {
  ScratchDir dir;
  auto file = dir.write("lab.yaml", shared + R"(devices:
  - name: rig-a
    device: {endpoint: board-a}
    adapter:
      hooks:
        reset: "relay a"
        log_start: "exec cat /dev/ttyACM0"
    server:
      port: 5701
      security: {mode: psk, psk: {identity: board-a, key: "0011"}}
  - name: rig-b
    device: {endpoint_pattern: "board-b-[0-9]+"}
    server: {port: 5702}
  - name: sim
    adapter:
      type: process
      process: {command: "/bin/true", args: ["{endpoint}"]}
)");
  const ProfileLoad load = load_profile(file);
  ASSERT_TRUE(load.ok()) << problems_text(load);
  ASSERT_EQ(load.lab_devices.size(), 3u);
  const Profile& a = load.lab_devices[0];
  const Profile& b = load.lab_devices[1];
  const Profile& sim = load.lab_devices[2];
  EXPECT_EQ(a.lab_device, "rig-a");
  EXPECT_EQ(a.device.endpoint, "board-a");
  EXPECT_EQ(a.adapter.hooks.reset, "relay a");
  EXPECT_EQ(a.adapter.hooks.log_start, "exec cat /dev/ttyACM0");
  EXPECT_EQ(a.adapter.hooks.timeout, Duration(60'000));  // a sibling key of the shared hooks stays
  EXPECT_EQ(a.server.port, 5701);
  EXPECT_EQ(a.server.security.mode, SecurityMode::Psk);
  EXPECT_EQ(a.server.security.psk.identity, "board-a");
  // An entry's endpoint_pattern replaces the shared endpoint (not "give either, not both").
  EXPECT_EQ(b.device.endpoint, "");
  EXPECT_EQ(b.device.endpoint_pattern, "board-b-[0-9]+");
  EXPECT_EQ(b.adapter.hooks.reset, "echo shared-reset");
  EXPECT_EQ(b.server.security.mode, SecurityMode::NoSec);
  EXPECT_EQ(sim.device.endpoint, "acme-{run}");
  EXPECT_EQ(sim.adapter.type, AdapterType::Process);
  for (const Profile* p : {&a, &b, &sim}) {  // shared
    EXPECT_EQ(p->device.name, "Acme T1");
    EXPECT_TRUE(p->capabilities.push);
    EXPECT_EQ(p->timing.scale, 2.0);
    EXPECT_EQ(p->source, file);
  }
  // The profile of a run: the first entry, or the one asked for.
  EXPECT_EQ(load.profile->lab_device, "rig-a");
  LoadOptions options;
  options.lab_device = "sim";
  auto selected = load_profile(file, options);
  ASSERT_TRUE(selected.ok()) << problems_text(selected);
  EXPECT_EQ(selected.profile->lab_device, "sim");
  EXPECT_EQ(selected.profile->adapter.type, AdapterType::Process);
}

TEST(LabDevices, AnUnknownLabDeviceOrOneForAProfileWithoutTheListIsAProblem) {
  ScratchDir dir;
  auto lab = dir.write("lab.yaml", shared + "devices:\n  - name: rig-a\n  - name: rig-b\n");
  LoadOptions options;
  options.lab_device = "rig-c";
  auto load = load_profile(lab, options);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("lab.yaml:14:1: devices: --lab-device rig-c: no such lab device; the profile "
                                     "lists rig-a, rig-b"),
            std::string::npos)
      << problems_text(load);
  auto single = dir.write("one.yaml", shared);
  load = load_profile(single, options);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("--lab-device rig-c: the profile lists no lab devices"), std::string::npos);
}

TEST(LabDevices, ProblemsNameTheFileTheEntryAndTheField) {
  ScratchDir dir;
  auto file = dir.write("lab.yaml", shared + R"(devices:
  - name: rig-a
    adapter:
      hooks:
        power_on: "relay on"
    capabilities: {push: false}
    server: {transport: tcp}
  - device: {endpoint: x}
  - name: "rig a"
  - name: rig-a
  - name: rig-d
    adapter: {hooks: {timeout: soon}}
  - just-a-name
)");
  const ProfileLoad load = load_profile(file);
  ASSERT_FALSE(load.ok());
  const std::string text = problems_text(load);
  // power_on without power_off: inside the entry, named by it.
  EXPECT_NE(text.find("lab.yaml:18:19: devices[0].adapter.hooks.power_on: lab device rig-a: needs "
                      "adapter.hooks.power_off too"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.yaml:19:5: devices[0].capabilities: is shared by every lab device: write it outside "
                      "devices:"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.yaml:20:14: devices[0].server.transport: is shared by every lab device"), std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.yaml:21:5: devices[1].name: required key is missing"), std::string::npos) << text;
  EXPECT_NE(text.find("lab.yaml:22:11: devices[2].name: expected letters, digits"), std::string::npos) << text;
  EXPECT_NE(text.find("lab.yaml:23:11: devices[3].name: \"rig-a\" is the name of devices[0] too"), std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.yaml:25:32: devices[4].adapter.hooks.timeout: lab device rig-d: "), std::string::npos)
      << text;
  EXPECT_NE(text.find("lab.yaml:26:5: devices[5]: expected a map"), std::string::npos) << text;

  // `fotacheck validate` prints the same lines.
  std::ostringstream out;
  EXPECT_EQ(run_validate(file, out), 2);
  EXPECT_NE(out.str().find("devices[4].adapter.hooks.timeout"), std::string::npos) << out.str();
}

TEST(LabDevices, DevicesThatRunSideBySideCannotShareAFixedPort) {
  ScratchDir dir;
  auto file = dir.write("lab.yaml", shared + R"(server: {port: 5683}
devices:
  - name: rig-a
  - name: rig-b
    server: {port: 5690}
    repository: {coap_port: 5683}
)");
  const ProfileLoad load = load_profile(file);
  ASSERT_FALSE(load.ok());
  const std::string text = problems_text(load);
  EXPECT_NE(text.find("lab.yaml:17:5: devices[1].repository.coap_port: lab device rig-b: port 5683 is also the "
                      "server.port of devices[0] (rig-a)"),
            std::string::npos)
      << text;
}

// A file the shared part names is the shared part's problem: reported once, as written.
TEST(LabDevices, AMissingSharedFileIsReportedOnceNotPerDevice) {
  ScratchDir dir;
  auto file = dir.write("lab.yaml", shared + "packages: {signing_key: absent.pem}\ndevices: [{name: a}, {name: b}]\n");
  const ProfileLoad load = load_profile(file, run_options());
  ASSERT_EQ(load.problems.size(), 1u) << problems_text(load);
  EXPECT_EQ(load.problems[0].key_path, "packages.signing_key");
  EXPECT_EQ(load.problems[0].message.find("lab device"), std::string::npos) << problems_text(load);
}

TEST(LabDevices, TheManualAdapterAndAnEmptyListAreRefused) {
  ScratchDir dir;
  auto manual = dir.write("manual.yaml", shared + "devices:\n  - name: rig-a\n    adapter: {type: manual}\n");
  auto load = load_profile(manual);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("manual.yaml:16:21: devices[0].adapter.type: lab device rig-a: a lab device "
                                     "runs alongside the others"),
            std::string::npos)
      << problems_text(load);
  auto empty = dir.write("empty.yaml", shared + "devices: []\n");
  load = load_profile(empty);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("empty.yaml:14:10: devices: expected a list of lab devices, each a map with its name and what differs"), std::string::npos)
      << problems_text(load);
}

TEST(LabDevices, EntriesMayGiveTheWholeAdapterWhenTheSharedPartHasNone) {
  ScratchDir dir;
  auto file = dir.write("lab.yaml", R"(device: {endpoint: "b-{run}"}
devices:
  - name: one
    adapter: {type: hooks, hooks: {reset: "relay 1"}}
  - name: two
    adapter: {type: hooks, hooks: {power_on: "relay 2 on", power_off: "relay 2 off"}}
)");
  auto load = load_profile(file);
  ASSERT_TRUE(load.ok()) << problems_text(load);
  ASSERT_EQ(load.lab_devices.size(), 2u);
  EXPECT_EQ(load.lab_devices[1].adapter.hooks.reset, "");
  // ...but one that leaves the device without a way to start is the entry's problem.
  file = dir.write("bad.yaml", R"(device: {endpoint: "b-{run}"}
devices:
  - name: one
    adapter: {type: hooks, hooks: {reset: "relay 1"}}
  - name: two
    adapter: {type: hooks, hooks: {flash: "flash 2"}}
)");
  load = load_profile(file);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("devices[1].adapter.hooks.reset: lab device two: required when adapter.type is "
                                     "hooks"),
            std::string::npos)
      << problems_text(load);
  std::ostringstream out;
  EXPECT_EQ(run_validate(dir.write("ok.yaml", R"(device: {endpoint: "b-{run}"}
adapter: {type: hooks, hooks: {reset: "relay"}}
devices: [{name: one}, {name: two, device: {endpoint: b2}}]
)"),
                         out),
            0);
  EXPECT_NE(out.str().find("profile OK: 2 lab devices\n  one: endpoint \"b-{run}\", adapter hooks\n  two: endpoint "
                           "\"b2\", adapter hooks\n  shared: security nosec"),
            std::string::npos)
      << out.str();
}

TEST(LabDevices, LinkPresetFromTheCommandLineKeepsTheKeysNextToIt) {
  ScratchDir dir;
  auto file = dir.write("p.yaml", R"(device: {endpoint: "b-{run}"}
adapter: {type: hooks, hooks: {reset: "relay"}}
timing:
  link: {preset: ltem, seed: 7}
)");
  LoadOptions options;
  options.link_preset = "nbiot";
  auto load = load_profile(file, options);
  ASSERT_TRUE(load.ok()) << problems_text(load);
  EXPECT_EQ(load.profile->timing.link.preset, LinkPreset::NbIot);
  EXPECT_EQ(load.profile->timing.link.latency, link_preset(LinkPreset::NbIot).latency);
  EXPECT_EQ(load.profile->timing.link.seed, 7u);
  auto plain = dir.write("plain.yaml", "device: {endpoint: x}\nadapter: {type: hooks, hooks: {reset: r}}\n");
  load = load_profile(plain, options);
  ASSERT_TRUE(load.ok()) << problems_text(load);
  EXPECT_EQ(load.profile->timing.link.preset, LinkPreset::NbIot);
  options.link_preset = "5g";
  load = load_profile(plain, options);
  ASSERT_FALSE(load.ok());
  EXPECT_NE(problems_text(load).find("timing.link.preset: expected one of none, nbiot, ltem, got \"5g\""),
            std::string::npos)
      << problems_text(load);
}

}  // namespace
}  // namespace fc::profile
