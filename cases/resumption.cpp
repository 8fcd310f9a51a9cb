// The resumption matrix (reference §4.3; RFC 7959 §2.4 with RFC 7252 §5.10.6 for CoAP, RFC 9110
// §13.1.1, §13.1.5, §14 for HTTP): a pull cut by a lost link or a reboot, a package replaced
// meanwhile, a weak ETag, a 412. Resuming is a device's choice, never a MUST: a device that
// starts over, or fails with Result 4 and then takes the Package URI again, passes. What is a
// MUST: the downloaded image is one whole package, never two spliced (an intact package the
// device calls corrupt, Result 5, was spliced or resumed at the wrong byte), the install shows
// the package's own version, a range is validated only by a strong ETag, and 412 means start
// over. Every case measures the re-download ratio (bytes served / package size).
#include <fmt/format.h>

#include "cases/delivery_case.h"
#include "suite/profile/deadlines.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_update_result;

// Where every cut strikes: block 8 of 1024 B, byte 8192 over HTTP.
constexpr std::uint64_t kCutByte = 8192;

class Resumption : public DeliveryCase {
 protected:
  // The repository path of a URI published by this case: what replace_content takes.
  static std::string path_of(const std::string& uri) {
    auto from = uri.find('/', uri.find("://") + 3);
    auto path = uri.substr(from);
    return path.substr(0, path.find('?'));
  }

  // The cut. CoAP: the link dies at the cut and stays dead until the device gives the download
  // up (State 0: it is released then, the retry needs the link) or, for a device that keeps
  // trying, until a request in flight at the cut has surely been given up (in_flight_given_up),
  // so a device that resumes finds the link back. HTTP: the connection closes at the cut (once),
  // which every device notices at once; with `paused`, the body stops there for as long instead
  // and closes then if the package was replaced meanwhile (a device that waits it out sees the
  // close).
  std::string link_loss_at_cut(Scheme scheme, bool paused = false) {
    outage_ = in_flight_given_up();
    if (scheme == Scheme::Coap) return fmt::format("stall:block={},for={}ms", kCutByte / 1024, outage_.count());
    if (paused) return fmt::format("stall:byte={},for={}ms", kCutByte, outage_.count());
    outage_ = Duration(0);
    return fmt::format("drop-after-byte:{},once", kCutByte);
  }
  // A pause at the cut, so a reboot lands in the middle of the transfer: released once the
  // device is back (resumes_or_restarts_after_reboot), bounded by a transition should the case
  // never get there.
  std::string pause_at_cut(Scheme scheme) {
    const auto bound = session().deadlines().transition.count();
    return scheme == Scheme::Coap ? fmt::format("stall:block={},for={}ms", kCutByte / 1024, bound)
                                  : fmt::format("stall:byte={},for={}ms", kCutByte, bound);
  }
  // When a request in flight at the cut has been given up by the device: its declared
  // timing.download_inactivity or, sooner, the MAX_TRANSMIT_WAIT of timing.coap (no retry
  // after it), then one ACK_TIMEOUT x ACK_RANDOM_FACTOR for the device to act on it. A device
  // still retrying when the link is back just continues: it is never blamed, only tested less.
  Duration in_flight_given_up() {
    const auto& deadlines = session().deadlines();
    const auto max_transmit_wait = profile::derive_deadlines(profile().timing).max_transmit_wait;
    return std::min(max_transmit_wait, deadlines.download_inactivity.value_or(max_transmit_wait)) + deadlines.quiet;
  }

  // Waits until the transfer stands at the cut: the bytes before it served, and over CoAP the
  // block at it too (the relay drops that response: the link's silence begins there).
  bool await_cut_reached(const std::string& uri, Scheme scheme) {
    const auto at_cut = scheme == Scheme::Coap ? kCutByte + 1 : kCutByte;
    const bool reached = run().loop().await([&] { return counters_of(uri).bytes >= at_cut; },
                                            Deadline(session().deadlines().transition));
    return expect_that(reached, "Pull of " + uri, fmt::format("the first {} bytes fetched", kCutByte),
                       fmt::format("{} bytes fetched", counters_of(uri).bytes));
  }

