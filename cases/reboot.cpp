// Reboot and persistence (TS Core E.6; reference §3.1 T9–T11, issue: State/Result persisted).
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Reboot : public FotaCase {
 protected:
  // State once it is no longer `passing`, read until the transition deadline: a device may
  // still be installing when it registers again. nullopt when it cannot be read.
  std::optional<std::int64_t> state_once_not(int passing) {
    auto now = try_read_firmware(FirmwareResource::State);
    for (Deadline deadline(run().deadlines().transition); now == passing && !deadline.passed();) {
      run().loop().run_for(Duration(200));
      now = try_read_firmware(FirmwareResource::State);
    }
    return now;
  }
};

// Reference §2.1: Downloading means a transfer is running; a device that boots with none
// comes up Idle.
FOTA_CASE(Reboot, IdleDeviceBootsIdle,
          id("FU-BOOT-001"), level(Level::Must), clause("TS Core E.6.1 (State 0: before any download)"),
          requirement("After a Reboot (/3/0/4) with no transfer running, State is 0")) {
  ASSERT_TRUE(reboot_device());
  expect_state(state::Idle);
}

// A downloaded package survives a reboot: the device comes back in Downloaded and can install.
FOTA_CASE(Reboot, DownloadedPackageSurvivesAReboot,
          id("FU-BOOT-002"), level(Level::Should), needs(Capability::Push),
          clause("TS Core E.6.1 (Downloaded: a complete image is stored)"),
          requirement("A device rebooted in State 2 comes back in State 2 and installs the package on Update")) {
  ASSERT_TRUE(push(package()).is(code::Changed));
  await_state(state::Downloaded);
  ASSERT_TRUE(reboot_device());
  expect_state(state::Downloaded);
  EXPECT_TRUE(execute_update().is(code::Changed));
  await_result(result::Success);
}

// A restart cuts a running pull. The device either resumes (State 1, reference §4.3, and the
// download then ends) or gives it up: Idle with Result 0, or 4 (connection lost) as the
// reference client does.
FOTA_CASE(Reboot, RestartDuringDownloadingEndsCleanly,
          id("FU-BOOT-003"), level(Level::Should), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (State 1: a download is running); reference 2.1, 3.1 T5"),
          requirement("A device rebooted in State 1 comes back in State 0 with Update Result 0 or 4, or in State 1 "
                      "with a download that then ends")) {
  auto uri = publish(package(), Scheme::Coap, "stall:block=2,for=4s");
  ASSERT_TRUE(pull(uri).is(code::Changed));
  await_state(state::Downloading);
  ASSERT_TRUE(reboot_device());
  auto now = read_firmware(FirmwareResource::State);
  ASSERT_TRUE(now);
  EXPECT_TRUE(*now == state::Idle || *now == state::Downloading) << "State " << *now << " after the reboot";
  // State 1 is only right while a download really runs: a resumed one ends, either way.
  Deadline deadline(run().deadlines().transition);
  while (now == std::optional<std::int64_t>(state::Downloading) && !deadline.passed()) {
    run().loop().run_for(Duration(100));
    now = read_firmware(FirmwareResource::State);
  }
  ASSERT_TRUE(now);
  EXPECT_NE(*now, state::Downloading) << "still State 1 " << run().deadlines().transition.count()
                                      << " ms after the reboot: no download behind it";
  if (*now == state::Idle) {
    auto after = read_firmware(FirmwareResource::UpdateResult);
    ASSERT_TRUE(after);
    EXPECT_TRUE(*after == result::Initial || *after == result::ConnectionLost)
        << "Update Result " << *after << " after a download cut by a reboot";
  }
}

// Reference §3.1 T9/T10 (and T11 for /5 1.1): an install cut by a power cycle either completes
// or rolls back; State 3 with no install behind it is the one wrong answer. A device may still
// be installing when it registers again, so State 3 is given the transition deadline to end.
FOTA_CASE(Reboot, RestartDuringUpdatingEndsInIdleOrRollsBack,
          id("FU-BOOT-004"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (State 3: installing); reference 3.1 T9, T10, T11, 3.5"),
          requirement("A device restarted in State 3 comes back in State 0 with Result 1 and the new /3/0/3, or rolls "
                      "back (State 2, or 0 in /5 1.1, with Result 8) to the old /3/0/3; it never stays in State 3")) {
  auto old_version = firmware_version();
  ASSERT_TRUE(pull(publish(package())).is(code::Changed));
  await_state(state::Downloaded);
  ASSERT_TRUE(execute_update().is(code::Changed));
  if (try_read_firmware(FirmwareResource::State) != std::optional<std::int64_t>(state::Updating))
    return inconclusive("State 3 (Updating) was over before the restart could be made");
  ASSERT_TRUE(restart_device());
  auto now = state_once_not(state::Updating);
  auto outcome = read_firmware(FirmwareResource::UpdateResult);
  ASSERT_TRUE(now && outcome) << "State or Update Result unreadable after the restart";
  const bool installed = *now == state::Idle && *outcome == result::Success;
  const bool rolled_back = *outcome == result::UpdateFailed &&
                           (*now == state::Downloaded || (*now == state::Idle && profile().capabilities.object_1_1));
  EXPECT_TRUE(installed || rolled_back) << "State " << *now << " with Update Result " << *outcome
                                        << " after a restart in Updating";
  EXPECT_EQ(firmware_version(), installed ? packages().installed_version() : old_version)
      << "/3/0/3 after " << (installed ? "the install" : "a rollback");
}

}  // namespace
}  // namespace fc::fixtures
