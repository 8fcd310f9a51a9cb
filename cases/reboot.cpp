// Reboot and persistence (TS Core E.6; reference §3.1 T9–T11, issue: State/Result persisted).
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_state;
using lwm2m::firmware::describe_update_result;

class Reboot : public FotaCase {
 protected:
  // The failed delivery ends in State 0 with a failure Result; after a Reboot in Idle that
  // Result is still there, and the Package URI `written` (a pull's) reads as written or empty.
  void expect_failure_stands_across_a_reboot(const std::optional<std::string>& written) {
    const auto failure = await_failure_result();
    if (!failure || !await_state(State::Idle)) return;
    if (!reboot_device()) return;
    expect_state(State::Idle);
    expect_equal("Read /5/0/5 after the Reboot", *failure, read_firmware(FirmwareResource::UpdateResult));
    if (!written) return;
    if (auto standing = read_value(res::PackageUri))
      expect_that(standing->as_string() == *written || standing->as_string().empty(), "Read /5/0/1 after the Reboot",
                  "the URI written before (" + *written + ") or an empty string", "\"" + standing->as_string() + "\"");
  }
  // State once it is no longer `passing`, read until the transition deadline: a device may
  // still be installing or downloading when it registers again. nullopt with a finding (that
  // `wanted` did not come) when it stays or cannot be read.
  std::optional<std::int64_t> state_once_not(State passing, std::string wanted) {
    auto now = await_read(
        res::State, [passing](const lwm2m::Value& v) { return v.as_int() != to_int(passing); }, std::move(wanted));
    return now ? std::optional(now->as_int()) : std::nullopt;
  }
};

// Reference §2.1: Downloading means a transfer is running; a device that boots with none
// comes up Idle.
FOTA_CASE(Reboot, IdleDeviceBootsIdle,
          id("FU-BOOT-001"), level(Level::Must), clause("TS Core E.6.1 (State 0: before any download)"),
          requirement("After a Reboot (/3/0/4) with no transfer running, State is 0")) {
  if (!reboot_device()) return;
  expect_state(State::Idle);
}

