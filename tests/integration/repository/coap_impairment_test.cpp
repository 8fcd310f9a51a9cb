// Every CoAP impairment against the suite's Block2 downloader on loopback: what arrived, how
// the download ended, what the repository and the relay counted, and the trace note it left.
#include "tests/integration/repository/repository_fixture.h"

namespace fc::repository::testing {
namespace {

namespace code = coap::code;

class CoapImpairmentTest : public RepositoryTest {
 protected:
  const Bytes content = pattern(5000);  // five 1024-byte blocks, the last one 904 B
};

TEST_F(CoapImpairmentTest, DropAfterBlockIsADeadLinkAfterThatBlock) {
  auto published = repository.publish("/fw/a.bin", content, "drop-after-block:3");
  ASSERT_NE(repository.relay("/fw/a.bin"), nullptr);
  EXPECT_EQ(published.coap_uri,
            "coap://127.0.0.1:" + std::to_string(repository.relay("/fw/a.bin")->address().port) + "/fw/a.bin");
  EXPECT_NE(repository.relay("/fw/a.bin")->address().port, repository.coap_address().port);

  auto got = fetcher.fetch(published.coap_uri, impatient());
  EXPECT_EQ(got.end, FetchResult::End::DeadLink) << got.error;
  EXPECT_EQ(got.body, slice(content, 0, 4096));
  EXPECT_EQ(got.blocks.size(), 4u);

  const auto& relay = *repository.relay("/fw/a.bin");
  EXPECT_EQ(relay.counts().to_repository, 5u);
  EXPECT_EQ(relay.counts().to_client, 4u);
  EXPECT_EQ(relay.counts().dropped_to_client, 1u);
  // The repository served block 4 (its own view: the whole package went out once); the relay
  // swallowed it.
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.blocks, 5u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(notes_with("drop-after-block:3: dropped response to block 4"), 1u);
}

TEST_F(CoapImpairmentTest, DropAfterByteKeepsTheClientBelowThatByte) {
  auto published = repository.publish("/fw/a.bin", content, "drop-after-byte:2500");
  auto got = fetcher.fetch(published.coap_uri, impatient());
  EXPECT_EQ(got.end, FetchResult::End::DeadLink);
  EXPECT_EQ(got.body, slice(content, 0, 2048));
  EXPECT_EQ(repository.relay("/fw/a.bin")->counts().dropped_to_client, 1u);
  EXPECT_EQ(notes_with("drop-after-byte:2500: dropped response to block 2"), 1u);
}

TEST_F(CoapImpairmentTest, StallSilencesTheLinkThenTheDownloadCompletes) {
  auto published = repository.publish("/fw/a.bin", content, "stall:block=2,for=500ms");
  auto started = Clock::now();
  auto got = fetcher.fetch(published.coap_uri, persistent());  // retransmits after 1 s: past the stall
  auto took = Clock::now() - started;
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  EXPECT_GE(took, Duration(500));

  const auto& relay = *repository.relay("/fw/a.bin");
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.restarts, 0u);
  EXPECT_EQ(relay.counts().dropped_to_client, 1u);
  EXPECT_EQ(relay.counts().to_client, 5u);
  EXPECT_EQ(c.blocks, 6u);  // block 2 went out twice: swallowed, then after the retransmission
  EXPECT_EQ(notes_with("stall:block=2,for=500ms: link silent from here, dropped response to block 2"), 1u);
  EXPECT_EQ(notes_with("stall:block=2,for=500ms: link back, 1 datagrams dropped while silent"), 1u);
}

TEST_F(CoapImpairmentTest, RandomLossIsSurvivedByRetransmissionAndEveryLossIsNoted) {
  auto big = pattern(8 * 1024);
  auto published = repository.publish("/fw/a.bin", big, "loss:rate=0.2,seed=8");
  auto got = fetcher.fetch(published.coap_uri, persistent());
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, big);

