// PULL delivery (TS Core E.6.2; reference §4.3): the device fetches the Package URI itself.
#include "cases/delivery_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

// The two steps every pull case shares, the same for each scheme (Leshan's tests likewise run
// one scenario over several transports).
class Pull : public DeliveryCase {
 protected:
  // ETS 756 steps 3–4: the Write is accepted and the device ends up Downloaded, Result 0.
  std::string download(Scheme scheme) {
    auto uri = publish(package(), scheme);
    expect_code(pull(uri), {code::Changed});
    await_state(State::Downloaded);
    expect_result(UpdateResult::Initial);
    return uri;
  }
  // ETS 756 over CoAP: the repository served the package through its last byte exactly once.
  void expect_downloaded_once(const std::string& uri) {
    expect_equal("Downloads of " + uri + " through its last byte", 1,
                 static_cast<std::int64_t>(counters_of(uri).completed));
  }
};

// ETS 756: a valid URI is accepted with 2.04, the device downloads and reaches Downloaded
// with Update Result 0; the repository served the package through its last byte once.
FOTA_CASE(Pull, CoapDownloadReachesDownloaded,
          id("FU-PULL-COAP-756"), ets(756), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1, E.6.2; ETS 756"),
          requirement("After a Write of a coap:// Package URI the device reaches State 2 with Update Result 0")) {
  expect_downloaded_once(download(Scheme::Coap));
}

FOTA_CASE(Pull, HttpDownloadReachesDownloaded,
          id("FU-PULL-HTTP-756"), ets(756), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.1, E.6.2; ETS 756"),
          requirement("After a Write of an http:// Package URI the device reaches State 2 with Update Result 0")) {
  download(Scheme::Http);
}

// ETS 771 (its precondition swaps PUSH and PULL: reference §3.8): a full update by pull ends in
// Idle with Update Result 1 and the new Firmware Version.
FOTA_CASE(Pull, CoapUpdateInstallsTheNewVersion,
          id("FU-PULL-COAP-771"), ets(771), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6; ETS 771"),
          requirement("Pull, then Execute Update: State 0, Update Result 1 and /3/0/3 is the new version")) {
  download(Scheme::Coap);
  install_new_version();
}

