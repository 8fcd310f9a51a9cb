// Firmware Update object version 1.1 (TS Core 1.2 E.6; reference §1.2, §3.2 rule 9, §3.3):
// Cancel and Severity. No ETS case covers them; the expectations follow the object text and
// Anjay's tests. Resources 10-13 are Optional (reference §1.2): a case about one the device
// lacks ends not-tested (requires_resource), never failed.
#include <chrono>
#include <cstdlib>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Object11 : public FotaCase {
 protected:
  server::DmResponse cancel() { return device().execute(res::Cancel); }
  // Cancel is accepted: 2.04, then Update Result 10 and State 0 (T12).
  void cancel_is_accepted() {
    expect_code(cancel(), {code::Changed});
    await_result(UpdateResult::Cancelled);
    await_state(State::Idle);
  }
  server::DmResponse write_severity(std::int64_t value) {
    return device().write_value(res::Severity, lwm2m::Value(value));
  }
  // An optional integer resource read now: nullopt with `missing` set for 4.04, a finding
  // for any other non-answer.
  std::optional<std::int64_t> read_optional(const lwm2m::Path& path, bool& missing) {
    auto read = device().read(path);
    missing = read.is(code::NotFound);
    if (missing) return std::nullopt;
    if (!expect_code(read, {code::Content}) ||
        !expect_that(read.value(path).has_value(), "Read " + path.str(), "a value", read.describe()))
      return std::nullopt;
    return read.value(path)->as_int();
  }
  // Writes /5/0/13; TearDown puts back the value the first write replaced, so a deferral
  // allowed here does not defer the updates of later cases.
  server::DmResponse write_max_defer_period(std::int64_t seconds) {
    if (!defer_period_before_) {
      auto read = device().read(res::MaximumDeferPeriod);
      if (read.ok() && read.value(res::MaximumDeferPeriod))
        defer_period_before_ = read.value(res::MaximumDeferPeriod)->as_int();
    }
    return device().write_value(res::MaximumDeferPeriod, lwm2m::Value(seconds));
  }
  void TearDown() override {
    if (defer_period_before_) device().write_value(res::MaximumDeferPeriod, lwm2m::Value(*defer_period_before_));
    FotaCase::TearDown();
  }

 private:
  std::optional<std::int64_t> defer_period_before_;
};

// Reference §3.1 T12: Cancel while the package is still coming in.
FOTA_CASE(Object11, CancelInDownloading,
          id("FU-V11-CANCEL-DL"), level(Level::Must), needs(Capability::Object11, Capability::PullCoap),
          clause("object 5 v1.1 resource 10 (Cancel); reference 3.1 T12, 3.2 rule 9"),
          requirement("Execute /5/0/10 in Downloading answers 2.04 and ends in State 0 with Update Result 10")) {
  if (!requires_resource(res::Cancel)) return;
  if (!expect_code(pull(publish(package(), Scheme::Coap, "stall:block=1,for=3s")), {code::Changed})) return;
  await_state(State::Downloading);
  cancel_is_accepted();
}

FOTA_CASE(Object11, CancelInDownloaded,
          id("FU-V11-CANCEL-02"), level(Level::Must), needs(Capability::Object11, Capability::PullCoap),
          clause("object 5 v1.1 resource 10 (Cancel); reference 3.1 T12, 3.2 rule 9"),
          requirement("Execute /5/0/10 in Downloaded answers 2.04 and ends in State 0 with Update Result 10")) {
  if (!requires_resource(res::Cancel)) return;
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  cancel_is_accepted();
}

// Reference §3.2 rule 9 [I Anjay]: nothing to cancel in Idle.
FOTA_CASE(Object11, CancelInIdleIsRefused,
          id("FU-V11-CANCEL-00"), level(Level::Should), needs(Capability::Object11),
          clause("object 5 v1.1 resource 10 (Cancel); reference 3.2 rule 9"),
          requirement("Execute /5/0/10 in Idle answers 4.05; State stays 0 and Update Result unchanged")) {
  if (!requires_resource(res::Cancel)) return;
  expect_code(cancel(), {code::MethodNotAllowed});
  expect_state(State::Idle);
  expect_result_unchanged();
}