  // The end of a cut download: State 2, or State 0 with one of `gave_up` (a device that does
  // not resume); then the server writes the Package URI again, as a campaign retries, and the
  // second pull must reach State 2. Result 5 for an intact package is the splice this matrix
  // is about. True when the device holds a package in State 2.
  bool expect_downloaded_despite_the_cut(const std::string& uri, const std::vector<UpdateResult>& gave_up,
                                         Duration within) {
    const auto action = "Pull of " + uri + " cut mid-way";
    auto end = await_download_end(within);
    if (!end) return false;
    if (end->first == to_int(State::Idle)) {
      if (!expect_not_spliced(end->second, action)) return false;
      const bool listed = std::any_of(gave_up.begin(), gave_up.end(), [&](auto r) { return to_int(r) == end->second; });
      if (!expect_that(listed, action, "State 2, or State 0 with the Result of a lost download",
                       describe_update_result(end->second) + " with State 0"))
        return false;
      measure("after the cut", "gave up with " + describe_update_result(end->second) +
                                   "; the Package URI was written again once the link was back");
      // The device gave the download up: the link comes back now, before the server's retry (a
      // new pull into a dead link proves nothing). The repository ends the stall itself, so
      // the retry never races the stall's own end.
      run().repository().release_stalls(path_of(uri));
      if (!expect_code(pull(uri), {code::Changed}, "(the Package URI again, after the device gave up)")) return false;
      end = await_download_end(within);
      if (!end) return false;
      if (end->first == to_int(State::Idle)) {
        expect_not_spliced(end->second, "Pull of " + uri + " again after the cut");
        return expect_that(false, "Pull of " + uri + " again after the cut", "State 2 (Downloaded)",
                           describe_update_result(end->second) + " with State 0");
      }
    }
    // Seen by Read: Update waits until State 2 is notified too, as after any other download.
    await_state_notified(State::Downloaded);
    return expect_result(UpdateResult::Initial);
  }

  // Result 5 (integrity) for a package the repository served intact: the image the device holds
  // is not the package it was sent (bytes of two representations, or a gap at the resumed byte).
  bool expect_not_spliced(std::int64_t result, const std::string& action) {
    return expect_that(result != to_int(UpdateResult::IntegrityFailure), action,
                       "one whole package (State 2), or a lost download",
                       describe_update_result(result) + " for a package served intact: the device joined bytes "
                                                        "that are not one package (a splice, or a resumption at the "
                                                        "wrong byte)",
                       "RFC 7959 2.4; RFC 9110 13.1.1, 14.2; reference 4.3");
  }

  // How long the link stays down at the cut at most (a stall the device's give-up ends sooner).
  Duration outage_{0};

  // How long a cut download may take to end either way: the outage, then two transitions (a
  // device retrying within its own bounds).
  Duration cut_deadline() { return outage_ + 2 * session().deadlines().transition; }

  // Bytes served per byte of the package, the measurement of every case here.
  void measure_redownload(const std::string& uri) {
    auto c = counters_of(uri);
    measure("re-download ratio", fmt::format("{:.2f} ({} B served for a {} B package; {} restarts, {} resumes, {} "
                                             "ranged requests, {} answered 412)",
                                             c.redownload_ratio(), c.bytes, c.size, c.restarts, c.resumes, c.ranged,
                                             c.precondition_failed));
  }

  // A pull cut by a lost link (`extra` impairments add to it) ends with the package whole.
  // Returns the package's URI; nullopt when the cut cannot be made.
  std::string resumes_or_restarts_after_link_loss(Scheme scheme, std::string_view extra = {}) {
    auto cut = link_loss_at_cut(scheme);
    auto uri = publish(package(), scheme, extra.empty() ? cut : std::string(extra) + ";" + cut);
    if (!expect_code(pull(uri), {code::Changed}) || !await_cut_reached(uri, scheme)) return uri;
    const bool downloaded = expect_downloaded_despite_the_cut(uri, {UpdateResult::ConnectionLost}, cut_deadline());
    measure_redownload(uri);
    if (downloaded) install_new_version();
    return uri;
  }

