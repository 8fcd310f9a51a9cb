// The /5 state machine's rules beyond single transitions (TS Core E.6.1; reference §3.2): what
// a State refuses, what Update Result keeps, and where errors are reported.
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
  await_result(UpdateResult::IntegrityFailure);
  await_state(State::Idle);
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
// second Execute arrives is read first: a device whose Updating is over by then is inconclusive
// (the reference client's profile keeps State 3 for --install-time).
FOTA_CASE(StateMachine, UpdateInUpdatingIsRefused,
          id("FU-SM-772-UPD"), ets(772), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 772; reference 3.2 rule 3"),
          requirement("Execute /5/0/2 in Updating answers 4.05 and the install under way still ends in State 0 with "
                      "Result 1 and the new /3/0/3")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  if (try_read_firmware(FirmwareResource::State) != to_int(State::Updating))
    return inconclusive("State 3 (Updating) was over before a second Update could be sent");
  auto again = execute_update();
  if (!again.delivered) return inconclusive("the device restarted before it answered the second Update");
  expect_code(again, {code::MethodNotAllowed});
  await_result(UpdateResult::Success);
  await_state(State::Idle);
  expect_equal("Read /3/0/3 after the install", packages().installed_version(), firmware_version());
}

}  // namespace
}  // namespace fc::fixtures