// Reference §3.2 rule 9, §3.3 [P]: once installation has started Cancel is refused. The Cancel
// follows the Update's 2.04 at once, so it meets Updating (or, at the latest, the installed
// image: 4.05 as well); the install then completes.
FOTA_CASE(Object11, CancelInUpdatingIsRefused,
          id("FU-V11-CANCEL-03"), level(Level::Must), needs(Capability::Object11, Capability::PullCoap),
          acts_in(Phase::Updating),
          clause("object 5 v1.1 resource 10 (Cancel); reference 3.2 rule 9, 3.3"),
          requirement("Execute /5/0/10 right after Update (Updating) answers 4.05 and the update still succeeds")) {
  if (!requires_resource(res::Cancel)) return;
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  auto answer = cancel();
  if (!answer.delivered) return not_tested("the device restarted (installing) before it answered the Cancel");
  expect_code(answer, {code::MethodNotAllowed}, "right after Update answered 2.04");
  await_result(UpdateResult::Success);
  await_state(State::Idle);
}

// Object 5 v1.1 resource 11: Severity 0 (critical) .. 2 (optional), RW.
FOTA_CASE(Object11, SeverityInRangeIsAccepted,
          id("FU-V11-SEV-01"), level(Level::Must), needs(Capability::Object11),
          clause("object 5 v1.1 resource 11 (Severity: 0..2, RW)"),
          requirement("Writes of Severity 0, 1 and 2 answer 2.04 and read back")) {
  if (!requires_resource(res::Severity)) return;
  for (std::int64_t severity : {0, 1, 2}) {
    expect_code(write_severity(severity), {code::Changed}, "with " + std::to_string(severity));
    auto read = read_value(res::Severity);
    if (!read) return;
    expect_equal("Read /5/0/11 after writing " + std::to_string(severity), severity, read->as_int());
  }
}

// Reference §3.3 [I Anjay]: a value outside 0..2 is a bad request.
FOTA_CASE(Object11, SeverityOutOfRangeIsRefused,
          id("FU-V11-SEV-02"), level(Level::Should), needs(Capability::Object11),
          clause("object 5 v1.1 resource 11 (Severity: 0..2); reference 3.3"),
          requirement("A Write of Severity 3 answers 4.00 and the previous Severity stays")) {
  if (!requires_resource(res::Severity)) return;
  if (!expect_code(write_severity(1), {code::Changed}, "with 1")) return;
  expect_code(write_severity(3), {code::BadRequest}, "with 3 (outside 0..2)");
  auto read = read_value(res::Severity);
  if (!read) return;
  expect_equal("Read /5/0/11 after the refused Write of 3", 1, read->as_int());
}

// Object 5 v1.1 resource 12 (optional): the device writes the time before it changes State.
// The case waits over a second first so that a clock in whole seconds must move; a device
// whose value instead matches the suite's clock at the change (within a few seconds) passes
// too. Not implemented (optional): not-tested.
FOTA_CASE(Object11, LastStateChangeTimeFollowsStateChanges,
          id("FU-V11-LSCT-01"), level(Level::Must), needs(Capability::Object11, Capability::PullCoap),
          clause("object 5 v1.1 resource 12 (Last State Change Time, written before each State change)"),
          requirement("/5/0/12, when implemented, is later after State goes 0, 1, 2 than before it, or equals the "
                      "time of that change")) {
  if (!requires_resource(res::LastStateChangeTime)) return;
  bool missing = false;
  auto before = read_optional(res::LastStateChangeTime, missing);
  if (!before) {
    if (missing) expect_that(false, "Read /5/0/12", "a time (Discover lists /5/0/12)", "4.04 Not Found");
    return;
  }  // read_optional recorded why
  run().loop().run_for(Duration(1100));
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  auto changed_at = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
  auto after = read_optional(res::LastStateChangeTime, missing);
  if (!after) {  // any other non-answer is already a finding of read_optional
    if (missing)
      expect_that(false, "Read /5/0/12 after State changed", "a time, as before the change", "4.04 Not Found");
    return;
  }
  measure("Last State Change Time /5/0/12", std::to_string(*before) + " -> " + std::to_string(*after) +
                                                " (suite clock " + std::to_string(changed_at) + ")");
  expect_that(*after > *before || std::abs(*after - changed_at) <= 5, "Read /5/0/12 after State went 0, 1, 2",
              "later than " + std::to_string(*before) + " (before the change) or within 5 s of the suite clock " +
                  std::to_string(changed_at),
              std::to_string(*after));
}

