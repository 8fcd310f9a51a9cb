// The /5 state machine's rules beyond single transitions (TS Core E.6.1; reference §3.2): what
// a State refuses, what Update Result keeps, and where errors are reported.
#include <algorithm>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_state;
using lwm2m::firmware::describe_update_result;

class StateMachine : public FotaCase {
 protected:
  // A pull whose repository goes silent after the first block for a few seconds: the device
  // stays in Downloading meanwhile (how it ends, resumed or lost, is not this case's matter).
  std::string start_stalled_pull() {
    auto uri = publish(package(), Scheme::Coap, "stall:block=1,for=3s");
    expect_code(pull(uri), {code::Changed});
    await_state(State::Downloading);
    return uri;
  }
  // Update Result and State from one Read of /5/0 (ETS 772 step 1 reads the instance).
  std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>> read_instance() {
    auto response = device().read(res::Instance);
    expect_code(response, {code::Content});
    auto s = response.value(res::State), r = response.value(res::UpdateResult);
    return {s ? std::optional(s->as_int()) : std::nullopt, r ? std::optional(r->as_int()) : std::nullopt};
  }
};

// ETS 772 in Downloading (reference §3.2 rule 3): Update is executable only in Downloaded.
FOTA_CASE(StateMachine, UpdateInDownloadingIsRefused,
          id("FU-SM-772-DL"), ets(772), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 772; reference 3.2 rule 3"),
          requirement("Execute /5/0/2 in Downloading answers 4.05; State stays 1 and Update Result 0")) {
  start_stalled_pull();
  expect_code(execute_update(), {code::MethodNotAllowed});
  expect_state(State::Downloading);
  expect_result(UpdateResult::Initial);
}

// Reference §3.2 rule 1: Update Result keeps its last value while Idle until the next start
// or reset, and a Read of the instance shows it too.
FOTA_CASE(StateMachine, ErrorResultIsKeptInIdle,
          id("FU-SM-KEEP-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result); reference 3.2 rule 1"),
          requirement("After a failed download, Update Result 5 is still there a while later, in /5/0 and /5/0/5")) {
  if (!expect_code(pull(publish(package(forge::Variant::BitFlip))), {code::Changed})) return;
  // Result 5 at download, or at Update (T11): either way the device is Idle with Result 5 now.
  if (!await_integrity_failure()) return;
  run().loop().run_for(session().deadlines().operation);
  auto [s, r] = read_instance();
  expect_that(s == to_int(State::Idle), "Read /5/0 (State)", describe_state(to_int(State::Idle)),
              s ? describe_state(*s) : "no /5/0/3 in the answer");
  expect_that(r == to_int(UpdateResult::IntegrityFailure), "Read /5/0 (Update Result)",
              describe_update_result(to_int(UpdateResult::IntegrityFailure)),
              r ? describe_update_result(*r) : "no /5/0/5 in the answer");
  expect_result(UpdateResult::IntegrityFailure);
}

