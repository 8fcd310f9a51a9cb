// Observe and notification (RFC 7641; reference §3.5): what a server watching /5 is told.
#include <fmt/format.h>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Observe : public FotaCase {
 protected:
  // Every State notification came at least `pmin` after the one before (or the first
  // response). Received times: one sent exactly pmin later may arrive a little earlier than
  // that in our clock, so a quarter second is allowed.
  void expect_state_notifications_spaced(Duration pmin) {
    std::optional<Clock::time_point> previous;
    for (const auto& e : timeline().entries()) {
      if (e.resource != FirmwareResource::State || e.source == "read") continue;
      if (previous && e.source == "notify") {
        auto gap = millis_since(*previous, e.time);
        expect_that(gap >= static_cast<double>(pmin.count()) - 250,
                    "Notification of " + lwm2m::firmware::describe_state(e.value),
                    fmt::format("at least {} ms (pmin) after the one before", pmin.count()),
                    fmt::format("{:.0f} ms after it", gap));
      }
      previous = e.time;
    }
  }
  // The last State notified is `wanted` (the notification of the change the case made).
  void expect_last_notified_state(State wanted, const std::string& after) {
    // The wait before may have ended on a value that came by Send (LwM2M 1.1) or a Read, with
    // the notification of it still in flight: one exchange's time is given for it.
    auto seen = notified(FirmwareResource::State);
    run().loop().await(
        [&] {
          seen = notified(FirmwareResource::State);
          return !seen.empty() && seen.back() == to_int(wanted);
        },
        Deadline(session().deadlines().operation));
    expect_that(!seen.empty() && seen.back() == to_int(wanted), "Notifications of /5/0/3 " + after,
                "the last to be " + lwm2m::firmware::describe_state(to_int(wanted)),
                "States " + record::describe_values(seen));
  }
};

// ETS 760: with State observed, a completed push is notified as State 2.
FOTA_CASE(Observe, StateChangeToDownloadedIsNotified,
          id("FU-OBS-760"), ets(760), level(Level::Must), needs(Capability::Push),
          clause("RFC 7641 4.2; ETS 760"),
          requirement("An observed State is notified with value 2 when a pushed package completes")) {
  if (!expect_code(push(package()), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_last_notified_state(State::Downloaded, "after a push");
}

// Reference §3.5: after a reboot the device registers anew, observations are void and the
// server observes again; the device then still reports its State.
FOTA_CASE(Observe, ObservationsWorkAgainAfterReRegistration,
          id("FU-OBS-REREG-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7641 3.6; TS Core 6.2.1 (a new Register voids observations); reference 3.5"),
          requirement("After a Reboot and a new Register, a new observation of State reports the next change")) {
  if (!reboot_device()) return;
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_last_notified_state(State::Downloaded, "after the new Register and a pull");
}

// ETS 760's pmin (reference §3.5; TS Core 5.1.2 pmin; RFC 7641 4.2): the changes a push makes
// inside the minimum period may be merged, but the value they end on is notified once the
// period is over, and no sooner than pmin after the notification before it. ETS 760 writes
// pmin=2; 1 s (attributes are whole seconds) judges the same rule in half the time.
FOTA_CASE(Observe, FinalStateAfterPminIsNotified,
          id("FU-OBS-PMIN-01"), ets(760), level(Level::Must), needs(Capability::Push),
          clause("TS Core 5.1.2 (pmin); RFC 7641 4.2; ETS 760; reference 3.5"),
          requirement("With pmin=1 on /5/0/3, a push that ends in State 2 inside the period is notified as State 2, "
                      "at least 1 s after the notification before it")) {
  constexpr unsigned pmin_s = 1;
  server::Attributes attributes;
  attributes.pmin = pmin_s;
  auto set = device().write_attributes(res::State, attributes);
  if (!expect_code(set, {code::Changed}, "with pmin=1")) return;
  if (!expect_code(push(package()), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_last_notified_state(State::Downloaded, "after a push");
  expect_state_notifications_spaced(std::chrono::seconds(pmin_s));
}

// Reference §3.5, RFC 7641 §4.2: with pmin 0 (the fixture's) every change is sent as it
// happens. RFC 7641 §4.5 lets a device replace a notification still unacknowledged by a newer
// one, so a missed transient State is a SHOULD; State 3 may also end with the reboot.
FOTA_CASE(Observe, EveryStateOfAnUpdateIsNotifiedInOrder,
          id("FU-OBS-ORDER-01"), level(Level::Should), needs(Capability::PullCoap),
          clause("RFC 7641 4.2, 4.5; TS Core 5.1.2 (pmin 0); reference 3.5"),
          requirement("With pmin 0 on /5/0/3, a pull and Update are notified as State 1, 2 and, after the new "
                      "Register, 0, in that order (3 may be missed across the reboot)")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  await_result(UpdateResult::Success);
  await_state(State::Idle);
  expect_observed_sequence(FirmwareResource::State,
                           {to_int(State::Downloading), to_int(State::Downloaded), to_int(State::Idle)});
}

// TS Core 5.1.2 (pmax: the longest the device may go without notifying), RFC 7641 §4.2; ETS 760
// step 1 writes pmax=10. Delivery Method (/5/0/9) never changes, so whatever is notified comes
// from pmax alone. The Observe's answer is the first notification (RFC 7641 §4.2), so the next
// one closes a gap the rule bounds; the case ends when it comes. The wait is bounded by pmax plus
// the profile's operation deadline (one exchange's worth of transmission time), never a timing
// assertion of its own. pmax is 1 s (attributes are whole seconds; ETS 760 writes 10).
FOTA_CASE(Observe, PmaxBringsNotificationsWithoutChange,
          id("FU-OBS-PMAX-01"), level(Level::Must), clause("TS Core 5.1.2 (pmax); RFC 7641 4.2; ETS 760 step 1"),
          requirement("With pmax=1 on /5/0/9 (Delivery Method, which never changes) and an observation of it, a "
                      "notification comes within 1 s (pmax) plus the operation deadline of the Observe's answer")) {
  constexpr unsigned pmax_s = 1;
  server::Attributes attributes;
  attributes.pmax = pmax_s;
  if (!expect_code(device().write_attributes(res::DeliveryMethod, attributes), {code::Changed}, "with pmax=1")) return;
  auto observation = device().observe(res::DeliveryMethod);
  if (expect_code(observation->initial(), {code::Content}, "(Observe)")) {
    const auto allowed = std::chrono::duration_cast<Duration>(std::chrono::seconds(pmax_s)) +
                         session().deadlines().operation;
    const bool came = run().loop().await([&] { return !observation->notifications().empty(); }, Deadline(allowed));
    expect_that(came, "Observation of /5/0/9 with pmax=1",
                fmt::format("a notification within {} ms of the Observe's answer", allowed.count()), "none came");
    device().cancel_observation(*observation);
  }
  server::Attributes none;
  none.removed = {"pmax"};
  device().write_attributes(res::DeliveryMethod, none);
}

}  // namespace
}  // namespace fc::fixtures
