// The relay's decisions on synthetic datagrams with a given clock: which responses a dead link
// swallows, when a stall begins and ends, that loss repeats for a seed, how much delay is added.
#include <gtest/gtest.h>

#include "suite/repository/relay_policy.h"

namespace fc::repository {
namespace {

using namespace std::chrono_literals;

Bytes block2_option(std::uint32_t num, bool more, std::uint8_t szx) {
  std::uint32_t value = num << 4 | (more ? 8u : 0u) | szx;
  Bytes v;
  if (value > 0xffff) v.push_back(static_cast<std::uint8_t>(value >> 16));
  if (value > 0xff) v.push_back(static_cast<std::uint8_t>(value >> 8));
  v.push_back(static_cast<std::uint8_t>(value));
  Bytes out{static_cast<std::uint8_t>(0xd0 | v.size()), 0x0a};  // delta 13+10 = 23
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

Bytes request(std::uint8_t token, std::uint32_t num, std::uint8_t szx = 6) {
  Bytes d{0x41, 0x01, 0x00, token, token};
  auto b = block2_option(num, false, szx);
  d.insert(d.end(), b.begin(), b.end());
  return d;
}

Bytes response(std::uint8_t token, std::uint32_t num, bool more, std::size_t payload, std::uint8_t szx = 6) {
  Bytes d{0x61, 0x45, 0x00, token, token};
  auto b = block2_option(num, more, szx);
  d.insert(d.end(), b.begin(), b.end());
  d.push_back(0xff);
  d.insert(d.end(), payload, 0x5a);
  return d;
}

Bytes bare_response(std::uint8_t token, coap::Code code) { return Bytes{0x61, code.raw(), 0x00, token, token}; }

RelayPolicy policy(const std::string& text) { return RelayPolicy(parse_impairments(text)); }

const Clock::time_point t0 = Clock::time_point(1h);

TEST(RelayPolicy, DropAfterBlockSwallowsResponsesPastTheBlockOnly) {
  auto p = policy("drop-after-block:3");
  for (std::uint8_t n = 0; n < 6; ++n) {
    EXPECT_TRUE(p.decide(Leg::ToRepository, "c", request(n, n), t0).forward) << int(n);
    auto d = p.decide(Leg::ToClient, "c", response(n, n, true, 1024), t0);
    EXPECT_EQ(d.forward, n <= 3) << "block " << int(n);
    EXPECT_EQ(d.delay, 0ms);
    if (n == 4) {
      ASSERT_EQ(d.notes.size(), 1u);
      EXPECT_EQ(d.notes[0],
                "drop-after-block:3: dropped response to block 4 (ACK 2.05 mid=4 tok=04 Block2:4/1/1024 payload=1024B)");
    }
  }
  EXPECT_EQ(p.counts().to_repository, 6u);
  EXPECT_EQ(p.counts().to_client, 4u);
  EXPECT_EQ(p.counts().dropped_to_client, 2u);
  EXPECT_EQ(p.counts().dropped_to_repository, 0u);
}

TEST(RelayPolicy, DropAfterByteSwallowsTheFirstBlockThatWouldCarryTheByte) {
  auto p = policy("drop-after-byte:2048");
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0).forward);    // bytes 1024..2047
  EXPECT_FALSE(p.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0).forward);   // bytes 2048..
  auto small = policy("drop-after-byte:2000");
  EXPECT_FALSE(small.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0).forward);
  EXPECT_TRUE(small.decide(Leg::ToClient, "c", response(3, 6, true, 256, 4), t0).forward);   // bytes 1536..1791
  EXPECT_FALSE(small.decide(Leg::ToClient, "c", response(4, 7, true, 256, 4), t0).forward);  // bytes 1792..2047
}

TEST(RelayPolicy, AResponseWithoutBlock2CountsAsTheBlockItsRequestAskedFor) {
  auto p = policy("drop-after-block:3");
  p.decide(Leg::ToRepository, "c", request(9, 5), t0);
  p.decide(Leg::ToRepository, "other", request(9, 1), t0);
  auto d = p.decide(Leg::ToClient, "c", bare_response(9, coap::code::ServiceUnavailable), t0);
  EXPECT_FALSE(d.forward);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0], "drop-after-block:3: dropped response to block 5 (ACK 5.03 mid=9 tok=09)");
  // The other client's token 9 asked for block 1: its answer passes.
  EXPECT_TRUE(p.decide(Leg::ToClient, "other", bare_response(9, coap::code::ServiceUnavailable), t0).forward);
  // A response nobody asked a block for is block 0.
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", bare_response(7, coap::code::NotFound), t0).forward);
}