// TS Core E.6.1, reference §3.2 rule 5: the Write of the URI succeeded; that the repository
// then refuses the package is a download error, told through Update Result only.
FOTA_CASE(StateMachine, RepositoryErrorsGoOnlyThroughUpdateResult,
          id("FU-SM-RULE-05"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (errors only through Update Result); reference 3.2 rule 5, 3.1 T5"),
          requirement("A Package URI whose repository answers 5.03 is accepted with 2.04; the failure is an Update "
                      "Result in 2..9 and State 0")) {
  auto uri = publish(package(), Scheme::Coap, "error-at-block:0,code=5.03");
  expect_code(pull(uri), {code::Changed});
  await_state(State::Idle);
  auto failure = await_read(
      res::UpdateResult, [](const lwm2m::Value& v) { return v.as_int() != to_int(UpdateResult::Initial); },
      "an Update Result other than 0 (Initial) for the refused package");
  if (!failure) return;
  const auto result = failure->as_int();
  expect_that(result >= to_int(UpdateResult::NotEnoughFlash) && result <= to_int(UpdateResult::UnsupportedProtocol),
              "Read /5/0/5 after the repository answered 5.03", "a failure Update Result (2-9)",
              describe_update_result(result));
  expect_state(State::Idle);
}

// ETS 772 in Updating (reference §3.2 rule 3). Whether the install is still running when the
// second Execute arrives is read first. State 3 may never be visible (reference §3.5): the
// server then sees State 2 and cannot address Updating, so the case is not-tested. An install
// that already failed back to State 2 (Result 8) before the second Update arrived makes that
// Update legitimately 2.04 (T8 from Downloaded): that race is never held against the device.
FOTA_CASE(StateMachine, UpdateInUpdatingIsRefused,
          id("FU-SM-772-UPD"), ets(772), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 772; reference 3.2 rule 3"),
          requirement("Execute /5/0/2 in Updating answers 4.05 and the install under way still ends in State 0 with "
                      "Result 1 and the new /3/0/3")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  if (try_read_firmware(FirmwareResource::State) != to_int(State::Updating)) {
    // Let the install end before the next case, quietly: this case judges nothing of it.
    auto outcome = await_match(FirmwareResource::UpdateResult, [](std::int64_t v) { return v != 0; });
    if (outcome == to_int(UpdateResult::UpdateFailed))
      return inconclusive("the install failed (Update Result 8) before a second Update could be sent");
    return not_tested("State 3 (Updating) is never visible on this device (reference §3.5)");
  }
  auto again = execute_update();
  if (!again.delivered)
    return not_tested("the device restarted (its install in State 3) before it answered the second Update");
  if (again.is(code::Changed)) {
    // Refused or not depends on the State the second Update met. Notifications of a failed
    // install (State 2, Result 8) may trail the 2.04 by a moment.
    run().loop().run_for(session().deadlines().operation);
    (void)notified(FirmwareResource::UpdateResult);  // takes in what arrived meanwhile
    const auto results = timeline().values(FirmwareResource::UpdateResult);
    const auto states = timeline().values(FirmwareResource::State);
    const auto updating = std::find(states.begin(), states.end(), to_int(State::Updating));
    const bool left_updating =
        std::find(results.begin(), results.end(), to_int(UpdateResult::UpdateFailed)) != results.end() ||
        (updating != states.end() && std::find(updating, states.end(), to_int(State::Downloaded)) != states.end());
    if (left_updating)
      return not_tested("the install had failed back to State 2 (Update Result 8) when the second Update "
                          "arrived; 2.04 is right there (T8)");
  }
  expect_code(again, {code::MethodNotAllowed}, "in State 3 (Updating)");
  await_result(UpdateResult::Success);
  await_state(State::Idle);
  expect_equal("Read /3/0/3 after the install", installed_version(), firmware_version());
}

// Reference §3.2 rule 4 (an operation the state machine does not define, a second delivery
// while one runs, SHOULD be rejected) and §3.4 (any 4.xx/5.xx on a refused block; a busy
// device may answer 5.03, RFC 7252 §5.9.3.4). Whatever the device answers the push, the pull
// it is running must end as it would have: State 2 with Update Result 0.
FOTA_CASE(StateMachine, PushDuringAPullLeavesThePullIntact,
          id("FU-SM-BUSY-01"), level(Level::Must), needs(Capability::PullCoap, Capability::Push),
          clause("TS Core E.6.1 (T4); reference 3.2 rule 4, 3.4; RFC 7252 5.9.3.4 (5.03)"),
          requirement("A push started while a pull is downloading is refused with any 4.xx/5.xx (5.03 included) or "
                      "taken whole, and the device still ends in State 2 with Update Result 0")) {
  // Slowed, not stalled: a stall long enough to push in may make the device give the pull up
  // (Result 4), which is not this case's matter. 100 ms each way per block keeps a package of
  // a few dozen blocks downloading for seconds, far from any CoAP retransmission.
  const auto uri = publish(package(), Scheme::Coap, "delay:100ms");
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_state(State::Downloading);
  if (try_read_firmware(FirmwareResource::State) != to_int(State::Downloading))
    return not_tested("the pull left State 1 (Downloading) before a push could be started (a fast device may)");
  auto write = push(package());
  measure("push answered during the pull", write.describe());
  const bool refused = write.delivered && write.code.cls >= 4;
  expect_that(refused || write.is(code::Changed), "Write /5/0/0 (push) while a pull is downloading",
              "4.xx/5.xx (refused, reference 3.4), or 2.04 (taken whole)", write.describe());
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
  if (refused)
    expect_that(counters_of(uri).completed >= 1, "The pull after the refused push",
                "the package served through its last byte", "the pull never completed");
}

}  // namespace
}  // namespace fc::fixtures
