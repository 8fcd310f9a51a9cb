// Update Result codes 2–9 (TS Core E.6.1; ETS 773–780), each driven from the wire where it
// can be and through the profile's fault injection where it cannot.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Results : public FotaCase {
 protected:
  // ETS 779 steps 2-3, once the package is delivered: Update is accepted, the install fails
  // with Result 8, State goes back (2, or 0 with /5 1.1) and /3/0/3 still names `version_before`.
  void expect_install_fails_keeping(const std::string& version_before) {
    await_state(State::Downloaded);
    expect_code(execute_update(), {code::Changed});
    await_result(UpdateResult::UpdateFailed);
    await_state_after_failed_install();
    expect_equal("Read /3/0/3 after the failed install", version_before, firmware_version());
  }
  // A push the device may take whole (2.04) or refuse at the block where it fails with any
  // 4.xx/5.xx (reference §3.4): the case judges on State and Update Result.
  void expect_changed_or_refused(const server::DmResponse& write) {
    expect_that(write.is(code::Changed) || (write.delivered && write.code.cls >= 4), "Write /5/0/0 (push)",
                "2.04 Changed, or 4.xx/5.xx on the refused block", write.describe());
  }
};

// ETS 776: a corrupted package fails its integrity check: Update Result 5, back to Idle. The
// check may be made at download or at Update (T4 "if done at this point", T11): either way the
// package is never installed.
FOTA_CASE(Results, IntegrityFailureOnPull,
          id("FU-RES-776-PULL"), ets(776), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 776"),
          requirement("A pulled package with a flipped bit ends in State 0 with Update Result 5, at download or at Update "
                      "(T11), and is never installed")) {
  auto uri = publish(package(forge::Variant::BitFlip));
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_integrity_failure();
}

FOTA_CASE(Results, IntegrityFailureOnPush,
          id("FU-RES-776-PUSH"), ets(776), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1; ETS 776; reference 3.4"),
          requirement("A pushed package with a flipped bit ends in State 0 with Update Result 5, at download or at Update "
                      "(T11), and is never installed")) {
  push(package(forge::Variant::BitFlip));  // any answer to the last block is acceptable (reference §3.4)
  await_integrity_failure();
}

// ETS 777 (its final State 1 is an erratum, reference §3.8): a package of another type.
FOTA_CASE(Results, UnsupportedPackageType,
          id("FU-RES-777"), ets(777), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 777"),
          requirement("A package with a foreign header ends in State 0 with Update Result 6")) {
  auto uri = publish(package(forge::Variant::WrongMagic));
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::UnsupportedPackageType);
  await_state(State::Idle);
}

// ETS 778; reference §3.2 rule 5: the Write of a bad URI still succeeds; the error is Result 7.
FOTA_CASE(Results, InvalidUriIsReportedThroughUpdateResult,
          id("FU-RES-778"), ets(778), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (errors only through Update Result); ETS 778"),
          requirement("A Package URI the repository does not know is accepted with 2.04 and ends in Result 7, State 0")) {
  auto uri = publish(package()) + "-missing";
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::InvalidUri);
  await_state(State::Idle);
}

// ETS 778 over HTTP: the repository answers 404 Not Found; reference §4.3 (Anjay: 4.04 and HTTP
// 404 are Result 7), the Write itself succeeds (§3.2 rule 5).
FOTA_CASE(Results, HttpNotFoundIsAnInvalidUri,
          id("FU-RES-778-HTTP"), ets(778), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.1 (errors only through Update Result); ETS 778; reference 4.3; RFC 9110 15.5.5 (404)"),
          requirement("An http:// Package URI the repository answers 404 is accepted with 2.04 and ends in Result 7, "
                      "State 0")) {
  auto uri = publish(package(), Scheme::Http) + "-missing";
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::InvalidUri);
  await_state(State::Idle);
}

// ETS 778 with a host that can never resolve (RFC 2606 reserves .invalid): the Write is
// syntactically fine, so it is accepted and the failure is Update Result 7 (reference §3.2 rule 5).
FOTA_CASE(Results, UnresolvableHostIsAnInvalidUri,
          id("FU-RES-778-HOST"), ets(778), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (errors only through Update Result); ETS 778; RFC 2606 (.invalid)"),
          requirement("A Package URI whose host does not resolve is accepted with 2.04 and ends in Result 7, State 0")) {
  expect_code(pull("coap://no-such-host.invalid/fw.bin"), {code::Changed});
  await_result(UpdateResult::InvalidUri);
  await_state(State::Idle);
}