  const auto& relay = *repository.relay("/fw/a.bin");
  auto lost = relay.counts().dropped_to_client + relay.counts().dropped_to_repository;
  // The same every run: seed 8 and one datagram sequence lose one request and one response.
  EXPECT_EQ(relay.counts().dropped_to_repository, 1u);
  EXPECT_EQ(relay.counts().dropped_to_client, 1u);
  EXPECT_EQ(notes_with("loss:rate=0.2,seed=8: lost"), lost);
  EXPECT_EQ(got.requests, 8u);  // retransmissions are the CoAP layer's, not new requests
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.blocks, 9u);  // the block whose answer was lost went out twice
}

TEST_F(CoapImpairmentTest, DelayHoldsEveryDatagramBack) {
  auto small = pattern(2500);
  auto published = repository.publish("/fw/a.bin", small, "delay:100ms");
  auto started = Clock::now();
  auto got = fetcher.fetch(published.coap_uri);
  auto took = Clock::now() - started;
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, small);
  EXPECT_GE(took, Duration(3 * 200));  // three round trips, 100 ms each way
  EXPECT_EQ(repository.relay("/fw/a.bin")->counts().to_client, 3u);
  EXPECT_EQ(notes_with("delay:100ms: every datagram held back 100 ms each way"), 1u);
}

TEST_F(CoapImpairmentTest, ErrorAtBlockAnswersItsCodeThere) {
  auto published = repository.publish("/fw/a.bin", content, "error-at-block:2,code=5.03");
  EXPECT_EQ(repository.relay("/fw/a.bin"), nullptr);  // a content fault: no relay needed
  auto got = fetcher.fetch(published.coap_uri);
  EXPECT_EQ(got.end, FetchResult::End::ErrorCode);
  EXPECT_EQ(got.last_code, code::ServiceUnavailable);
  EXPECT_EQ(got.body, slice(content, 0, 2048));
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 3u);
  EXPECT_EQ(c.errors, 1u);
  EXPECT_EQ(c.blocks, 2u);
  EXPECT_EQ(c.completed, 0u);
  EXPECT_EQ(notes_with("error-at-block:2,code=5.03: answered 5.03 to block 2 (offset 2048)"), 1u);
}

TEST_F(CoapImpairmentTest, NotFoundAtBlockZeroRefusesTheWholePackage) {
  auto published = repository.publish("/fw/a.bin", content, "error-at-block:0,code=4.04");
  auto got = fetcher.fetch(published.coap_uri);
  EXPECT_EQ(got.last_code, code::NotFound);
  EXPECT_TRUE(got.body.empty());
  EXPECT_EQ(repository.counters("/fw/a.bin").bytes, 0u);
}

TEST_F(CoapImpairmentTest, AOnceErrorLetsTheResumptionThrough) {
  auto published = repository.publish("/fw/a.bin", content, "error-at-block:2,code=4.12,once");
  auto first = fetcher.fetch(published.coap_uri);
  EXPECT_EQ(first.last_code, code::PreconditionFailed);
  FetchOptions resume;
  resume.resume_offset = first.body.size();
  resume.if_etag = first.etag;
  auto second = fetcher.fetch(published.coap_uri, resume);
  ASSERT_TRUE(second.complete()) << second.error;
  auto whole = first.body;
  whole.insert(whole.end(), second.body.begin(), second.body.end());
  EXPECT_EQ(whole, content);
  // Same client, same address, continuing at the offset where it stopped: one transfer.
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.resumes, 0u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.errors, 1u);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 1.0);
}

TEST_F(CoapImpairmentTest, EtagChangeStopsTheDownloadAndEveryResumption) {
  auto published = repository.publish("/fw/a.bin", content, "etag-change-at-block:2");
  auto got = fetcher.fetch(published.coap_uri);
  EXPECT_EQ(got.end, FetchResult::End::EtagChanged) << got.error;
  EXPECT_EQ(got.etag, published.etag);
  EXPECT_EQ(got.body, slice(content, 0, 2048));

  FetchOptions resume;
  resume.resume_offset = 2048;
  resume.if_etag = published.etag;
  auto resumed = fetcher.fetch(published.coap_uri, resume);
  EXPECT_EQ(resumed.end, FetchResult::End::EtagChanged);
  EXPECT_EQ(resumed.etag, changed_etag(published.etag));
  EXPECT_TRUE(resumed.body.empty());
  EXPECT_EQ(notes_with("etag-change-at-block:2: acting from block 2 (offset 2048) on"), 1u);
}

