// The /5 state machine's rules beyond single transitions (TS Core E.6.1; reference §3.2): what
// a State refuses, what Update Result keeps, and where errors are reported.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class StateMachine : public FotaCase {
 protected:
  // A pull whose repository goes silent after the first block for a few seconds: the device
  // stays in Downloading meanwhile (how it ends, resumed or lost, is not this case's matter).
  std::string start_stalled_pull() {
    auto uri = publish(package(), Scheme::Coap, "stall:block=1,for=3s");
    EXPECT_TRUE(pull(uri).is(code::Changed));
    await_state(state::Downloading);
    return uri;
  }
  // Update Result and State from one Read of /5/0 (ETS 772 step 1 reads the instance).
  std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>> read_instance() {
    auto response = device().read(res::Instance);
    EXPECT_TRUE(response.ok()) << "Read /5/0: " << response.describe();
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
  auto response = execute_update();
  EXPECT_TRUE(response.is(code::MethodNotAllowed)) << response.describe();
  expect_state(state::Downloading);
  expect_result(result::Initial);
}

// Reference §3.2 rule 1: Update Result keeps its last value while Idle until the next start
// or reset, and a Read of the instance shows it too.
FOTA_CASE(StateMachine, ErrorResultIsKeptInIdle,
          id("FU-SM-KEEP-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result); reference 3.2 rule 1"),
          requirement("After a failed download, Update Result 5 is still there a while later, in /5/0 and /5/0/5")) {
  ASSERT_TRUE(pull(publish(package(forge::Variant::BitFlip))).is(code::Changed));
  await_result(result::IntegrityFailure);
  await_state(state::Idle);
  run().loop().run_for(run().deadlines().operation);
  auto [s, r] = read_instance();
  EXPECT_EQ(s, std::optional<std::int64_t>(state::Idle)) << "State in /5/0";
  EXPECT_EQ(r, std::optional<std::int64_t>(result::IntegrityFailure)) << "Update Result in /5/0";
  expect_result(result::IntegrityFailure);
}

// TS Core E.6.1, reference §3.2 rule 5: the Write of the URI succeeded; that the repository
// then refuses the package is a download error, told through Update Result only.
FOTA_CASE(StateMachine, RepositoryErrorsGoOnlyThroughUpdateResult,
          id("FU-SM-RULE-05"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (errors only through Update Result); reference 3.2 rule 5, 3.1 T5"),
          requirement("A Package URI whose repository answers 5.03 is accepted with 2.04; the failure is an Update "
                      "Result in 2..9 and State 0")) {
  auto uri = publish(package(), Scheme::Coap, "error-at-block:0,code=5.03");
  auto write = pull(uri);
  EXPECT_TRUE(write.is(code::Changed)) << write.describe();
  await_state(state::Idle);
  auto failure = read_firmware(FirmwareResource::UpdateResult);
  Deadline deadline(run().deadlines().transition);
  while (failure == std::optional<std::int64_t>(result::Initial) && !deadline.passed()) {
    run().loop().run_for(Duration(100));
    failure = read_firmware(FirmwareResource::UpdateResult);
  }
  ASSERT_TRUE(failure);
  EXPECT_TRUE(*failure >= result::NotEnoughFlash && *failure <= result::UnsupportedProtocol)
      << "Update Result " << *failure << " after the repository refused the package";
  expect_state(state::Idle);
}

// ETS 772 in Updating (reference §3.2 rule 3). Whether the install is still running when the
// second Execute arrives is read first: a device whose Updating is over by then is inconclusive
// (the reference client's profile keeps State 3 for --install-time).
FOTA_CASE(StateMachine, UpdateInUpdatingIsRefused,
          id("FU-SM-772-UPD"), ets(772), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 772; reference 3.2 rule 3"),
          requirement("Execute /5/0/2 in Updating answers 4.05 and the install under way still ends in State 0 with "
                      "Result 1 and the new /3/0/3")) {
  ASSERT_TRUE(pull(publish(package())).is(code::Changed));
  await_state(state::Downloaded);
  ASSERT_TRUE(execute_update().is(code::Changed));
  if (try_read_firmware(FirmwareResource::State) != std::optional<std::int64_t>(state::Updating))
    return inconclusive("State 3 (Updating) was over before a second Update could be sent");
  auto again = execute_update();
  if (!again.delivered) return inconclusive("the device restarted before it answered the second Update");
  EXPECT_TRUE(again.is(code::MethodNotAllowed)) << again.describe();
  await_result(result::Success);
  await_state(state::Idle);
  EXPECT_EQ(firmware_version(), packages().installed_version());
}

}  // namespace
}  // namespace fc::fixtures
