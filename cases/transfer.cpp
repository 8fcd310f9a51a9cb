// The transfer itself (RFC 7959 block-wise, TS Core E.6.2; reference §4.2, §4.3): block sizes,
// a repository that picks its own, unusual URIs, and packages that change under the device.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_update_result;

class Transfer : public FotaCase {
 protected:
  // A push in blocks of `block_size` bytes completes: 2.04 on the last block, State 2, Result 0.
  void push_reaches_downloaded(std::size_t block_size) {
    expect_code(push(package(), block_size), {code::Changed}, "in " + std::to_string(block_size) + "-byte blocks");
    await_state(State::Downloaded);
    expect_result(UpdateResult::Initial);
  }

  // Publishes at a path of the case's own choosing (several segments, a query); unpublished
  // when the case ends.
  std::string publish_at(const std::string& path_and_query, const Bytes& content) {
    own_paths_.push_back(path_and_query.substr(0, path_and_query.find('?')));
    return run().repository().publish(path_and_query, content).coap_uri;
  }

  // Reads State and Result until the download has ended either way: State 2, or State 0 with
  // a Result other than 0. Returns the final (State, Result); nullopt with a finding when it
  // did neither within the transition deadline or a Read failed.
  std::optional<std::pair<std::int64_t, std::int64_t>> await_download_outcome() {
    std::optional<std::int64_t> result;
    auto ended = [&](const lwm2m::Value& state) {
      result = read_firmware(FirmwareResource::UpdateResult);
      return !result || state.as_int() == to_int(State::Downloaded) ||
             (state.as_int() == to_int(State::Idle) && *result != to_int(UpdateResult::Initial));
    };
    auto state = await_read(
        res::State, ended, "the download to end: State 2 (Downloaded), or State 0 (Idle) with a failure Update Result");
    if (!state || !result) return std::nullopt;
    return std::pair(state->as_int(), *result);
  }
  // A package that changed under the device may reach Downloaded only through a transfer
  // started again from block 0.
  void expect_restart_before_downloaded(const std::string& uri, std::string action) {
    expect_that(counters_of(uri).restarts >= 1, std::move(action), "a restart from block 0 before State 2 (Downloaded)",
                "State 2 without a restart: a spliced image");
  }
  void expect_served_once(std::size_t completed, std::string action) {
    expect_that(completed == 1, std::move(action), "the package served through its last byte once",
                "served to the end " + std::to_string(completed) + " times");
  }

  // A resource of the device read and kept as a measurement; a finding when it cannot be read.
  void measure_resource(const std::string& name, const lwm2m::Path& path) {
    if (auto value = read_value(path)) measure(name + " " + path.str(), value->as_string());
  }

  void TearDown() override {
    FotaCase::TearDown();
    for (const auto& path : own_paths_) run().repository().unpublish(path);
  }

 private:
  std::vector<std::string> own_paths_;
};

