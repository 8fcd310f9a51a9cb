// The HTTP repository against httplib's client on loopback: whole and ranged GETs, If-Match,
// and every HTTP impairment; what arrived, how the response ended, and what was counted.
#include <httplib.h>

#include <thread>

#include "tests/integration/repository/http_get.h"
#include "tests/integration/repository/repository_fixture.h"

namespace fc::repository::testing {
namespace {

class HttpRepositoryTest : public RepositoryTest {
 protected:
  const Bytes content = pattern(5000);

  HttpGot get(const std::string& target, httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", repository.http_port());
    return http_get(client, target, headers);
  }

  std::string quoted(const Bytes& etag) { return "\"" + to_hex(etag) + "\""; }
};

TEST_F(HttpRepositoryTest, GetServesTheWholePackageWithLengthAndEtag) {
  auto published = repository.publish("/fw/a.bin", content);
  EXPECT_EQ(published.http_uri, "http://127.0.0.1:" + std::to_string(repository.http_port()) + "/fw/a.bin");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(got.header("Content-Length"), "5000");
  EXPECT_EQ(got.header("ETag"), quoted(published.etag));
  EXPECT_EQ(got.header("Accept-Ranges"), "bytes");
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 1u);
  EXPECT_EQ(c.bytes, 5000u);
  EXPECT_EQ(c.completed, 1u);
  ASSERT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.transfers[0].transport, Transport::Http);
  EXPECT_EQ(c.transfers[0].client, "127.0.0.1");
  EXPECT_EQ(notes_with("127.0.0.1 GET /fw/a.bin → 200, Content-Length 5000, 5000 B sent"), 1u);
}

TEST_F(HttpRepositoryTest, RangeWithMatchingIfMatchResumes) {
  auto published = repository.publish("/fw/a.bin", content);
  auto got = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Match", quoted(published.etag)}});
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.status, 206);
  EXPECT_EQ(got.header("Content-Range"), "bytes 2048-4999/5000");
  EXPECT_EQ(got.header("Content-Length"), "2952");
  EXPECT_EQ(got.body, slice(content, 2048));
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.resumes, 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.bytes, 2952u);
}

TEST_F(HttpRepositoryTest, ClosedRangeServesExactlyThoseBytes) {
  repository.publish("/fw/a.bin", content);
  auto got = get("/fw/a.bin", {{"Range", "bytes=100-199"}});
  EXPECT_EQ(got.status, 206);
  EXPECT_EQ(got.header("Content-Range"), "bytes 100-199/5000");
  EXPECT_EQ(got.body, slice(content, 100, 100));
  EXPECT_EQ(repository.counters("/fw/a.bin").completed, 0u);
}

TEST_F(HttpRepositoryTest, IfMatchWithAnotherOrWeakEtagIsPreconditionFailed) {
  auto published = repository.publish("/fw/a.bin", content);
  auto other = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Match", "\"0011223344556677\""}});
  EXPECT_EQ(other.status, 412);
  EXPECT_TRUE(other.body.empty());
  EXPECT_EQ(other.header("ETag"), quoted(published.etag));
  auto weak = get("/fw/a.bin", {{"If-Match", "W/" + quoted(published.etag)}});
  EXPECT_EQ(weak.status, 412);
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.errors, 2u);
  EXPECT_EQ(c.bytes, 0u);
  EXPECT_EQ(notes_with("→ 412"), 2u);
}

TEST_F(HttpRepositoryTest, IfRangeServesTheRangeOnlyForTheCurrentStrongEtag) {
  auto published = repository.publish("/fw/a.bin", content);
  auto same = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Range", quoted(published.etag)}});
  EXPECT_EQ(same.status, 206);
  EXPECT_EQ(same.body, slice(content, 2048));
  auto other = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Range", "\"0011223344556677\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, content);
  EXPECT_TRUE(other.header("Content-Range").empty());
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.ranged, 2u);
  EXPECT_EQ(c.resumes, 1u);
}

