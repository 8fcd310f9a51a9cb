// The transfer itself (RFC 7959 block-wise, TS Core E.6.2; reference §4.2, §4.3): block sizes,
// a repository that picks its own, unusual URIs, and packages that change under the device.
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Transfer : public FotaCase {
 protected:
  // A push in blocks of `block_size` bytes completes: 2.04 on the last block, State 2, Result 0.
  void push_reaches_downloaded(std::size_t block_size) {
    auto write = push(package(), block_size);
    EXPECT_TRUE(write.is(code::Changed)) << block_size << "-byte blocks: " << write.describe();
    await_state(state::Downloaded);
    expect_result(result::Initial);
  }

  // Publishes at a path of the case's own choosing (several segments, a query); unpublished
  // when the case ends.
  std::string publish_at(const std::string& path_and_query, const Bytes& content) {
    own_paths_.push_back(path_and_query.substr(0, path_and_query.find('?')));
    return run().repository().publish(path_and_query, content).coap_uri;
  }

  // Reads State and Result until the download has ended either way: State 2, or State 0 with
  // a Result other than 0. Returns the final (State, Result).
  std::pair<std::int64_t, std::int64_t> await_download_outcome() {
    Deadline deadline(run().deadlines().transition);
    std::optional<std::int64_t> s, r;
    do {
      s = read_firmware(FirmwareResource::State);
      r = read_firmware(FirmwareResource::UpdateResult);
      if (!s || !r) return {-1, -1};
      if (*s == state::Downloaded || (*s == state::Idle && *r != result::Initial)) return {*s, *r};
      run().loop().run_for(Duration(100));
    } while (!deadline.passed());
    ADD_FAILURE() << "the download neither completed nor failed within " << run().deadlines().transition.count()
                  << " ms (State " << *s << ", Update Result " << *r << ")";
    return {*s, *r};
  }

  // A resource of the device read and kept as a measurement; "" when it cannot be read.
  std::string measure_resource(const std::string& name, const lwm2m::Path& path) {
    auto response = device().read(path);
    auto value = response.value(path);
    EXPECT_TRUE(response.ok() && value) << "Read " << path.str() << ": " << response.describe();
    if (!value) return {};
    measure(name + " " + path.str(), value->as_string());
    return value->as_string();
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
  ASSERT_TRUE(inject(Fault::FlashFull)) << "the device did not come back with the flash_full fault";
  auto write = push(package(), 512);
  ASSERT_FALSE(write.blocks.empty()) << write.describe();
  EXPECT_EQ(write.blocks.size(), 1u) << "the refusal came after " << write.blocks.size() << " blocks, not at block 0";
  EXPECT_TRUE(write.delivered && write.code.cls >= 4) << write.describe();
  if (write.is(code::RequestEntityTooLarge))
    measure("4.13 Size1 (largest acceptable)", write.last.size1 ? std::to_string(*write.last.size1) : "absent");
  await_result(result::NotEnoughFlash);
  await_state(state::Idle);
}

// RFC 7959 §2.4: the server may answer a Block2 request with a smaller block; the client
// continues at that size.
FOTA_CASE(Transfer, PullFollowsASmallerServerBlockSize,
          id("FU-XFER-PULL-SZX"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4 (server-chosen smaller SZX); TS Core E.6.2"),
          requirement("A pull served in 64-byte blocks whatever the device asks reaches State 2 with Result 0")) {
  auto uri = publish(package(), Scheme::Coap, "max-block:64");
  ASSERT_TRUE(pull(uri).is(code::Changed));
  await_state(state::Downloaded);
  expect_result(result::Initial);
  EXPECT_EQ(counters_of(uri).completed, 1u) << "the package should be served through its last byte once";
}

// RFC 7252 §6.4: Uri-Path per segment and Uri-Query are part of the resource the device asks for.
FOTA_CASE(Transfer, PullUriWithSegmentsAndQuery,
          id("FU-XFER-PULL-URI"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7252 6.4 (URI decomposition); TS Core E.6 (Package URI)"),
          requirement("A Package URI with several path segments and a query is fetched as given: State 2, Result 0")) {
  auto uri = publish_at("/fw/xfer-uri/a/b/c.bin?x=1", package());
  ASSERT_TRUE(pull(uri).is(code::Changed));
  await_state(state::Downloaded);
  expect_result(result::Initial);
  EXPECT_EQ(run().repository().counters("/fw/xfer-uri/a/b/c.bin").completed, 1u);
}

// RFC 7959 §2.4 with RFC 7252 §5.10.6: an ETag that changes between blocks means another
// representation; appending its blocks would splice two images.
FOTA_CASE(Transfer, EtagChangeNeverSplicesAnImage,
          id("FU-XFER-ETAG-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.4; RFC 7252 5.10.6 (ETag); reference 4.3"),
          requirement("When the ETag changes at block 3 the device fails the download or restarts it from block 0")) {
  auto uri = publish(package(), Scheme::Coap, "etag-change-at-block:3");
  ASSERT_TRUE(pull(uri).is(code::Changed));
  auto [final_state, final_result] = await_download_outcome();
  if (final_state == state::Downloaded)
    EXPECT_GE(counters_of(uri).restarts, 1u) << "Downloaded without a restart from block 0: a spliced image";
  else
    EXPECT_NE(final_result, result::Initial) << "the download ended without an error Result";
}

// TS Core E.6.1 (Result 5): bytes that change mid-transfer under the same ETag fail the
// package's integrity check; they are never installed.
FOTA_CASE(Transfer, ContentChangeFailsIntegrity,
          id("FU-XFER-SPLICE-01"), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core E.6.1 (Update Result 5); reference 4.3"),
          requirement("When the package bytes change at block 3 under the same ETag the device ends with Result 5 "
                      "or restarts the download")) {
  auto uri = publish(package(), Scheme::Coap, "content-change-at-block:3");
  ASSERT_TRUE(pull(uri).is(code::Changed));
  auto [final_state, final_result] = await_download_outcome();
  if (final_state == state::Downloaded)
    EXPECT_GE(counters_of(uri).restarts, 1u) << "a spliced package reached Downloaded";
  else
    EXPECT_EQ(final_result, result::IntegrityFailure);
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