// RFC 7959 §2.2: SZX 0..6 (16..1024 bytes); a client takes whichever size the server sends.
FOTA_CASE(Transfer, PushIn16ByteBlocks,
          id("FU-XFER-PUSH-16"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 0); TS Core E.6.2"),
          requirement("A push in 16-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(16);
}

FOTA_CASE(Transfer, PushIn32ByteBlocks,
          id("FU-XFER-PUSH-32"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 1); TS Core E.6.2"),
          requirement("A push in 32-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(32);
}

FOTA_CASE(Transfer, PushIn64ByteBlocks,
          id("FU-XFER-PUSH-64"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 2); TS Core E.6.2"),
          requirement("A push in 64-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(64);
}

FOTA_CASE(Transfer, PushIn128ByteBlocks,
          id("FU-XFER-PUSH-128"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 3); TS Core E.6.2"),
          requirement("A push in 128-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(128);
}

FOTA_CASE(Transfer, PushIn256ByteBlocks,
          id("FU-XFER-PUSH-256"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 4); TS Core E.6.2"),
          requirement("A push in 256-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(256);
}

FOTA_CASE(Transfer, PushIn512ByteBlocks,
          id("FU-XFER-PUSH-512"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 5); TS Core E.6.2"),
          requirement("A push in 512-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(512);
}

FOTA_CASE(Transfer, PushIn1024ByteBlocks,
          id("FU-XFER-PUSH-1024"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.2 (SZX 6); TS Core E.6.2"),
          requirement("A push in 1024-byte Block1 blocks completes with 2.04 and State 2, Result 0")) {
  push_reaches_downloaded(1024);
}

// Reference §4.2: Size1 in the first Block1 announces the whole package, so a device whose
// flash cannot hold it can refuse at once (RFC 7959 §4: 4.13, optionally with Size1 giving the
// maximum) instead of after many blocks. Any 4.xx/5.xx at block 0 is accepted (reference §3.4).
FOTA_CASE(Transfer, PushLargerThanFlashIsRefusedAtTheFirstBlock,
          id("FU-XFER-PUSH-SIZE1"), level(Level::Should), needs(Capability::Push), faults(Fault::FlashFull),
          clause("RFC 7959 2.9.3, 4 (Size1, 4.13); reference 4.2, 3.4; TS Core E.6.1 (Update Result 2)"),
          requirement("A push whose first block announces a Size1 larger than the flash is refused at block 0 with "
                      "4.xx/5.xx and ends in State 0 with Update Result 2")) {
  auto image = package_with_fault(Fault::FlashFull);
  if (!image) return;
  auto write = push(*image, 512);
  const auto larger_than_flash = "Write /5/0/0 with a Size1 larger than the flash";
  if (!expect_that(!write.blocks.empty(), larger_than_flash, "a Block1 exchange", write.describe())) return;
  expect_that(write.blocks.size() == 1, larger_than_flash, "the refusal at block 0",
              "the answer after " + std::to_string(write.blocks.size()) + " blocks");
  expect_that(write.delivered && write.code.cls >= 4, larger_than_flash, "4.xx/5.xx", write.describe());
  if (write.is(code::RequestEntityTooLarge))
    measure("4.13 Size1 (largest acceptable)", write.last.size1 ? std::to_string(*write.last.size1) : "absent");
  await_result(UpdateResult::NotEnoughFlash);
  await_state(State::Idle);
}

// RFC 7959 §2.4: the server may answer a Block2 request with a smaller block; the client
// continues at that size.
FOTA_CASE(Transfer, PullFollowsASmallerServerBlockSize,
          id("FU-XFER-PULL-SZX"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4 (server-chosen smaller SZX); TS Core E.6.2"),
          requirement("A pull served in 64-byte blocks whatever the device asks reaches State 2 with Result 0")) {
  auto uri = publish(package(), Scheme::Coap, "max-block:64");
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
  expect_served_once(counters_of(uri).completed, "Pull served in 64-byte blocks");
}

// RFC 7252 §6.4: Uri-Path per segment and Uri-Query are part of the resource the device asks for.
FOTA_CASE(Transfer, PullUriWithSegmentsAndQuery,
          id("FU-XFER-PULL-URI"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7252 6.4 (URI decomposition); TS Core E.6 (Package URI)"),
          requirement("A Package URI with several path segments and a query is fetched as given: State 2, Result 0")) {
  auto uri = publish_at("/fw/xfer-uri/a/b/c.bin?x=1", package());
  if (!expect_code(pull(uri), {code::Changed})) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
  expect_served_once(run().repository().counters("/fw/xfer-uri/a/b/c.bin").completed, "Pull of " + uri);
}

// TS Core E.6 (object 5 resource 1: String, 0..255 bytes): the longest Package URI the object
// allows is taken and fetched as given.
FOTA_CASE(Transfer, PullUriOf255Bytes,
          id("FU-XFER-URI-255"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6 (Package URI: String, 0..255 bytes); reference 1.1"),
          requirement("A Package URI of exactly 255 bytes is accepted with 2.04 and fetched: State 2, Result 0")) {
  const std::string stem = "/fw/uri-255/";
  // The repository's URI of a path is its scheme, host and port followed by the path.
  const std::string probe = stem + "probe.bin";
  const std::size_t base = publish_at(probe, Bytes{0}).size() - probe.size() + stem.size() + 4;  // + ".bin"
  if (!expect_that(base < 255, "Building a 255-byte Package URI", "a repository URI shorter than 255 bytes",
                   std::to_string(base) + " bytes without a name"))
    return;
  const std::string path = stem + std::string(255 - base, 'u') + ".bin";
  auto uri = publish_at(path, package());
  if (!expect_equal("Length of the Package URI written", 255, static_cast<std::int64_t>(uri.size()))) return;
  if (!expect_code(pull(uri), {code::Changed}, "(a 255-byte URI)")) return;
  await_state(State::Downloaded);
  expect_result(UpdateResult::Initial);
  expect_served_once(run().repository().counters(path).completed, "Pull of the 255-byte URI");
}

// RFC 7959 §2.4 with RFC 7252 §5.10.6: an ETag that changes between blocks means another
// representation; appending its blocks would splice two images.
FOTA_CASE(Transfer, EtagChangeNeverSplicesAnImage,
          id("FU-XFER-ETAG-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4; RFC 7252 5.10.6 (ETag); reference 4.3"),
          requirement("When the ETag changes at block 3 the device fails the download or restarts it from block 0")) {
  auto uri = publish(package(), Scheme::Coap, "etag-change-at-block:3");
  if (!expect_code(pull(uri), {code::Changed})) return;
  // Failing (State 0 with an error Result, the only other way the wait ends) is right as it is.
  auto outcome = await_download_outcome();
  if (outcome && outcome->first == to_int(State::Downloaded))
    expect_restart_before_downloaded(uri, "Pull of a package whose ETag changes at block 3");
}

// TS Core E.6.1 (Result 5): bytes that change mid-transfer under the same ETag fail the
// package's integrity check, at download or at Update (T11); they are never installed.
FOTA_CASE(Transfer, ContentChangeFailsIntegrity,
          id("FU-XFER-SPLICE-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result 5); reference 4.3, 3.1 T11"),
          requirement("When the package bytes change at block 3 under the same ETag the device ends with Result 5 "
                      "(at download, or at Update: T11) or restarts the download; the spliced image is never installed")) {
  auto uri = publish(package(), Scheme::Coap, "content-change-at-block:3");
  if (!expect_code(pull(uri), {code::Changed})) return;
  auto outcome = await_download_outcome();
  if (!outcome) return;
  const auto changed = "Pull of a package whose bytes change at block 3 under the same ETag";
  if (outcome->first == to_int(State::Downloaded)) {
    // A download started again from block 0 holds one whole image. Without a restart the
    // spliced image is in State 2: a device that judges integrity at Update (T11) may still
    // be right, so the clause is judged there: it must never be installed.
    if (counters_of(uri).restarts == 0) expect_update_refuses_corrupted_package();
  } else
    expect_that(outcome->second == to_int(UpdateResult::IntegrityFailure), changed,
                describe_update_result(to_int(UpdateResult::IntegrityFailure)),
                describe_update_result(outcome->second));
}

// ETS 701 (in part): the radio data a FOTA campaign looks at before a large download.
FOTA_CASE(Transfer, ConnectivityMonitoringIsReadable,
          id("FU-CONN-701"), ets(701), level(Level::Info),
          clause("TS Core E.5 (object 4: Network Bearer, Radio Signal Strength); ETS 701"),
          requirement("/4/0/0 (Network Bearer) and /4/0/2 (Radio Signal Strength) answer a Read; values are recorded")) {
  measure_resource("network bearer", lwm2m::Path{4, 0, 0});
  measure_resource("radio signal strength (dBm)", lwm2m::Path{4, 0, 2});
}

}  // namespace
}  // namespace fc::fixtures