TEST_F(HttpRepositoryTest, WeakEtagValidatesNoRange) {
  auto published = repository.publish("/fw/a.bin", content, "weak-etag");
  const auto weak = "W/" + quoted(published.etag);
  auto whole = get("/fw/a.bin");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.header("ETag"), weak);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Match", weak}}).status, 412);
  auto if_range = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Range", weak}});
  EXPECT_EQ(if_range.status, 200);
  EXPECT_EQ(if_range.body, content);
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.ranged, 2u);
  EXPECT_EQ(c.precondition_failed, 1u);
  EXPECT_EQ(c.resumes, 0u);
}

TEST_F(HttpRepositoryTest, ReplacedContentKeepsTheUriAndCountersWithANewEtag) {
  auto published = repository.publish("/fw/a.bin", content);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=0-999"}}).status, 206);
  const Bytes other = pattern(5000, 7);
  auto replaced = repository.replace_content("/fw/a.bin", other);
  EXPECT_EQ(replaced.http_uri, published.http_uri);
  EXPECT_NE(replaced.etag, published.etag);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=1000-"}, {"If-Match", quoted(published.etag)}}).status, 412);
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.body, other);
  EXPECT_EQ(got.header("ETag"), quoted(replaced.etag));
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.bytes, 6000u);
  EXPECT_EQ(c.precondition_failed, 1u);
  EXPECT_THROW(repository.replace_content("/fw/none.bin", other), std::invalid_argument);
}

TEST_F(HttpRepositoryTest, ADropOnceCutsOnlyTheFirstResponseThatCrossesIt) {
  repository.publish("/fw/a.bin", content, "drop-after-byte:3000,once");
  auto before = get("/fw/a.bin", {{"Range", "bytes=0-999"}});  // does not cross byte 3000: whole
  EXPECT_EQ(before.body, slice(content, 0, 1000));
  auto cut = get("/fw/a.bin");
  EXPECT_EQ(cut.body, slice(content, 0, 3000));
  EXPECT_NE(cut.error, httplib::Error::Success);
  auto resumed = get("/fw/a.bin", {{"Range", "bytes=3000-"}});
  EXPECT_EQ(resumed.status, 206);
  EXPECT_EQ(resumed.body, slice(content, 3000));
  EXPECT_EQ(get("/fw/a.bin").body, content);
  EXPECT_EQ(notes_with("(drop-after-byte:3000,once)"), 1u);
}

TEST_F(HttpRepositoryTest, UnknownPathIsNotFoundAndCounted) {
  auto got = get("/fw/nothing.bin");
  EXPECT_EQ(got.status, 404);
  EXPECT_EQ(repository.unknown_requests(), (std::map<std::string, std::size_t>{{"/fw/nothing.bin", 1}}));
}

TEST_F(HttpRepositoryTest, QueryMustBeThePublishedOne) {
  auto published = repository.publish("/fw/a.bin?token=abc", content);
  auto target = published.http_uri.substr(published.http_uri.find("/fw"));
  EXPECT_EQ(target, "/fw/a.bin?token=abc");
  EXPECT_EQ(get(target).body, content);
  EXPECT_EQ(get("/fw/a.bin").status, 404);
  EXPECT_EQ(get("/fw/a.bin?token=abd").status, 404);
  EXPECT_EQ(repository.counters("/fw/a.bin").errors, 2u);
}

TEST_F(HttpRepositoryTest, RangePastTheEndIsNotSatisfiable) {
  repository.publish("/fw/a.bin", content);
  auto got = get("/fw/a.bin", {{"Range", "bytes=5000-"}});
  EXPECT_EQ(got.status, 416);
  EXPECT_EQ(got.header("Content-Range"), "bytes */5000");
}

TEST_F(HttpRepositoryTest, ErrorAtByteZeroAnswersEveryRequest) {
  repository.publish("/fw/a.bin", content, "error-at-byte:0,code=404");
  EXPECT_EQ(get("/fw/a.bin").status, 404);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=10-"}}).status, 404);
  EXPECT_EQ(repository.counters("/fw/a.bin").errors, 2u);
  EXPECT_EQ(notes_with("→ 404 (error-at-byte:0,code=4.04)"), 2u);
}

TEST_F(HttpRepositoryTest, ErrorAtAByteStrikesTheResumptionFromThere) {
  repository.publish("/fw/a.bin", content, "error-at-byte:2048,code=500");
  auto whole = get("/fw/a.bin");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, content);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=2048-"}}).status, 500);
  EXPECT_EQ(get("/fw/a.bin", {{"Range", "bytes=1000-"}}).status, 206);
}

