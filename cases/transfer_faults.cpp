// Transfers that fail without a clean end (TS Core E.6.1 Update Result 4, ETS 775; reference
// §4.3 failure detection): a repository that answers 5xx, an HTTP body that stops with the
// connection left open, a CoAP separate response that never comes, a push abandoned midway.
// A silent peer is bounded by what the profile declares (timing.download_inactivity): no
// specification says how long a device waits, so without it those cases are not-tested.
#include <fmt/format.h>

#include "cases/delivery_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class TransferFaults : public DeliveryCase {};

// ETS 775 with a repository that answers but refuses: an HTTP 5xx is no package. Reference §4.3:
// Anjay reports a failed HTTP download as 4 (7 for 404 only), Zephyr any non-2.05 as 4; a
// device that calls the URI unusable (7) is not wrong either. Never State 2, never stuck in 1.
FOTA_CASE(TransferFaults, HttpServerErrorFailsTheDownload,
          id("FU-RES-775-HTTP5XX"), ets(775), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.1 (T5: a download error ends in State 0 with its Result); ETS 775; reference 4.3; "
                 "RFC 9110 15.6.4 (503)"),
          requirement("An http:// Package URI the repository answers 503 Service Unavailable is accepted with 2.04 "
                      "and ends in State 0 with Update Result 4 (or 7)")) {
  auto uri = publish(package(), Scheme::Http, "error-at-byte:0,code=503");
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_download_failed({UpdateResult::ConnectionLost, UpdateResult::InvalidUri},
                        session().deadlines().transition, "Pull answered HTTP 503");
}

// ETS 775 with a connection that stays open: the repository sends 1 KiB of the body and then
// nothing, longer than the device declares it waits. It must give up: State 0, Result 4.
FOTA_CASE(TransferFaults, HttpStallWithoutCloseFailsTheDownload,
          id("FU-RES-775-HTTP-STALL"), ets(775), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.1 (Update Result 4); ETS 775; reference 4.3 (failure detection: inactivity); "
                 "profile timing.download_inactivity"),
          requirement("When the HTTP repository stops sending after 1024 bytes and keeps the connection open, the "
                      "device ends in State 0 with Result 4 within its declared download_inactivity")) {
  auto within = silent_transfer_deadline();
  if (!within) return;
  // Silent for twice the bound: a device without a timeout is judged before the body resumes.
  auto uri = publish(package(), Scheme::Http, fmt::format("stall:byte=1024,for={}ms", 2 * within->count()));
  if (!expect_code(pull(uri), {code::Changed})) return;
  const std::string action = "Pull whose HTTP body stops at byte 1024";
  auto end = await_download_end(*within);
  if (!end) return;
  // A device that leaves the stalled connection and takes the package by a new request (a
  // ranged resumption, or from the start) did not wait on the silent peer: State 2 is right.
  const auto served = counters_of(uri);
  if (end->first == to_int(State::Downloaded) && served.restarts + served.resumes > 0) {
    measure("after the stall", fmt::format("left the stalled connection: {} resumes, {} restarts; the package whole",
                                           served.resumes, served.restarts));
    return;
  }
  expect_that(end->first == to_int(State::Idle) && end->second == to_int(UpdateResult::ConnectionLost), action,
              fmt::format("State 0 (Idle) with Update Result 4 (Connection lost) within {} ms, or the package "
                          "taken whole by a new request",
                          within->count()),
              end->first == to_int(State::Downloaded)
                  ? std::string("State 2 (Downloaded) on the stalled connection: a package the peer never finished sending")
                  : lwm2m::firmware::describe_update_result(end->second) + " with State 0");
}

// RFC 7252 §5.2.2: an empty ACK promises a separate response; when it never comes the request
// is still unanswered, and the download is lost (ETS 775): State 0, Result 4.
FOTA_CASE(TransferFaults, MissingSeparateResponseFailsTheDownload,
          id("FU-RES-775-SEPARATE"), ets(775), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result 4); ETS 775; RFC 7252 5.2.2 (separate response); "
                 "profile timing.download_inactivity"),
          requirement("When the CoAP repository answers the request for block 2 with an empty ACK and never sends "
                      "the response, the device ends in State 0 with Result 4 within its declared "
                      "download_inactivity")) {
  auto within = silent_transfer_deadline();
  if (!within) return;
  auto uri = publish(package(), Scheme::Coap, "ack-then-silence-at-block:2");
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_download_failed({UpdateResult::ConnectionLost}, *within, "Pull whose block 2 gets an empty ACK only");
}

// TS Core E.6.2 push, abandoned by the server after 3 of its blocks. The device holds no whole
// package, so never State 2; it fails the transfer (T5: State 0, Result 4; a device that drops
// it as never begun, State 0 with Result 0, is accepted) and takes the next push from block 0
// once its declared download_inactivity has passed (5.03 "busy" before that is no finding).
FOTA_CASE(TransferFaults, AbandonedPushIsDroppedAndANewPushCompletes,
          id("FU-PUSH-ABANDON-01"), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1 (T5), E.6.2; RFC 7959 2.5 (Block1 state); profile timing.download_inactivity"),
          requirement("A push abandoned after 3 of its Block1 blocks never reaches State 2; within the declared "
                      "download_inactivity the device is in State 0 (Result 4, or 0), and a new push then "
                      "completes with 2.04 and State 2, Result 0")) {
  auto within = silent_transfer_deadline();
  if (!within) return;
  Block1Transfer transfer(package());
  for (std::uint32_t n = 0; n < 3; ++n)
    if (!expect_code(send_block(transfer, n), {code::Continue})) return abandon_block1();
  // Result 0 in State 0 is "dropped as never begun": the end of a wait on State alone.
  auto idle = await_read(
      res::State, [](const lwm2m::Value& s) { return s.as_int() != to_int(State::Downloading); },
      "the abandoned push to end: State 0 (Idle)", *within);
  if (!idle) return abandon_block1();
  if (!expect_equal("State after the push was abandoned", to_int(State::Idle), idle->as_int())) return;
  auto result = read_firmware(FirmwareResource::UpdateResult);
  expect_that(result == to_int(UpdateResult::ConnectionLost) || result == to_int(UpdateResult::Initial),
              "Update Result after the push was abandoned", "4 (connection lost) or 0",
              result ? std::to_string(*result) : "no answer");
  // A device that shows no State 1 during a push (T3: Anjay goes 0 to 2) may still hold the
  // abandoned exchange and answer 5.03 (busy) until it lets it go: the new push is tried again
  // until the declared bound has passed.
  const auto image = package();
  auto again = push(image, transfer.block_size());
  for (Deadline busy(*within); again.is(code::ServiceUnavailable) && !busy.passed();
       again = push(image, transfer.block_size()))
    run().loop().run_for(std::min(Duration(500), busy.remaining()));
  if (!expect_blockwise_write_completed(again)) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
}

}  // namespace
}  // namespace fc::fixtures
