// PUSH delivery (TS Core E.6.2; reference §4.2): the server writes the package to /5/0/0.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

FOTA_AREA(Push);

// ETS 755 / TS E.6.2: every non-final Block1 is answered 2.31 Continue, the last 2.04, and
// the device is then in Downloaded with Update Result 0.
FOTA_CASE(Push, BlockwiseWriteReachesDownloaded,
          id("FU-PUSH-755"), ets(755), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.2; RFC 7959 2.5; ETS 755"),
          requirement("A Block1 push is answered 2.31 per non-final block and 2.04 at the end; State 2, Result 0")) {
  if (!expect_blockwise_write_completed(push(package(), 512))) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
}

// TS Core E.6.2 draws the push as a POST with Block1; Leshan and the ETS use PUT. A client
// should take both (reference §3.7 item 7).
FOTA_CASE(Push, PostBlockwiseWriteReachesDownloaded,
          id("FU-PUSH-POST-01"), level(Level::Should), needs(Capability::Push),
          clause("TS Core E.6.2 (Package written by POST with Block1); RFC 7959 2.5; reference 3.7 item 7"),
          requirement("A Block1 push sent with POST instead of PUT is answered 2.31 per non-final block and 2.04 at "
                      "the end; State 2, Result 0")) {
  if (!expect_blockwise_write_completed(push(package(), 512, PushMethod::Post))) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
}

// ETS 770: a full update by push ends in Idle with Update Result 1 and the new version.
FOTA_CASE(Push, UpdateInstallsTheNewVersion,
          id("FU-PUSH-770"), ets(770), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6; ETS 770"),
          requirement("Push, then Execute Update: State 0, Update Result 1 and /3/0/3 is the new version")) {
  if (!expect_code(push(package()), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_code(execute_update(), {code::Changed});
  await_result(UpdateResult::Success);
  await_state(State::Idle);
  expect_equal("Read /3/0/3 after the update", packages().installed_version(), firmware_version());
}

// Reference §3.2 rule 2: one NUL byte written to Package resets Downloaded to Idle, Result 0.
FOTA_CASE(Push, NulPackageResetsDownloaded,
          id("FU-PUSH-RESET-02"), level(Level::Must), needs(Capability::Push),
          clause("TS Core E.6.1 (Package: NULL resets); object 5 rev 1.0.3"),
          requirement("Writing a single 0x00 to /5/0/0 in Downloaded answers 2.04 and returns to State 0, Result 0")) {
  if (!expect_code(push(package()), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_code(device().write_raw(res::Package, 42, Bytes{0}), {code::Changed},
              "with one 0x00 byte in State 2 (Downloaded)");
  await_state(State::Idle);
  expect_result(UpdateResult::Initial);
}

// RFC 7959 §2.5: a retransmitted first block is the same block, not a new transfer.
FOTA_CASE(Push, RepeatedFirstBlockDoesNotRestart,
          id("FU-PUSH-DUP-01"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.5; TS Core E.6.2"),
          requirement("Block 0 sent twice, then the rest: the package completes and the device reaches State 2")) {
  auto image = package();
  const std::size_t size = 512;
  auto block = [&](std::uint32_t num) {
    std::size_t from = num * size, to = std::min(image.size(), from + size);
    return ByteView(image).subspan(from, to - from);
  };
  std::uint32_t last = static_cast<std::uint32_t>((image.size() - 1) / size);
  if (!expect_code(device().write_block(res::Package, 42, block(0), {0, true, 5}), {code::Continue})) return;
  expect_code(device().write_block(res::Package, 42, block(0), {0, true, 5}), {code::Continue}, "again");
  for (std::uint32_t n = 1; n <= last; ++n) {
    auto answer = device().write_block(res::Package, 42, block(n), {n, n < last, 5});
    if (!expect_code(answer, {n < last ? code::Continue : code::Changed})) return;
  }
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
}

// RFC 7959 §2.3: a block past a gap cannot be appended: 4.08 Request Entity Incomplete.
FOTA_CASE(Push, BlockAfterAGapIsRefused,
          id("FU-PUSH-GAP-01"), level(Level::Should), needs(Capability::Push),
          clause("RFC 7959 2.3 (4.08 Request Entity Incomplete)"),
          requirement("Block 2 sent after block 0 without block 1 is answered 4.08")) {
  auto image = package();
  if (!expect_code(device().write_block(res::Package, 42, ByteView(image).subspan(0, 512), {0, true, 5}),
                   {code::Continue}))
    return;
  auto gap = device().write_block(res::Package, 42, ByteView(image).subspan(1024, 512), {2, true, 5});
  expect_code(gap, {code::RequestEntityIncomplete}, "after block 0, with block 1 left out");
}

}  // namespace
}  // namespace fc::fixtures