TEST(RelayPolicy, StallSilencesBothWaysOnceForItsDuration) {
  auto p = policy("stall:block=2,for=1000ms");
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0).forward);
  auto start = p.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0);
  EXPECT_FALSE(start.forward);
  ASSERT_EQ(start.notes.size(), 1u);
  EXPECT_EQ(start.notes[0].rfind("stall:block=2,for=1s: link silent from here, dropped response to block 2", 0), 0u)
      << start.notes[0];
  EXPECT_FALSE(p.decide(Leg::ToRepository, "c", request(2, 2), t0 + 500ms).forward);
  EXPECT_FALSE(p.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0 + 999ms).forward);
  auto back = p.decide(Leg::ToRepository, "c", request(2, 2), t0 + 1000ms);
  EXPECT_TRUE(back.forward);
  ASSERT_EQ(back.notes.size(), 1u);
  EXPECT_EQ(back.notes[0], "stall:block=2,for=1s: link back, 3 datagrams dropped while silent");
  // Once only: the same block later passes.
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0 + 1001ms).forward);
  EXPECT_EQ(p.counts().dropped_to_client, 2u);
  EXPECT_EQ(p.counts().dropped_to_repository, 1u);
}

TEST(RelayPolicy, AReleasedStallLetsTheNextDatagramThroughBeforeItsDuration) {
  auto q = policy("stall:block=2,for=60s");
  EXPECT_FALSE(q.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0).forward);
  EXPECT_FALSE(q.decide(Leg::ToRepository, "c", request(2, 2), t0 + 1s).forward);
  auto notes = q.release_stalls();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "stall:block=2,for=60s: link back (released), 2 datagrams dropped while silent");
  // The same clock as before the release: only the release brought the link back.
  auto back = q.decide(Leg::ToRepository, "c", request(2, 2), t0 + 1s);
  EXPECT_TRUE(back.forward);
  EXPECT_TRUE(back.notes.empty());
  EXPECT_TRUE(q.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0 + 1s).forward);
  EXPECT_TRUE(q.release_stalls().empty());  // a second release: nothing was silent
}

TEST(RelayPolicy, AStallReleasedBeforeItIsReachedNeverBegins) {
  auto p = policy("stall:block=2,for=60s;drop-after-block:5");
  EXPECT_TRUE(p.release_stalls().empty());
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(2, 2, true, 1024), t0).forward);
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(3, 3, true, 1024), t0).forward);
  // Only stalls are released: the dead link after block 5 stays.
  EXPECT_FALSE(p.decide(Leg::ToClient, "c", response(6, 6, true, 1024), t0).forward);
}

TEST(RelayPolicy, AckThenSilenceAcknowledgesRequestsFromTheBlockOnAndForwardsNone) {
  auto p = policy("ack-then-silence-at-block:2");
  auto before = p.decide(Leg::ToRepository, "c", request(1, 1), t0);
  EXPECT_TRUE(before.forward);
  EXPECT_FALSE(before.answer);
  for (std::uint8_t retransmission = 0; retransmission < 2; ++retransmission) {
    auto d = p.decide(Leg::ToRepository, "c", request(2, 2), t0);
    EXPECT_FALSE(d.forward);
    ASSERT_TRUE(d.answer);
    EXPECT_EQ(*d.answer, (Bytes{0x60, 0x00, 0x00, 0x02}));  // empty ACK, the request's Message ID
    ASSERT_EQ(d.notes.size(), 1u);
    EXPECT_EQ(d.notes[0].rfind("ack-then-silence-at-block:2: acknowledged (empty ACK) and swallowed request", 0), 0u)
        << d.notes[0];
  }
  // Responses are not its business; a byte position counts in the block size asked.
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0).forward);
  auto by_byte = policy("ack-then-silence-at-byte:2048");
  EXPECT_TRUE(by_byte.decide(Leg::ToRepository, "c", request(3, 7, 4), t0).forward);   // bytes 1792..2047
  EXPECT_FALSE(by_byte.decide(Leg::ToRepository, "c", request(4, 8, 4), t0).forward);  // bytes 2048..
  EXPECT_EQ(p.counts().dropped_to_repository, 2u);
}

