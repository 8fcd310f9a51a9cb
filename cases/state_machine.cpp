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
  // Right after the Update's 2.04: true when a Read shows State 3. Otherwise the case ends (the
  // install is let end quietly first): not-tested when State 3 is never visible (reference
  // §3.5), inconclusive when the install failed before the case could act in it.
  bool still_updating() {
    if (try_read_firmware(FirmwareResource::State) == to_int(State::Updating)) return true;
    auto outcome = await_match(FirmwareResource::UpdateResult, [](std::int64_t v) { return v != 0; });
    if (outcome == to_int(UpdateResult::UpdateFailed))
      inconclusive("the install failed (Update Result 8) before the case could act in State 3");
    else
      not_tested("State 3 (Updating) is never visible on this device (reference §3.5)");
    return false;
  }
  // A write meant for State 3 (Updating) tells about State 3 only when the device answered it
  // before restarting into its new image: false (the case ends not-tested) otherwise.
  bool answered_while_updating(const char* what, const server::DmResponse& answer, unsigned before) {
    if (answer.delivered && registration_generation() == before) return true;
    not_tested(std::string("the device restarted (its install in State 3) before it answered ") + what);
    return false;
  }
  // The package delivered before stands in State 2 (it is awaited here); a second one pushed now
  // is refused and the first installs, or it is taken and installs instead.
  void expect_push_in_downloaded_keeps_one_package() {
    if (!await_state(State::Downloaded)) return;
    const auto first = installed_version();
    const auto second = push(package());
    const bool refused = second.delivered && second.code.cls >= 4;
    if (!expect_that(refused || second.is(code::Changed), "Write /5/0/0 (a push) in State 2 (Downloaded)",
                     "4.xx/5.xx (refused) or 2.04 (taken whole)", second.describe()))
      return;
    if (!expect_state(State::Downloaded) || !expect_result(UpdateResult::Initial)) return;
    expect_update_installs(refused ? first : installed_version(),
                           refused ? "the first package (the push was refused)" : "the pushed package (taken)");
  }
  // Update of the package in State 2: State 0 with Result 1 and `version` (named by `which`) in
  // /3/0/3. The package that stands is the one the device's answers said.
  void expect_update_installs(const std::string& version, const std::string& which) {
    if (!expect_code(execute_update(), {code::Changed})) return;
    if (!await_result(UpdateResult::Success)) return;
    await_state(State::Idle);
    expect_equal("Read /3/0/3 after the Update of " + which, version, firmware_version());
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
  // "A while": long enough for the device to have had its notification of Result 5
  // acknowledged and to act on that (the one moment a device that clears it would pick).
  run().loop().run_for(session().deadlines().quiet);
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
          id("FU-SM-772-UPD"), ets(772), level(Level::Must), needs(Capability::PullCoap), acts_in(Phase::Updating),
          clause("TS Core E.6.1; ETS 772; reference 3.2 rule 3"),
          requirement("Execute /5/0/2 in Updating answers 4.05 and the install under way still ends in State 0 with "
                      "Result 1 and the new /3/0/3")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  if (!still_updating()) return;
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
  // (Result 4), which is not this case's matter. Paced to last about a second and a half, many
  // times the few exchanges (a Read, the push's first block) that must fall inside it, with each
  // block far from any CoAP retransmission; once the push is answered the rest flows unslowed.
  const auto image = package();
  const auto uri = publish(image, Scheme::Coap, slowed_to(std::chrono::milliseconds(1500), image.size()));
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_state(State::Downloading);
  if (try_read_firmware(FirmwareResource::State) != to_int(State::Downloading))
    return not_tested("the pull left State 1 (Downloading) before a push could be started (a fast device may)");
  auto write = push(package());
  end_slowing(uri);
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

// Reference §3.2 rule 4 (an operation the state machine does not define SHOULD be rejected) and
// §3.4 (non-reset data in Downloaded: Zephyr 4.05, Anjay 4.00): a second push in State 2 is
// refused and the first package stands, or is taken whole and stands instead. A refused Write
// changes nothing (TS Core E.6.1: errors go only through Update Result). The first package
// comes by push, or by pull in FU-SM-PUSH-DLD-PULL.
FOTA_CASE(StateMachine, PushInDownloadedKeepsOnePackage,
          id("FU-SM-PUSH-DLD"), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1 (T3, T8); reference 3.2 rule 4, 3.4"),
          requirement("A second package pushed in State 2 is refused (4.xx/5.xx), leaving State 2 with Result 0 and the "
                      "first package to install, or taken (2.04) to install instead; Update then ends in State 0, "
                      "Result 1 with that package's /3/0/3")) {
  if (!expect_code(push(package()), {code::Changed})) return;
  expect_push_in_downloaded_keeps_one_package();
}

FOTA_CASE(StateMachine, PushInDownloadedAfterAPullKeepsOnePackage,
          id("FU-SM-PUSH-DLD-PULL"), level(Level::Must), needs(Capability::PullCoap, Capability::Push),
          clause("TS Core E.6.1 (T4, T8); reference 3.2 rule 4, 3.4"),
          requirement("A package pushed in State 2 reached by a pull is refused (4.xx/5.xx), leaving State 2 with "
                      "Result 0 and the pulled package to install, or taken (2.04) to install instead; Update then "
                      "ends in State 0, Result 1 with that package's /3/0/3")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  expect_push_in_downloaded_keeps_one_package();
}

// Reference §3.2 rule 4, §3.7 item 2 (a new Package URI while Downloading: Anjay 4.00, Zephyr
// 2.04 and ignores it): refused, the running download goes on to State 2; taken, the device
// ends in State 2 with whichever package it then fetched to its last byte.
FOTA_CASE(StateMachine, NewUriInDownloadingLeavesOneDownload,
          id("FU-SM-URI-DL"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (T1, T4); reference 3.2 rule 4, 3.7 item 2"),
          requirement("A new Package URI written in State 1 is refused (4.xx) and the running download still ends in "
                      "State 2 with Result 0, or is taken (2.04) and a package ends in State 2 with Result 0; Update "
                      "installs the package that was served through its last byte")) {
  // Slowed as in FU-SM-BUSY-01, so that State 1 outlasts the Read and the Write that fall in it;
  // once the Write is answered the rest flows unslowed.
  const auto first_image = package();
  const auto first_uri =
      publish(first_image, Scheme::Coap, slowed_to(std::chrono::milliseconds(1500), first_image.size()));
  const auto first = installed_version();
  if (!expect_code(pull(first_uri), {code::Changed})) return;
  await_state(State::Downloading);
  if (try_read_firmware(FirmwareResource::State) != to_int(State::Downloading))
    return not_tested("the pull left State 1 (Downloading) before a second URI could be written (a fast device may)");
  const auto second_uri = publish(package());
  const auto write = pull(second_uri);
  end_slowing(first_uri);
  const bool refused = write.delivered && write.code.cls == 4;
  if (!expect_that(refused || write.is(code::Changed), "Write /5/0/1 (a new Package URI) in State 1 (Downloading)",
                   "4.xx (refused) or 2.04", write.describe()))
    return;
  if (!await_state(State::Downloaded) || !expect_result(UpdateResult::Initial)) return;
  const bool switched = !refused && counters_of(second_uri).completed >= 1;
  expect_update_installs(switched ? installed_version() : first,
                         switched ? "the second package (the new URI was taken)" : "the first package");
}

// Reference §3.4 (a Write while Updating: 4.05 in Zephyr and Anjay), §3.2 rule 4: whatever the
// device answers a Package URI and a push in State 3, the install under way ends as it would
// have (T9): State 0, Result 1 and the new /3/0/3.
FOTA_CASE(StateMachine, WritesInUpdatingLeaveTheInstall,
          id("FU-SM-WRITE-UPD"), level(Level::Must), needs(Capability::PullCoap), acts_in(Phase::Updating),
          clause("TS Core E.6.1 (T8, T9); reference 3.2 rule 4, 3.4"),
          requirement("A Package URI (and, with push, a Package) written in State 3 is answered (4.05 expected) and "
                      "the install under way still ends in State 0 with Result 1 and the new /3/0/3")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  const auto installing = installed_version();
  if (!expect_code(execute_update(), {code::Changed})) return;
  const auto before = registration_generation();
  if (!still_updating()) return;
  const auto uri = pull(publish(package()));
  if (!answered_while_updating("the Package URI written in State 3", uri, before)) return;
  measure("Package URI written in State 3", uri.describe());
  if (profile().capabilities.push) {
    const auto pushed = push(package());
    if (!answered_while_updating("the Package pushed in State 3", pushed, before)) return;
    measure("Package pushed in State 3", pushed.describe());
  }
  if (!await_result(UpdateResult::Success)) return;
  await_state(State::Idle);
  expect_equal("Read /3/0/3 after the install the writes came into", installing, firmware_version());
}

}  // namespace
}  // namespace fc::fixtures