TEST_F(HttpRepositoryTest, CloseAfterCutsEveryResponseAndClosesTheConnection) {
  repository.publish("/fw/a.bin", content, "http-close-after:1000");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.header("Content-Length"), "5000");
  EXPECT_EQ(got.body, slice(content, 0, 1000));
  EXPECT_NE(got.error, httplib::Error::Success);
  auto resumed = get("/fw/a.bin", {{"Range", "bytes=1000-"}});
  EXPECT_EQ(resumed.body, slice(content, 1000, 1000));
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.bytes, 2000u);
  EXPECT_EQ(c.completed, 0u);
  EXPECT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(notes_with("connection closed after 1000 B (http-close-after:1000)"), 2u);
}

TEST_F(HttpRepositoryTest, DropAfterByteIsADeadLinkFromThatByteOn) {
  repository.publish("/fw/a.bin", content, "drop-after-byte:3000");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.body, slice(content, 0, 3000));
  EXPECT_NE(got.error, httplib::Error::Success);
  auto resumed = get("/fw/a.bin", {{"Range", "bytes=3000-"}});
  EXPECT_EQ(resumed.status, 206);
  EXPECT_TRUE(resumed.body.empty());
  EXPECT_NE(resumed.error, httplib::Error::Success);
  EXPECT_EQ(repository.counters("/fw/a.bin").bytes, 3000u);
  EXPECT_EQ(notes_with("(drop-after-byte:3000)"), 2u);
}

TEST_F(HttpRepositoryTest, LongerLyingLengthLeavesTheClientWaitingUntilTheClose) {
  repository.publish("/fw/a.bin", content, "http-lying-length:+1000");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.header("Content-Length"), "6000");
  EXPECT_EQ(got.body, content);
  EXPECT_NE(got.error, httplib::Error::Success);
  EXPECT_EQ(repository.counters("/fw/a.bin").completed, 1u);
  EXPECT_EQ(notes_with("Content-Length 6000, 5000 B sent, connection closed after 5000 B (http-lying-length:+1000)"), 1u);
}

TEST_F(HttpRepositoryTest, ShorterLyingLengthEndsTheBodyEarlyAsIfComplete) {
  repository.publish("/fw/a.bin", content, "http-lying-length:-1000");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.header("Content-Length"), "4000");
  EXPECT_EQ(got.body, slice(content, 0, 4000));
  EXPECT_EQ(repository.counters("/fw/a.bin").completed, 0u);
}

TEST_F(HttpRepositoryTest, AnnouncedSizeIsTheContentLength) {
  repository.publish("/fw/a.bin", content, "announce-size:2000000");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.header("Content-Length"), "2000000");
  EXPECT_EQ(got.body, content);
  EXPECT_NE(got.error, httplib::Error::Success);
  auto ranged = get("/fw/a.bin", {{"Range", "bytes=4000-"}});
  EXPECT_EQ(ranged.header("Content-Range"), "bytes 4000-1999999/2000000");
  EXPECT_EQ(ranged.body, slice(content, 4000));
  EXPECT_EQ(notes_with("5000 B sent, connection closed after 5000 B (announce-size:2000000)"), 1u);
}

TEST_F(HttpRepositoryTest, EtagChangeMakesTheResumptionFailItsPrecondition) {
  auto published = repository.publish("/fw/a.bin", content, "etag-change-at-byte:2048");
  auto first = get("/fw/a.bin", {{"Range", "bytes=0-2047"}});
  EXPECT_EQ(first.header("ETag"), quoted(published.etag));
  auto resumed = get("/fw/a.bin", {{"Range", "bytes=2048-"}, {"If-Match", quoted(published.etag)}});
  EXPECT_EQ(resumed.status, 412);
  EXPECT_EQ(resumed.header("ETag"), quoted(changed_etag(published.etag)));
  auto unconditional = get("/fw/a.bin", {{"Range", "bytes=2048-"}});
  EXPECT_EQ(unconditional.status, 206);
  EXPECT_EQ(unconditional.header("ETag"), quoted(changed_etag(published.etag)));
}