// Object 5 v1.1 resource 13: an unsigned number of seconds, RW; reference §3.3 [I Anjay]: a
// negative value is a bad request and leaves the stored value. Not implemented (optional): not-tested.
FOTA_CASE(Object11, MaximumDeferPeriodTakesUnsignedValues,
          id("FU-V11-DEFER-01"), level(Level::Should), needs(Capability::Object11),
          clause("object 5 v1.1 resource 13 (Maximum Defer Period: unsigned, RW); reference 3.3"),
          requirement("/5/0/13, when implemented, takes 0 and 3600 (2.04, read back) and answers 4.00 to -1, "
                      "keeping 3600")) {
  if (!requires_resource(res::MaximumDeferPeriod)) return;
  auto first = write_max_defer_period(0);
  expect_code(first, {code::Changed}, "with 0");
  bool missing = false;
  expect_equal("Read /5/0/13 after writing 0", 0, read_optional(res::MaximumDeferPeriod, missing));
  expect_code(write_max_defer_period(3600), {code::Changed}, "with 3600");
  expect_equal("Read /5/0/13 after writing 3600", 3600, read_optional(res::MaximumDeferPeriod, missing));
  expect_code(write_max_defer_period(-1), {code::BadRequest}, "with -1 (negative)");
  expect_equal("Read /5/0/13 after the refused Write of -1", 3600, read_optional(res::MaximumDeferPeriod, missing));
}

// Object 5 v1.1 State text; reference §3.1 T13, T14, §2.2 (Result 11: State stays 2): a user
// may defer an Update, for at most Maximum Defer Period, after which the device installs
// without asking. Whether anyone defers is the device's user's choice: a device that installs
// at once is inconclusive here.
FOTA_CASE(Object11, DeferredUpdateStaysDownloadedThenInstalls,
          id("FU-V11-DEFER-02"), level(Level::Must), needs(Capability::Object11, Capability::PullCoap),
          clause("object 5 v1.1 resources 2, 5 (Result 11), 13 (Maximum Defer Period); reference 2.2, 3.1 T13, T14"),
          requirement("A deferred Update answers 2.04 and leaves State 2 with Update Result 11; with /5/0/13 = 1 s the "
                      "device installs by itself afterwards (State 0, Result 1)")) {
  if (!requires_resource(res::MaximumDeferPeriod)) return;
  // 1 s, the shortest period that still allows a deferral (0 forbids it): the case waits it out.
  auto period = write_max_defer_period(1);
  if (!expect_code(period, {code::Changed}, "with 1")) return;
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  const auto before = read_firmware(FirmwareResource::UpdateResult);
  if (!expect_code(execute_update(), {code::Changed})) return;
  // Settled on the first new Result: a device that installs at once ends the wait there.
  auto settled = await_match(FirmwareResource::UpdateResult, [&](std::int64_t v) { return v != 0 && v != before; });
  if (settled != to_int(UpdateResult::Deferred))
    return not_tested("the device did not defer the Update (no user deferred it; deferral is the user's): Update Result went " +
                      (settled ? lwm2m::firmware::describe_update_result(*settled) : std::string("nowhere new")));
  // State 2 while deferred; 3 only if the user accepted at once (T14).
  auto now = read_firmware(FirmwareResource::State);
  expect_that(now == to_int(State::Downloaded) || now == to_int(State::Updating),
              "Read /5/0/3 with Update Result 11 (Deferred)", "State 2 (Downloaded), kept by T13, or 3 (Updating)",
              now ? lwm2m::firmware::describe_state(*now) : "no State");
  await_result(UpdateResult::Success);
  await_state(State::Idle);
  expect_sequence(FirmwareResource::UpdateResult, {to_int(UpdateResult::Deferred), to_int(UpdateResult::Success)});
}

}  // namespace
}  // namespace fc::fixtures
