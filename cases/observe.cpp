// Observe and notification (RFC 7641; reference §3.5): what a server watching /5 is told.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

FOTA_AREA(Observe);

// ETS 760: with State observed, a completed push is notified as State 2.
FOTA_CASE(Observe, StateChangeToDownloadedIsNotified,
          id("FU-OBS-760"), ets(760), level(Level::Must), needs(Capability::Push),
          clause("RFC 7641 4.2; ETS 760"),
          requirement("An observed State is notified with value 2 when a pushed package completes")) {
  ASSERT_TRUE(push(package()).is(code::Changed));
  await_state(state::Downloaded);
  auto seen = notified(FirmwareResource::State);
  EXPECT_FALSE(seen.empty() || seen.back() != state::Downloaded)
      << "notified States " << describe_values(seen) << " do not end in 2";
}

// Reference §3.5: after a reboot the device registers anew, observations are void and the
// server observes again; the device then still reports its State.
FOTA_CASE(Observe, ObservationsWorkAgainAfterReRegistration,
          id("FU-OBS-REREG-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7641 3.6; TS Core 6.2.1 (a new Register voids observations); reference 3.5"),
          requirement("After a Reboot and a new Register, a new observation of State reports the next change")) {
  ASSERT_TRUE(reboot_device());
  ASSERT_TRUE(pull(publish(package())).is(code::Changed));
  await_state(state::Downloaded);
  auto seen = notified(FirmwareResource::State);
  EXPECT_FALSE(seen.empty() || seen.back() != state::Downloaded)
      << "notified States after re-registration " << describe_values(seen);
}

}  // namespace
}  // namespace fc::fixtures