FOTA_CASE(Pull, HttpUpdateInstallsTheNewVersion,
          id("FU-PULL-HTTP-771"), ets(771), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6; ETS 771 (the 1.0 text's alternative mechanism)"),
          requirement("Pull over HTTP, then Execute Update: State 0, Update Result 1 and the new /3/0/3")) {
  download(Scheme::Http);
  install_new_version();
}

// Reference §3.2 rule 1: Update Result returns to 0 when a download starts, even after an error.
FOTA_CASE(Pull, ResultIsResetWhenADownloadStarts,
          id("FU-PULL-RULE-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result: reset to 0 at download start); reference 3.2 rule 1"),
          requirement("After a failed download (Result 5), a new download sets Update Result back to 0")) {
  auto corrupted = publish(package(forge::Variant::BitFlip), Scheme::Coap);
  if (!expect_code(pull(corrupted), {code::Changed})) return;
  // Result 5 at download, or at Update (T11): either way the device is Idle with Result 5 now.
  if (!await_integrity_failure()) return;
  auto valid = publish(package(), Scheme::Coap);
  if (!expect_code(pull(valid), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
  expect_sequence(FirmwareResource::UpdateResult,
                  {to_int(UpdateResult::IntegrityFailure), to_int(UpdateResult::Initial)});
}

// Object 5 resource 7 (optional): once installed, PkgVersion names the package now running.
// A device without /5/0/7 answers 4.04; that is recorded, not held against it. The install is
// the precondition, not the clause (FU-PULL-COAP-771 judges it, /3/0/3 included): when it does
// not succeed the case says nothing about /5/0/7.
FOTA_CASE(Pull, PkgVersionNamesTheInstalledPackage,
          id("FU-PULL-PKGVER-01"), level(Level::Should), needs(Capability::PullCoap),
          clause("TS Core E.6 (object 5 resource 7 PkgVersion, optional)"),
          requirement("After a successful update, /5/0/7 (when implemented) reads the installed package's version")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  if (!await_match(FirmwareResource::State, [](std::int64_t s) { return s == to_int(State::Downloaded); }))
    return inconclusive("the package never reached State 2 (Downloaded): FU-PULL-COAP-756 judges the download");
  const auto update_sent = timeline().entries().size();
  if (!execute_update().is(code::Changed))
    return inconclusive("Execute Update was not accepted: FU-PULL-COAP-771 judges the install");
  // The install's outcome: the first Update Result other than 0 seen after the Execute.
  std::optional<std::int64_t> outcome;
  await_match(FirmwareResource::UpdateResult, [&](std::int64_t) {
    const auto& entries = timeline().entries();
    for (auto i = update_sent; i < entries.size() && !outcome; ++i)
      if (entries[i].resource == FirmwareResource::UpdateResult && entries[i].value != 0) outcome = entries[i].value;
    return outcome.has_value();
  });
  if (outcome != to_int(UpdateResult::Success))
    return inconclusive("the install did not end in Update Result 1 (" +
                        (outcome ? lwm2m::firmware::describe_update_result(*outcome) : std::string("no outcome")) +
                        "): FU-PULL-COAP-771 judges the install");
  await_match(FirmwareResource::State, [](std::int64_t s) { return s == to_int(State::Idle); });
  auto read = device().read(res::PkgVersion);
  if (read.is(code::NotFound)) {
    measure("PkgVersion /5/0/7", "not implemented (4.04)");
    return;
  }
  if (!expect_code(read, {code::Content}) ||
      !expect_that(read.value(res::PkgVersion).has_value(), "Read /5/0/7", "a PkgVersion value", read.describe()))
    return;
  expect_equal("Read /5/0/7 after the update", package_version(), read.value(res::PkgVersion)->as_string());
}

// Reference §3.2 rule 1 (T8): Update Result returns to 0 when an update starts. After a failed
// install (State 2, Result 8) the still-downloaded package is updated again. How that second
// install ends is not this clause's business: the reference client fails only a package's first
// boot, Anjay's force-error package fails every time (8, 0, 8); both show the 0 at the start.
FOTA_CASE(Pull, ResultIsResetWhenAnUpdateStarts,
          id("FU-PULL-RULE-01-UPD"), level(Level::Must), needs(Capability::PullCoap),
          faults(Fault::UpdateFails),
          clause("TS Core E.6.1 (Update Result: reset to 0 when Update starts); reference 3.1 T8, 3.2 rule 1"),
          requirement("After a failed install (State 2, Result 8), a second Update sets Update Result to 0 when the "
                      "install starts (8, then 0), whatever that install's outcome")) {
  if (!expect_code(pull(publish(fault_package(Fault::UpdateFails))), {code::Changed})) return;
  await_state(State::Downloaded);
  if (!expect_code(execute_update(), {code::Changed})) return;
  await_result(UpdateResult::UpdateFailed);
  if (await_state_after_failed_install() == to_int(State::Idle))
    return not_tested("the failed install went back to Idle (allowed by /5 1.1): no package left to Update again");
  const auto second_update = timeline().entries().size();
  if (!expect_code(execute_update(), {code::Changed}, "again on the package still downloaded")) return;
  // The second install runs to its end (a Result other than 0 after the 0) so the case leaves
  // the device settled; the clause is only that Result 0 came between the 8 and that end.
  auto install_ended = [&](std::int64_t) {
    bool zero = false;
    const auto& entries = timeline().entries();
    for (auto i = second_update; i < entries.size(); ++i) {
      if (entries[i].resource != FirmwareResource::UpdateResult) continue;
      if (entries[i].value == 0) zero = true;
      else if (zero) return true;
    }
    return false;
  };
  auto ended = await_match(FirmwareResource::UpdateResult, install_ended);
  if (ended == to_int(UpdateResult::UpdateFailed)) await_state_after_failed_install();
  else if (ended == to_int(UpdateResult::Success)) await_state(State::Idle);
  expect_sequence(FirmwareResource::UpdateResult, {to_int(UpdateResult::UpdateFailed), to_int(UpdateResult::Initial)});
}

// ETS 756 over the secure and the connection-oriented schemes (TS Core E.6.1: Firmware Update
// Protocol Support 1 CoAPS, 3 HTTPS, 4 CoAP over TCP, 5 CoAP over TLS): the same download,
// the repository authenticated by the credentials of the profile's repository section.
FOTA_CASE(Pull, CoapsDownloadReachesDownloaded,
          id("FU-PULL-COAPS-756"), ets(756), level(Level::Must), needs(Capability::PullCoaps),
          clause("TS Core E.6.1 (Protocol Support 1: CoAPS), E.6.2; RFC 7252 9.1; ETS 756"),
          requirement("After a Write of a coaps:// Package URI the device reaches State 2 with Update Result 0")) {
  expect_downloaded_once(download(Scheme::Coaps));
}

FOTA_CASE(Pull, HttpsDownloadReachesDownloaded,
          id("FU-PULL-HTTPS-756"), ets(756), level(Level::Must), needs(Capability::PullHttps),
          clause("TS Core E.6.1 (Protocol Support 3: HTTPS), E.6.2; ETS 756"),
          requirement("After a Write of an https:// Package URI the device reaches State 2 with Update Result 0")) {
  download(Scheme::Https);
}

FOTA_CASE(Pull, CoapTcpDownloadReachesDownloaded,
          id("FU-PULL-COAPTCP-756"), ets(756), level(Level::Must), needs(Capability::PullCoapTcp),
          clause("TS Core E.6.1 (Protocol Support 4: CoAP over TCP), E.6.2; RFC 8323; ETS 756"),
          requirement("After a Write of a coap+tcp:// Package URI the device reaches State 2 with Update Result 0")) {
  expect_downloaded_once(download(Scheme::CoapTcp));
}

FOTA_CASE(Pull, CoapsTcpDownloadReachesDownloaded,
          id("FU-PULL-COAPSTCP-756"), ets(756), level(Level::Must), needs(Capability::PullCoapsTcp),
          clause("TS Core E.6.1 (Protocol Support 5: CoAP over TLS), E.6.2; RFC 8323; ETS 756"),
          requirement("After a Write of a coaps+tcp:// Package URI the device reaches State 2 with Update Result 0")) {
  expect_downloaded_once(download(Scheme::CoapsTcp));
}

// A full update over CoAPS: the signed image arrives intact through DTLS and boots.
FOTA_CASE(Pull, CoapsUpdateInstallsTheNewVersion,
          id("FU-PULL-COAPS-771"), ets(771), level(Level::Must), needs(Capability::PullCoaps),
          clause("TS Core E.6; ETS 771"),
          requirement("Pull over CoAPS, then Execute Update: State 0, Update Result 1 and the new /3/0/3")) {
  download(Scheme::Coaps);
  install_new_version();
}

// Reference §3.2 rule 2 (T7): an empty Package URI in Downloaded resets to Idle, Result 0.
FOTA_CASE(Pull, EmptyUriResetsDownloaded,
          id("FU-PULL-RESET-02"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (empty Package URI resets); reference 3.2 rule 2"),
          requirement("Writing an empty Package URI in Downloaded answers 2.04 and returns to State 0, Result 0")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_code(write_package_uri(""), {code::Changed}, "with an empty URI in State 2 (Downloaded)");
  await_state(State::Idle);
  expect_result(UpdateResult::Initial);
}

// ETS 756 step 1 (its "Package Resource" is an erratum for Package URI, reference §3.8):
// the reset write in Idle brings a stale error Result back to 0 (T16).
FOTA_CASE(Pull, EmptyUriInIdleClearsAStaleResult,
          id("FU-PULL-RESET-756"), ets(756), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1; ETS 756 step 1; reference 3.1 T16, 3.7 item 3"),
          requirement("After a failed download, an empty Package URI in Idle sets Update Result back to 0")) {
  if (!expect_code(pull(publish(package(forge::Variant::WrongMagic))), {code::Changed})) return;
  await_result(UpdateResult::UnsupportedPackageType);
  await_state(State::Idle);
  expect_code(write_package_uri(""), {code::Changed}, "with an empty URI in State 0 (Idle)");
  expect_state(State::Idle);
  expect_result(UpdateResult::Initial);
}

// Object 5 resource 1 is RW: what the server wrote reads back (TS Core E.6, reference §1.1).
FOTA_CASE(Pull, PackageUriReadsBack,
          id("FU-PULL-URI-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6 (Package URI: RW)"),
          requirement("A Read of /5/0/1 after a Write returns the URI that was written")) {
  auto uri = publish(package());
  if (!expect_code(pull(uri), {code::Changed})) return;
  auto read = read_value(res::PackageUri);
  if (!read) return;
  expect_equal("Read /5/0/1 after the Write", uri, read->as_string());
  await_state(State::Downloaded);
}

// Reference §3.2 rule 4 and §3.7 item 2: a new URI while a package is downloaded SHOULD be
// refused (Anjay 4.00); a device that answers 2.04 and ignores it is non-strict at best.
FOTA_CASE(Pull, NewUriInDownloadedIsRefused,
          id("FU-PULL-BUSY-01"), level(Level::Should), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (undefined operations SHOULD be rejected); reference 3.2 rule 4, 3.7 item 2"),
          requirement("A non-empty Package URI written in Downloaded is refused with 4.xx and State stays 2")) {
  if (!expect_code(pull(publish(package())), {code::Changed})) return;
  await_state(State::Downloaded);
  auto again = pull(publish(package()));
  expect_that(again.delivered && again.code.cls == 4, "Write /5/0/1 with a new URI in State 2 (Downloaded)",
              "a 4.xx refusal", again.describe());
  expect_state(State::Downloaded);
}

}  // namespace
}  // namespace fc::fixtures
