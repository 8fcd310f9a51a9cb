// The reset writes (TS Core E.6.1; reference §3.1 T6, T16, §3.2 rule 2): an empty Package URI
// or one NUL byte written to Package returns the device to Idle with Update Result 0, from
// Downloading as well as from Downloaded (FU-PULL-RESET-02, FU-PUSH-RESET-02) and Idle.
#include "cases/delivery_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_state;

class Reset : public DeliveryCase {
 protected:
  // A pull held in Downloading: the repository goes silent after block 0 for 10 s, so the
  // transfer cannot end on its own while the case acts. A device must show State 1 then (T1: a
  // State it reports and notifies for seconds): a finding when it never does. One that gave the
  // stalled pull up before the reset could be written (T5, Result 4) is not-tested: the case
  // returns false after saying which.
  bool hold_pull_in_downloading() {
    if (!expect_code(pull(publish(package(), Scheme::Coap, "stall:block=1,for=10s")), {code::Changed})) return false;
    if (!await_state(State::Downloading)) return false;
    const auto now = try_read_firmware(FirmwareResource::State);
    if (now == to_int(State::Downloading)) return true;
    not_tested("the device left State 1 (Downloading) before the reset could be written: " +
               (now ? describe_state(*now) : std::string("no State read")) + " (a stalled pull may be given up, T5)");
    return false;
  }
  // A push held in Downloading: the first of several Block1 blocks, and no more. State is
  // read once right after the 2.31 (T2 happens as block 0 is taken); a device that shows no
  // State 1 there, or cannot answer a Read while its block-wise exchange is open (Anjay: 5.03),
  // has nothing this case can reset, and the transfer is finished before the case ends.
  bool hold_push_in_downloading(const Block1Transfer& transfer) {
    if (!expect_code(send_block(transfer, 0), {code::Continue}, "(block 0 of a push, more to come)")) return false;
    auto state = try_read_firmware(FirmwareResource::State);
    if (state == to_int(State::Downloading) ||
        (state && await_match(FirmwareResource::State, is_downloading).has_value()))
      return true;
    close_block1(transfer, 1);
    return false;
  }
  server::DmResponse write_nul_package() { return device().write_raw(res::Package, 42, Bytes{0}); }
  // T6/T7/T16 end the same way: Idle, Update Result 0.
  void expect_reset_to_idle(const server::DmResponse& answer) {
    expect_code(answer, {code::Changed});
    await_state(State::Idle);
    expect_result(UpdateResult::Initial);
  }

 private:
  static bool is_downloading(std::int64_t state) { return state == to_int(State::Downloading); }
};

// Reference §3.1 T6 [P object text]; §3.7 item 1: Zephyr answers 2.04 and ignores it.
FOTA_CASE(Reset, EmptyUriResetsDownloading,
          id("FU-RESET-DL-URI"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (empty Package URI resets); reference 3.1 T6, 3.2 rule 2, 3.7 item 1"),
          requirement("Writing an empty Package URI while a pull is Downloading answers 2.04 and returns to State 0, "
                      "Result 0")) {
  if (!hold_pull_in_downloading()) return;
  expect_reset_to_idle(write_package_uri(""));
}

FOTA_CASE(Reset, NulPackageResetsAPullInDownloading,
          id("FU-RESET-DL-NUL-PULL"), level(Level::Must), needs(Capability::PullCoap, Capability::Push),
          clause("TS Core E.6.1 (Package: NULL resets); object 5 rev 1.0.3; reference 3.1 T6, 3.2 rule 2"),
          requirement("Writing one 0x00 byte to /5/0/0 while a pull is Downloading answers 2.04 and returns to "
                      "State 0, Result 0")) {
  if (!hold_pull_in_downloading()) return;
  expect_reset_to_idle(write_nul_package());
}

// A device may show no State 1 during a push (reference §3.1 T3: Anjay goes 0→2): nothing to reset.
FOTA_CASE(Reset, NulPackageResetsAPushInDownloading,
          id("FU-RESET-DL-NUL-PUSH"), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1 (Package: NULL resets); object 5 rev 1.0.3; reference 3.1 T6, 3.2 rule 2"),
          requirement("Writing one 0x00 byte to /5/0/0 after the first Block1 of a push (State 1) answers 2.04 and "
                      "returns to State 0, Result 0")) {
  Block1Transfer transfer(package());
  if (!hold_push_in_downloading(transfer))
    return not_tested("the device shows no State 1 while a push is incomplete (or answers no Read until the "
                      "transfer ends): both legal (reference §3.1 T3), so there is no Downloading to reset");
  auto answer = write_nul_package();
  expect_reset_to_idle(answer);
  // A device that did not take the reset still holds the transfer open: finish it.
  if (!answer.is(code::Changed)) close_block1(transfer, 1);
}

// ETS 755 step 1 writes the NUL byte in Idle; reference §3.1 T16 (Anjay), §3.7 item 3: a
// stale error Result goes back to 0, as the empty URI does in FU-PULL-RESET-756.
FOTA_CASE(Reset, NulPackageInIdleClearsAStaleResult,
          id("FU-RESET-IDLE-NUL"), ets(755), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1 (Package: NULL resets); ETS 755 step 1; reference 3.1 T16, 3.2 rule 2, 3.7 item 3"),
          requirement("After a failed push (Result 6), one 0x00 byte written to /5/0/0 in Idle answers 2.04; State "
                      "stays 0 and Update Result returns to 0")) {
  push(package(forge::Variant::WrongMagic));  // any answer to the refused block (reference §3.4)
  await_result(UpdateResult::UnsupportedPackageType);
  await_state(State::Idle);
  expect_reset_to_idle(write_nul_package());
}

}  // namespace
}  // namespace fc::fixtures