  // A pull cut by a reboot (Execute /3/0/4) ends with the package whole: resumed after the
  // reboot, or given up (Result 0 or 4, FU-BOOT-003) and taken again.
  void resumes_or_restarts_after_reboot(Scheme scheme) {
    auto uri = publish(package(), scheme, pause_at_cut(scheme));
    if (!expect_code(pull(uri), {code::Changed})) return;
    const bool rebooted = await_cut_reached(uri, scheme) && reboot_device();
    run().repository().release_stalls(path_of(uri));  // the transfer it paused is gone with the reboot
    if (!rebooted) return;
    const bool downloaded = expect_downloaded_despite_the_cut(
        uri, {UpdateResult::Initial, UpdateResult::ConnectionLost}, session().deadlines().transition * 2);
    measure_redownload(uri);
    if (downloaded) install_new_version();
  }

  // The repository replaces the package under the same URI (a new ETag) while the link is down:
  // the device must install the new package whole, never the old one's head on the new tail.
  void never_splices_a_replaced_package(Scheme scheme) {
    auto uri = publish(package(), scheme, link_loss_at_cut(scheme, /*paused=*/true));
    if (!expect_code(pull(uri), {code::Changed})) return;
    if (!await_cut_reached(uri, scheme)) return;
    // package() numbers the replacement anew: install_new_version() expects its version.
    auto replaced = run().repository().replace_content(path_of(uri), package());
    measure("replaced at the cut", "a new package (" + package_version() + ", ETag " + to_hex(replaced.etag) +
                                       ") under the same URI");
    const bool downloaded = expect_downloaded_despite_the_cut(uri, {UpdateResult::ConnectionLost}, cut_deadline());
    measure_redownload(uri);
    if (downloaded) install_new_version();
  }
};

FOTA_CASE(Resumption, LinkLossMidCoapPull,
          id("FU-XFER-RESUME-LINK-COAP"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4; RFC 7252 5.10.6 (ETag); TS Core E.6.1 (T5, Update Result 4); reference 4.3 "
                 "(resumption); profile timing.coap, timing.download_inactivity"),
          requirement("A CoAP pull whose link dies at block 8 until the device gives the download up, or for its declared "
                      "download inactivity or CoAP MAX_TRANSMIT_WAIT (the sooner) and one ACK timeout, then comes back, "
                      "ends with the whole package: resumed, started over, or given up with Result 4 and fetched "
                      "again on a new Package URI write; never Result 5; the install shows its version")) {
  resumes_or_restarts_after_link_loss(Scheme::Coap);
}

FOTA_CASE(Resumption, LinkLossMidHttpPull,
          id("FU-XFER-RESUME-LINK-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("RFC 9110 14.2 (Range), 13.1.1 (If-Match); TS Core E.6.1 (T5, Update Result 4); reference 4.3 "
                 "(resumption)"),
          requirement("An HTTP pull whose connection closes at byte 8192 (the next request is served) ends with the "
                      "whole package: resumed by Range, started over, or given up with Result 4 and fetched again "
                      "on a new Package URI write; never Result 5; the install shows its version")) {
  resumes_or_restarts_after_link_loss(Scheme::Http);
}

