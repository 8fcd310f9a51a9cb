// Reboot and persistence (TS Core E.6; reference §3.1 T9–T11, issue: State/Result persisted).
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

FOTA_AREA(Reboot);

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

}  // namespace
}  // namespace fc::fixtures