std::vector<bool> run(RelayPolicy p, int datagrams) {
  std::vector<bool> forwarded;
  for (int i = 0; i < datagrams; ++i) {
    auto leg = i % 2 ? Leg::ToClient : Leg::ToRepository;
    auto n = static_cast<std::uint8_t>(i / 2);
    auto d = p.decide(leg, "c", leg == Leg::ToClient ? response(n, n, true, 64) : request(n, n), t0);
    forwarded.push_back(d.forward);
  }
  return forwarded;
}

TEST(RelayPolicy, LossRepeatsExactlyForTheSameSeed) {
  auto a = run(policy("loss:rate=0.3,seed=7"), 1000);
  auto b = run(policy("loss:rate=0.3,seed=7"), 1000);
  auto c = run(policy("loss:rate=0.3,seed=8"), 1000);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  auto lost = std::count(a.begin(), a.end(), false);
  EXPECT_EQ(lost, 291);  // about 30 % of 1000, and exactly this many for seed 7
  auto none = run(policy("loss:rate=0,seed=7"), 200);
  EXPECT_EQ(std::count(none.begin(), none.end(), false), 0);
  auto all = run(policy("loss:rate=1,seed=7"), 200);
  EXPECT_EQ(std::count(all.begin(), all.end(), false), 200);
}

TEST(RelayPolicy, LossNotesNameWhatWasLost) {
  auto p = policy("loss:rate=1,seed=1");
  auto d = p.decide(Leg::ToRepository, "c", request(3, 3), t0);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0], "loss:rate=1,seed=1: lost request (CON 0.01 mid=3 tok=03 Block2:3/0/1024)");
}

TEST(RelayPolicy, DelayHoldsBackEveryDatagramAndSaysSoOnce) {
  auto p = policy("delay:50ms;delay:20ms");
  auto first = p.decide(Leg::ToRepository, "c", request(1, 0), t0);
  EXPECT_TRUE(first.forward);
  EXPECT_EQ(first.delay, 70ms);
  EXPECT_EQ(first.notes.size(), 1u);
  auto second = p.decide(Leg::ToClient, "c", response(1, 0, true, 1024), t0);
  EXPECT_EQ(second.delay, 70ms);
  EXPECT_TRUE(second.notes.empty());
}

TEST(RelayPolicy, BandwidthQueuesDatagramsBehindEachOtherPerLeg) {
  // 80 000 bit/s: 10 bytes take 1 ms on the wire.
  auto p = policy("bandwidth:80000");
  auto block = response(1, 0, true, 991);  // 1000 bytes with its header and option
  ASSERT_EQ(block.size(), 1000u);
  EXPECT_EQ(p.decide(Leg::ToClient, "c", block, t0).delay, 100ms);
  EXPECT_EQ(p.decide(Leg::ToClient, "c", block, t0).delay, 200ms);  // waits for the first
  EXPECT_EQ(p.decide(Leg::ToClient, "c", block, t0 + 500ms).delay, 100ms);  // the link was idle again
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(2, 1), t0).delay, 1ms);  // the other leg is free
}

TEST(RelayPolicy, DroppedDatagramsAreNotDelayed) {
  auto p = policy("delay:50ms;drop-after-block:0");
  auto d = p.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0);
  EXPECT_FALSE(d.forward);
  EXPECT_EQ(d.delay, 0ms);
}

TEST(RelayPolicy, ContentImpairmentsAreNotTheRelaysBusiness) {
  auto p = policy("error-at-block:0,code=5.03;etag-change-at-block:0;http-close-after:1;announce-size:9");
  EXPECT_TRUE(p.impairments().empty());
  EXPECT_TRUE(p.decide(Leg::ToClient, "c", response(1, 1, true, 1024), t0).forward);
}

TEST(RelayPolicy, DatagramsThatAreNotCoapStillPassAndCount) {
  auto p = policy("drop-after-block:0");
  auto d = p.decide(Leg::ToClient, "c", Bytes{1, 2, 3}, t0);
  EXPECT_TRUE(d.forward);
  EXPECT_EQ(p.counts().to_client, 1u);
}

}  // namespace
}  // namespace fc::repository