TEST_F(CoapImpairmentTest, ContentChangeKeepsTheEtagSoOnlyTheImageCheckCanTell) {
  auto published = repository.publish("/fw/a.bin", content, "content-change-at-block:2");
  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.etag, published.etag);
  EXPECT_EQ(slice(got.body, 0, 2048), slice(content, 0, 2048));
  EXPECT_EQ(slice(got.body, 2048), inverted(slice(content, 2048)));
  EXPECT_NE(content_etag(got.body), published.etag);
  EXPECT_EQ(notes_with("content-change-at-block:2: acting from block 2 (offset 2048) on"), 1u);
}

TEST_F(CoapImpairmentTest, AnnouncedSizeArrivesWithTheFirstBlockUnasked) {
  auto published = repository.publish("/fw/a.bin", content, "announce-size:2000000");
  FetchOptions o;
  o.ask_size2 = false;
  auto got = fetcher.fetch(published.coap_uri, o);
  ASSERT_TRUE(got.complete());
  EXPECT_EQ(got.size2, 2000000u);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(notes_with("announce-size:2000000: acting from block 0"), 1u);
}

TEST_F(CoapImpairmentTest, MaxBlockServesSmallerBlocksThanAsked) {
  auto published = repository.publish("/fw/a.bin", content, "max-block:256");
  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete());
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(got.blocks.size(), 20u);
  EXPECT_EQ(got.blocks.front().szx, 4);
  EXPECT_EQ(repository.counters("/fw/a.bin").blocks, 20u);
}

TEST_F(CoapImpairmentTest, HttpOnlyImpairmentsLeaveCoapAlone) {
  auto published = repository.publish("/fw/a.bin", content, "http-close-after:100;http-lying-length:+5");
  EXPECT_EQ(repository.relay("/fw/a.bin"), nullptr);
  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete());
  EXPECT_EQ(got.body, content);
}

TEST_F(CoapImpairmentTest, PublishingAgainReplacesTheRelayAndTheCounters) {
  auto first = repository.publish("/fw/a.bin", content, "drop-after-block:0");
  auto second = repository.publish("/fw/a.bin", content);
  EXPECT_EQ(repository.relay("/fw/a.bin"), nullptr);
  EXPECT_NE(first.coap_uri, second.coap_uri);
  ASSERT_TRUE(fetcher.fetch(second.coap_uri).complete());
  EXPECT_EQ(repository.counters("/fw/a.bin").completed, 1u);
}

TEST_F(CoapImpairmentTest, ReleasingAPaceLiftsThatDelayOnce) {
  // A case's pace and, after it, a link latency of the same length: each is lifted once.
  auto published = repository.publish("/fw/a.bin", content, "delay:10ms;delay:10ms");
  repository.publish("/fw/plain.bin", content);
  const auto pace = parse_impairment("delay:10ms");
  EXPECT_TRUE(repository.release_pace("/fw/a.bin", pace));
  EXPECT_TRUE(repository.release_pace("/fw/a.bin?q=1", pace));  // the query names the same package
  EXPECT_FALSE(repository.release_pace("/fw/a.bin", pace));     // nothing left to lift
  EXPECT_FALSE(repository.release_pace("/fw/plain.bin", pace));  // no relay: nothing paced
  EXPECT_FALSE(repository.release_pace("/fw/none.bin", pace));
  EXPECT_EQ(notes_with("delay:10ms: pace released"), 2u);
  // The package still flows whole through the relay.
  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(repository.relay("/fw/a.bin")->counts().to_client, 5u);
}

}  // namespace
}  // namespace fc::repository::testing
