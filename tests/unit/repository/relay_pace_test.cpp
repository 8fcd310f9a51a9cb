// Lifting a pace (RelayPolicy::release_pace): the delay a case slowed a transfer with stops holding
// datagrams back, one delay at a time, while any other delay (a profile's link latency) stays.
// Decisions on synthetic datagrams with a given clock, so no time passes.
#include <gtest/gtest.h>

#include "suite/repository/relay_policy.h"

namespace fc::repository {
namespace {

using namespace std::chrono_literals;

const Clock::time_point t0 = Clock::time_point(1h);

// A GET for block `num` of a 1024-byte-block transfer (token = num), and its 2.05 answer.
Bytes request(std::uint8_t num) { return Bytes{0x41, 0x01, 0x00, num, num, 0xd1, 0x0a, static_cast<std::uint8_t>(num << 4 | 6)}; }
Bytes response(std::uint8_t num) {
  Bytes d{0x61, 0x45, 0x00, num, num, 0xd1, 0x0a, static_cast<std::uint8_t>(num << 4 | 8 | 6), 0xff};
  d.insert(d.end(), 1024, 0x5a);
  return d;
}

TEST(RelayPace, ReleasedPaceHoldsNoLaterDatagramBack) {
  RelayPolicy p(parse_impairments("delay:120ms"));
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(0), t0).delay, 120ms);
  EXPECT_EQ(p.decide(Leg::ToClient, "c", response(0), t0).delay, 120ms);
  auto note = p.release_pace(parse_impairment("delay:120ms"));
  ASSERT_TRUE(note.has_value());
  EXPECT_EQ(*note, "delay:120ms: pace released, the datagrams from here pass without it");
  for (std::uint8_t n = 1; n < 4; ++n) {
    auto asked = p.decide(Leg::ToRepository, "c", request(n), t0);
    auto answered = p.decide(Leg::ToClient, "c", response(n), t0);
    EXPECT_TRUE(asked.forward && answered.forward) << int(n);
    EXPECT_EQ(asked.delay, 0ms) << int(n);
    EXPECT_EQ(answered.delay, 0ms) << int(n);
  }
  EXPECT_EQ(p.counts().to_repository, 4u);
  EXPECT_EQ(p.counts().to_client, 4u);
}

TEST(RelayPace, TheLinksOwnDelayStays) {
  // The case's pace first, the profile's link (10 ms latency, a bandwidth) after it,
  // as FotaCase::publish lists them.
  RelayPolicy p(parse_impairments("delay:120ms;delay:10ms;bandwidth:1000000000"));
  EXPECT_TRUE(p.release_pace(parse_impairment("delay:120ms")).has_value());
  auto d = p.decide(Leg::ToRepository, "c", request(0), t0);
  EXPECT_EQ(d.delay, 11ms);  // 10 ms latency and the 8-byte request's (rounded up) time on the wire
  EXPECT_FALSE(p.release_pace(parse_impairment("delay:120ms")).has_value());  // released once only
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(1), t0 + 1s).delay, 11ms);
}

TEST(RelayPace, EqualDelaysAreReleasedOneAtATime) {
  RelayPolicy p(parse_impairments("delay:50ms;delay:50ms"));
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(0), t0).delay, 100ms);
  ASSERT_TRUE(p.release_pace(parse_impairment("delay:50ms")).has_value());
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(1), t0).delay, 50ms);
  ASSERT_TRUE(p.release_pace(parse_impairment("delay:50ms")).has_value());
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(2), t0).delay, 0ms);
  EXPECT_FALSE(p.release_pace(parse_impairment("delay:50ms")).has_value());
}

TEST(RelayPace, OnlyADelayInForceIsAPace) {
  RelayPolicy p(parse_impairments("delay:50ms;stall:block=1,for=2s;loss:rate=0,seed=1"));
  EXPECT_FALSE(p.release_pace(parse_impairment("delay:40ms")).has_value());          // not this one
  EXPECT_FALSE(p.release_pace(parse_impairment("stall:block=1,for=2s")).has_value());  // not a delay
  EXPECT_EQ(p.decide(Leg::ToRepository, "c", request(0), t0).delay, 50ms);
  // Nothing else changes: the stall still silences the link at block 1.
  ASSERT_TRUE(p.release_pace(parse_impairment("delay:50ms")).has_value());
  EXPECT_FALSE(p.decide(Leg::ToClient, "c", response(1), t0).forward);
  EXPECT_FALSE(RelayPolicy(parse_impairments("")).release_pace(parse_impairment("delay:50ms")).has_value());
}

}  // namespace
}  // namespace fc::repository