FOTA_CASE(Resumption, RebootMidCoapPull,
          id("FU-XFER-RESUME-BOOT-COAP"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.4 (Reboot), E.6.1 (State 1); RFC 7959 2.4; reference 4.3 (resumption), 2.1"),
          requirement("A CoAP pull cut by a Reboot after 8 KiB ends with the whole package: resumed after the "
                      "reboot, or given up (State 0, Result 0 or 4) and fetched again on a new Package URI write; "
                      "never Result 5; the install shows its version")) {
  resumes_or_restarts_after_reboot(Scheme::Coap);
}

FOTA_CASE(Resumption, RebootMidHttpPull,
          id("FU-XFER-RESUME-BOOT-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.4 (Reboot), E.6.1 (State 1); RFC 9110 14.2, 13.1.1; reference 4.3 (resumption), 2.1"),
          requirement("An HTTP pull cut by a Reboot after 8 KiB ends with the whole package: resumed by Range "
                      "after the reboot, or given up (State 0, Result 0 or 4) and fetched again on a new Package "
                      "URI write; never Result 5; the install shows its version")) {
  resumes_or_restarts_after_reboot(Scheme::Http);
}

FOTA_CASE(Resumption, ReplacedPackageIsNeverSplicedCoap,
          id("FU-XFER-RESUME-CHANGED-COAP"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4; RFC 7252 5.10.6 (ETag); reference 4.3 (an ETag changed: restart); "
                 "profile timing.coap, timing.download_inactivity"),
          requirement("When the repository replaces the package (a new ETag) under the same coap:// URI while the "
                      "link is down at block 8, the device ends with the new package whole (a resumption must see "
                      "the ETag change and start over), never Result 5; the install shows the new version")) {
  never_splices_a_replaced_package(Scheme::Coap);
}

FOTA_CASE(Resumption, ReplacedPackageIsNeverSplicedHttp,
          id("FU-XFER-RESUME-CHANGED-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("RFC 9110 13.1.1 (If-Match), 13.1.5 (If-Range), 14.2; reference 4.3 (412: restart); "
                 "profile timing.coap, timing.download_inactivity"),
          requirement("When the repository replaces the package (a new ETag) under the same http:// URI while the "
                      "body is stopped at byte 8192 until the device gives the download up, or for its declared download "
                      "inactivity or CoAP MAX_TRANSMIT_WAIT (the sooner) and one ACK timeout (then the connection "
                      "closes), the device ends with the new package whole (a Range must be "
                      "validated by the old ETag and start over on 412), never Result 5; the install shows the new "
                      "version")) {
  never_splices_a_replaced_package(Scheme::Http);
}

// RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag never matches; §13.1.5: a client
// MUST NOT send a weak tag in If-Range. Reference §4.3: Anjay ignores weak ETags. A range
// without a strong validator may join two representations: none may be asked for.
FOTA_CASE(Resumption, WeakEtagValidatesNoRange,
          id("FU-XFER-RESUME-WEAK-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("RFC 9110 13.1.1, 13.1.5 (a weak ETag validates no range), 8.8.3; reference 4.3 (weak ETags "
                 "ignored)"),
          requirement("An HTTP pull served with a weak ETag (W/\"…\") and cut at byte 8192 is never continued by a "
                      "Range request: started over, or given up with Result 4; it ends with the whole package")) {
  auto c = counters_of(resumes_or_restarts_after_link_loss(Scheme::Http, "weak-etag"));
  expect_that(c.ranged == 0, "Pull of a package served with a weak ETag, cut at byte 8192",
              "no Range request (a weak ETag validates none)",
              fmt::format("{} Range request(s)", c.ranged));
}

// RFC 9110 §13.1.1, §15.5.13; reference §4.3: a resumed range whose If-Match no longer holds
// is answered 412 and the device starts over from byte 0 (or fails the download). Here every
// range carries another ETag than the whole package, so no range may ever be served.
FOTA_CASE(Resumption, PreconditionFailedStartsOver,
          id("FU-XFER-RESUME-412-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("RFC 9110 13.1.1 (If-Match), 15.5.13 (412); reference 4.3 (412: restart from the beginning)"),
          requirement("When every range of an HTTP package carries another ETag than its whole body and the pull is "
                      "cut at byte 8192, no range is served (a resumption gets 412 and starts over from byte 0, "
                      "never asks again without If-Match); it ends with the whole package")) {
  auto c = counters_of(resumes_or_restarts_after_link_loss(Scheme::Http, "etag-change-at-byte:1"));
  expect_that(c.resumes == 0, "Pull of a package whose ranges carry another ETag, cut at byte 8192",
              "no range served (each one refused 412, then a start from byte 0)",
              fmt::format("{} range(s) served under another ETag than the one begun ({} answered 412)", c.resumes,
                          c.precondition_failed));
}

}  // namespace
}  // namespace fc::fixtures