// A downloaded package survives a reboot: the device comes back in Downloaded and can install.
FOTA_CASE(Reboot, DownloadedPackageSurvivesAReboot,
          id("FU-BOOT-002"), level(Level::Should), needs(Capability::Push),
          clause("TS Core E.6.1 (Downloaded: a complete image is stored)"),
          requirement("A device rebooted in State 2 comes back in State 2 and installs the package on Update")) {
  if (!expect_code(push(package()), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!reboot_device()) return;
  expect_state(State::Downloaded);
  expect_code(execute_update(), {code::Changed});
  await_result(UpdateResult::Success);
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
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_state(State::Downloading);
  if (!reboot_device()) return;
  auto now = read_firmware(FirmwareResource::State);
  if (!now) return;
  expect_that(*now == to_int(State::Idle) || *now == to_int(State::Downloading), "Read /5/0/3 after the Reboot",
              "State 0 (Idle) or 1 (Downloading)", describe_state(*now));
  // State 1 is only right while a download really runs: a resumed one ends, either way.
  if (*now == to_int(State::Downloading))
    now = state_once_not(State::Downloading, "State 1 (Downloading) to end: a download runs behind it");
  if (now == to_int(State::Idle)) {
    auto after = read_firmware(FirmwareResource::UpdateResult);
    if (!after) return;
    expect_that(*after == to_int(UpdateResult::Initial) || *after == to_int(UpdateResult::ConnectionLost),
                "Read /5/0/5 after a download cut by a Reboot", "Update Result 0 (Initial) or 4 (Connection lost)",
                describe_update_result(*after));
  }
}

// Reference §3.1 T9/T10 (and T11 for /5 1.1): an install cut by a power cycle either completes
// or rolls back; State 3 with no install behind it is the one wrong answer. A device may still
// be installing when it registers again, so State 3 is given the transition deadline to end.
// The restart comes right after the Update's 2.04, whether or not State 3 can be read.
FOTA_CASE(Reboot, RestartDuringUpdatingEndsInIdleOrRollsBack,
          id("FU-BOOT-004"), level(Level::Must), needs(Capability::PullCoap), acts_in(Phase::Updating),
          clause("TS Core E.6.1 (State 3: installing); reference 3.1 T9, T10, T11, 3.5"),
          requirement("A device restarted right after the Update's 2.04 (State 3) comes back in State 0 with Result 1 and the new /3/0/3, rolls "
                      "back (State 2, or 0 in /5 1.1, with Result 8) to the old /3/0/3, or, the install not begun, stands in State 2 "
                      "with Result 0 and installs on a new Update, or, the install lost, runs the old /3/0/3 in State 0 with "
                      "Result 0; it never stays in State 3")) {
  auto old_version = firmware_version();
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  // The restart follows the Update's 2.04 at once: the device is installing whether or not a
  // Read shows State 3 (it may never be visible, reference §3.5). A device whose install was
  // already over is judged on the same outcomes, which are still the right ones.
  const auto seen = try_read_firmware(FirmwareResource::State);
  if (seen != to_int(State::Updating))
    measure("State 3 (Updating)", "not visible after the Update's 2.04: a Read showed " +
                                      (seen ? describe_state(*seen) : std::string("no State")));
  if (!restart_device()) return;
  auto now = state_once_not(State::Updating, "State 3 (Updating) to end after the restart: installed or rolled back");
  auto outcome = read_firmware(FirmwareResource::UpdateResult);
  if (!now || !outcome) return;
  // Power lost before the install began: the package still stands in State 2 with Result 0.
  // No row of reference §3.1 covers a restart in State 3 and TS Core E.6.1 does not ask for a
  // failure Result then, so this is legal as long as the package really stands: a new Update
  // must install it (Anjay's demo does this when restarted right after the Update's 2.04).
  if (*now == to_int(State::Downloaded) && *outcome == to_int(UpdateResult::Initial)) {
    measure("restart in State 3", "came back in State 2 with Update Result 0: the install had not begun");
    if (!expect_code(execute_update(), {code::Changed}, "(a second Update, after the restart)")) return;
    if (!await_result(UpdateResult::Success)) return;
    await_state(State::Idle);
    expect_equal("Read /3/0/3 after the second Update", installed_version(), firmware_version());
    return;
  }
  // Power lost with the install under way, and the package with it: the old image runs in
  // State 0 with Result 0. No clause asks for Result 8 after a power cycle, and /3/0/3 tells
  // the server nothing was installed (Anjay's demo, restarted in the middle of its install).
  if (*now == to_int(State::Idle) && *outcome == to_int(UpdateResult::Initial)) {
    measure("restart in State 3", "came back in State 0 with Update Result 0: the install and its package were lost");
    expect_equal("Read /3/0/3 after an install lost with the restart", old_version, firmware_version());
    return;
  }
  const bool installed = *now == to_int(State::Idle) && *outcome == to_int(UpdateResult::Success);
  const bool rolled_back = *outcome == to_int(UpdateResult::UpdateFailed) &&
                           (*now == to_int(State::Downloaded) ||
                            (*now == to_int(State::Idle) && profile().capabilities.object_1_1));
  expect_that(installed || rolled_back, "State and Update Result after a restart in State 3 (Updating)",
              "State 0 with Update Result 1 (installed), or Update Result 8 with State 2 (or 0 on /5 1.1)",
              describe_state(*now) + " with " + describe_update_result(*outcome));
  expect_equal(std::string("Read /3/0/3 after ") + (installed ? "the install" : "a rollback"),
               installed ? installed_version() : old_version, firmware_version());
}

// Reference §3.2 rule 1: Update Result keeps its value in Idle until a download or an update
// starts, or a reset; a Reboot (/3/0/4) is none of these, so the failure stays readable for a
// server that was away. SHOULD, not MUST: no clause says the value outlives a power cycle, and
// Anjay 3.14 (a mature client) comes back with 0. Package URI: nothing says whether it survives, so the URI written and
// an empty one are both right.
FOTA_CASE(Reboot, ErrorResultStandsAcrossAReboot,
          id("FU-BOOT-005"), level(Level::Should), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result: reset to 0 when a download or update starts); reference 3.2 rule 1"),
          requirement("After a failed download (Result 7) and a Reboot (/3/0/4) in State 0, State is 0, Update Result "
                      "is still the failure, and Package URI reads the URI written or empty")) {
  const auto uri = publish(package()) + "-missing";
  if (!expect_code(pull(uri), {code::Changed})) return;
  expect_failure_stands_across_a_reboot(uri);
}

FOTA_CASE(Reboot, PushErrorResultStandsAcrossAReboot,
          id("FU-BOOT-005-PUSH"), level(Level::Should), needs(Capability::Push),
          clause("TS Core E.6.1 (Update Result: reset to 0 when a download or update starts); reference 3.2 rule 1, 3.4"),
          requirement("After a pushed package with a foreign header (Result 6; the push answered anything, reference "
                      "3.4) and a Reboot (/3/0/4) in State 0, State is 0 and Update Result is still the failure")) {
  measure("push of a foreign package", push(package(forge::Variant::WrongMagic)).describe());
  expect_failure_stands_across_a_reboot(std::nullopt);
}

}  // namespace
}  // namespace fc::fixtures