// ETS 778 with a URI that does not parse (unclosed IPv6 literal, RFC 3986 §3.2.2). A device
// may refuse the Write itself (4.00, as Anjay does for bad schemes: reference §3.7 item 6)
// or accept it; either way the outcome is Update Result 7.
FOTA_CASE(Results, MalformedUriIsAnInvalidUri,
          id("FU-RES-778-MALFORMED"), ets(778), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result 7); ETS 778; RFC 3986 3.2.2; reference 3.7 item 6"),
          requirement("A Package URI that does not parse (coap://[::1/fw) is answered 2.04 or 4.00 and ends in "
                      "Result 7, State 0")) {
  auto write = pull("coap://[::1/fw");
  expect_code(write, {code::Changed, code::BadRequest});
  await_result(UpdateResult::InvalidUri);
  await_state(State::Idle);
}

// ETS 780 (no procedure in the ETS; reference §6.2 suggests this one): a scheme the device
// does not list in /5/0/8. Both 2.04 and 4.00 are accepted for the Write (reference §3.7 item 6).
FOTA_CASE(Results, UnsupportedProtocol,
          id("FU-RES-780"), ets(780), level(Level::Must),
          clause("TS Core E.6.1 (Update Result 9); object 5 resource 8"),
          requirement("A Package URI whose scheme is absent from /5/0/8 ends in Update Result 9 and State 0")) {
  auto write = pull("ftp://127.0.0.1/fw/package.bin");
  expect_code(write, {code::Changed, code::BadRequest});
  await_result(UpdateResult::UnsupportedProtocol);
  await_state(State::Idle);
}

// ETS 775: the repository goes silent mid-transfer; the device gives up with Result 4.
FOTA_CASE(Results, ConnectionLostDuringPull,
          id("FU-RES-775"), ets(775), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 775"),
          requirement("When the repository stops answering after block 2 the device ends in State 0 with Result 4")) {
  auto uri = publish(package(), Scheme::Coap, "drop-after-block:2");
  if (!expect_code(pull(uri), {code::Changed})) return;
  // A device that retries a silent peer (resumption) gives up within what it declares
  // (silent_transfer is that and a transition; without it, a transition).
  const auto& deadlines = session().deadlines();
  await_download_failed({UpdateResult::ConnectionLost}, deadlines.silent_transfer.value_or(deadlines.transition),
                        "Pull whose repository goes silent after block 2");
}

// ETS 775 over HTTP (Anjay's Test775 has an HTTP variant): the repository closes the
// connection after 1 KiB of the body, short of its Content-Length.
FOTA_CASE(Results, ConnectionLostDuringHttpPull,
          id("FU-RES-775-HTTP"), ets(775), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.1; ETS 775; RFC 9112 6.3 (incomplete message)"),
          requirement("When the HTTP repository closes the connection after 1024 bytes the device ends in State 0 "
                      "with Result 4")) {
  auto uri = publish(package(), Scheme::Http, "http-close-after:1024");
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::ConnectionLost);
  await_state(State::Idle);
}

// ETS 777 by push: the foreign header is known from the first block. Any answer to the
// failing block is acceptable (reference §3.4: 4.15, 5.00, or 2.04 when judged at the end).
FOTA_CASE(Results, UnsupportedPackageTypeOnPush,
          id("FU-RES-777-PUSH"), ets(777), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1; ETS 777; reference 3.4"),
          requirement("A pushed package with a foreign header ends in State 0 with Update Result 6")) {
  auto write = push(package(forge::Variant::WrongMagic));
  expect_changed_or_refused(write);
  await_result(UpdateResult::UnsupportedPackageType);
  await_state(State::Idle);
}

// ETS 773: not enough flash, from the device's own limit (profile fault flash_full).
FOTA_CASE(Results, NotEnoughFlash,
          id("FU-RES-773"), ets(773), level(Level::Must), needs(Capability::PullCoap),
          faults(Fault::FlashFull), clause("TS Core E.6.1; ETS 773"),
          requirement("A package larger than the device's flash ends in State 0 with Update Result 2")) {
  auto image = package_with_fault(Fault::FlashFull);
  if (!image) return;
  auto uri = publish(*image);
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::NotEnoughFlash);
  await_state(State::Idle);
}