TEST_F(HttpRepositoryTest, ContentChangeSplicesOtherBytesUnderTheSameEtag) {
  auto published = repository.publish("/fw/a.bin", content, "content-change-at-byte:2048");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.header("ETag"), quoted(published.etag));
  EXPECT_EQ(slice(got.body, 0, 2048), slice(content, 0, 2048));
  EXPECT_EQ(slice(got.body, 2048), inverted(slice(content, 2048)));
}

TEST_F(HttpRepositoryTest, DelayHoldsTheResponseBack) {
  repository.publish("/fw/a.bin", content, "delay:200ms");
  auto started = Clock::now();
  auto got = get("/fw/a.bin");
  EXPECT_GE(Clock::now() - started, Duration(200));
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(notes_with("delay:200ms: holding the response back 200 ms"), 1u);
}

TEST_F(HttpRepositoryTest, StallPausesTheStreamOnceThenItCompletes) {
  repository.publish("/fw/a.bin", content, "stall:byte=2048,for=300ms");
  auto started = Clock::now();
  auto got = get("/fw/a.bin");
  EXPECT_GE(Clock::now() - started, Duration(300));
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(get("/fw/a.bin").body, content);
  EXPECT_EQ(notes_with("stall:byte=2048,for=300ms: stream paused at byte 2048 for 300 ms"), 1u);
}

TEST_F(HttpRepositoryTest, AReleasedStallGoesOnAtOnceAndAPathPublishedAgainStallsAgain) {
  // 60 s: a release that did nothing would leave the client to its read timeout (http_get), body cut.
  repository.publish("/fw/a.bin", content, "stall:byte=2048,for=60s");
  HttpGot got;
  std::thread client([&, port = repository.http_port()] {
    httplib::Client c("127.0.0.1", port);
    got = http_get(c, "/fw/a.bin", {});
  });
  Deadline paused(Duration(10'000));
  while (notes_with("stream paused at byte 2048") == 0 && !paused.passed()) std::this_thread::sleep_for(Duration(5));
  repository.release_stalls("/fw/a.bin");
  client.join();
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(notes_with("stall:byte=2048,for=60s: stream released after"), 1u);
  // Released stays released for the package (a later body does not pause) ...
  EXPECT_EQ(get("/fw/a.bin").body, content);
  EXPECT_EQ(notes_with("stream paused at byte 2048"), 1u);
  // ... until the path is published again: its stall runs its course.
  repository.publish("/fw/a.bin", content, "stall:byte=2048,for=100ms");
  EXPECT_EQ(get("/fw/a.bin").body, content);
  EXPECT_EQ(notes_with("stall:byte=2048,for=100ms: stream paused at byte 2048 for 100 ms"), 1u);
  EXPECT_EQ(notes_with("for=100ms: stream released"), 0u);
}

TEST_F(HttpRepositoryTest, AStallReleasedBeforeItIsReachedNeverPauses) {
  repository.publish("/fw/a.bin", content, "stall:byte=2048,for=60s");
  repository.release_stalls("/fw/a.bin");
  repository.release_stalls("/fw/none.bin");  // nothing there: no effect
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.body, content);
}

TEST_F(HttpRepositoryTest, CoapOnlyImpairmentsLeaveHttpAlone) {
  repository.publish("/fw/a.bin", content, "loss:rate=1,seed=1;drop-after-block:0;max-block:16;error-at-block:0,code=5.03");
  auto got = get("/fw/a.bin");
  EXPECT_EQ(got.error, httplib::Error::Success);
  EXPECT_EQ(got.body, content);
}

TEST_F(HttpRepositoryTest, ShutdownDuringAStallEndsPromptly) {
  auto own_loop = std::make_unique<coap::EventLoop>();
  coap::Trace own_trace;
  auto own = std::make_unique<FirmwareRepository>(*own_loop, own_trace);
  own->publish("/fw/a.bin", content, "stall:byte=10,for=60s");
  auto port = own->http_port();
  std::thread client([port, &content = content] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    auto r = c.Get("/fw/a.bin");
    EXPECT_FALSE(r && r->body.size() == content.size());
  });
  std::this_thread::sleep_for(Duration(200));
  auto started = Clock::now();
  own.reset();
  EXPECT_LT(Clock::now() - started, Duration(5000));
  client.join();
}

}  // namespace
}  // namespace fc::repository::testing