// ETS 773 by push ("push or pull" in its steps); any 4.xx/5.xx on the refused block is
// acceptable (reference §3.4: Zephyr 4.13, Anjay 5.00), and so is the 2.04 of a Write that
// completed (the ETS judges on State and Result only).
FOTA_CASE(Results, NotEnoughFlashOnPush,
          id("FU-RES-773-PUSH"), ets(773), level(Level::Must), needs(Capability::Push),
          faults(Fault::FlashFull), clause("TS Core E.6.1; ETS 773; reference 3.4"),
          requirement("A pushed package larger than the device's flash ends in State 0 with Update Result 2")) {
  auto image = package_with_fault(Fault::FlashFull);
  if (!image) return;
  auto write = push(*image);
  expect_changed_or_refused(write);
  await_result(UpdateResult::NotEnoughFlash);
  await_state(State::Idle);
}

// ETS 774 (criterion D's "2" is an erratum for 3, reference §3.8).
FOTA_CASE(Results, OutOfRam,
          id("FU-RES-774"), ets(774), level(Level::Must), needs(Capability::PullCoap),
          faults(Fault::OutOfRam), clause("TS Core E.6.1; ETS 774"),
          requirement("A download that exhausts the device's RAM ends in State 0 with Update Result 3")) {
  auto image = package_with_fault(Fault::OutOfRam);
  if (!image) return;
  auto uri = publish(*image);
  expect_code(pull(uri), {code::Changed});
  await_result(UpdateResult::OutOfRam);
  await_state(State::Idle);
}

// ETS 779: the image downloads but does not install: State 2, Result 8, old version kept.
// /5 1.1 lets the failed install go back to Idle instead (reference §1.2, §3.6).
FOTA_CASE(Results, UpdateFailedKeepsTheOldVersion,
          id("FU-RES-779"), ets(779), level(Level::Must), needs(Capability::PullCoap),
          faults(Fault::UpdateFails), clause("TS Core E.6.1; ETS 779; object 5 v1.1 (State 2 or 0)"),
          requirement("A failed install ends in State 2 (or 0 with /5 1.1) with Update Result 8 and an unchanged "
                      "/3/0/3")) {
  auto before = firmware_version();
  if (!expect_code(pull(publish(fault_package(Fault::UpdateFails))), {code::Changed})) return;
  expect_install_fails_keeping(before);
}

// ETS 779 by push (its step 1c: "deliver"): the install fails the same way whatever brought
// the package.
FOTA_CASE(Results, UpdateFailedAfterPushKeepsTheOldVersion,
          id("FU-RES-779-PUSH"), ets(779), level(Level::Must), needs(Capability::Push),
          faults(Fault::UpdateFails), clause("TS Core E.6.1; ETS 779; object 5 v1.1 (State 2 or 0)"),
          requirement("A pushed package whose install fails ends in State 2 (or 0 with /5 1.1) with Update Result 8 "
                      "and an unchanged /3/0/3")) {
  auto before = firmware_version();
  if (!expect_code(push(fault_package(Fault::UpdateFails)), {code::Changed})) return;
  expect_install_fails_keeping(before);
}

// ETS 774 by push ("push or pull" in its steps, as 773): the block that does not fit is
// refused with any 4.xx/5.xx (reference §3.4: 5.00 in Zephyr and Anjay), or the Write
// completes with 2.04; the ETS judges on State and Result.
FOTA_CASE(Results, OutOfRamOnPush,
          id("FU-RES-774-PUSH"), ets(774), level(Level::Must), needs(Capability::Push),
          faults(Fault::OutOfRam), clause("TS Core E.6.1; ETS 774; reference 3.4"),
          requirement("A pushed package that exhausts the device's RAM ends in State 0 with Update Result 3")) {
  auto image = package_with_fault(Fault::OutOfRam);
  if (!image) return;
  auto write = push(*image);
  expect_changed_or_refused(write);
  await_result(UpdateResult::OutOfRam);
  await_state(State::Idle);
}

}  // namespace
}  // namespace fc::fixtures
