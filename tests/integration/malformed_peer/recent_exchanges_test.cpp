// The bounds of RFC 7252 §4.5 deduplication (suite/coap/dedup.h): lifetimes and the entry cap
// that keep a flood of Message IDs from growing memory without bound.
#include "suite/coap/dedup.h"

#include <gtest/gtest.h>

namespace fc::coap {
namespace {

const std::string kLocal = "127.0.0.1:5683";
const std::string kPeer = "127.0.0.1:40000";
const Clock::time_point kStart{};

Reply created(std::string id) {
  Reply r = Reply::with(code::Created);
  r.location_path = {"rd", std::move(id)};
  return r;
}

TEST(MalformedPeerDedupTest, DuplicateWithinTheLifetimeGetsTheSameReply) {
  RecentExchanges recent;
  EXPECT_EQ(recent.find(kLocal, kPeer, 7, true, kStart), nullptr);
  recent.remember(kLocal, kPeer, 7, created("1"), kStart);
  const Reply* again = recent.find(kLocal, kPeer, 7, true, kStart + std::chrono::seconds(246));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->code, code::Created);
  EXPECT_EQ(again->location_path, (std::vector<std::string>{"rd", "1"}));
}

TEST(MalformedPeerDedupTest, KeyIsPeerEndpointAndMessageId) {
  RecentExchanges recent;
  recent.remember(kLocal, kPeer, 7, created("1"), kStart);
  EXPECT_EQ(recent.find(kLocal, kPeer, 8, true, kStart), nullptr);
  EXPECT_EQ(recent.find(kLocal, "127.0.0.1:40001", 7, true, kStart), nullptr);
  EXPECT_EQ(recent.find("127.0.0.1:5684", kPeer, 7, true, kStart), nullptr);
  EXPECT_NE(recent.find(kLocal, kPeer, 7, true, kStart), nullptr);
}

TEST(MalformedPeerDedupTest, ConEntryExpiresAfterExchangeLifetime) {
  RecentExchanges recent;
  recent.remember(kLocal, kPeer, 7, created("1"), kStart);
  EXPECT_NE(recent.find(kLocal, kPeer, 7, true, kStart + std::chrono::milliseconds(246'999)), nullptr);
  EXPECT_EQ(recent.find(kLocal, kPeer, 7, true, kStart + std::chrono::seconds(247)), nullptr);
  EXPECT_EQ(recent.size(), 0u);
}

TEST(MalformedPeerDedupTest, NonDuplicateCountsOnlyWithinNonLifetime) {
  RecentExchanges recent;
  recent.remember(kLocal, kPeer, 9, Reply::with(code::Created), kStart);
  EXPECT_NE(recent.find(kLocal, kPeer, 9, false, kStart + std::chrono::seconds(144)), nullptr);
  EXPECT_EQ(recent.find(kLocal, kPeer, 9, false, kStart + std::chrono::seconds(145)), nullptr);
  // Processed again as new: the newer entry replaces the older one and outlives its expiry.
  recent.remember(kLocal, kPeer, 9, created("2"), kStart + std::chrono::seconds(145));
  const Reply* later = recent.find(kLocal, kPeer, 9, true, kStart + std::chrono::seconds(300));
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->location_path, (std::vector<std::string>{"rd", "2"}));
  EXPECT_EQ(recent.size(), 1u);
}

TEST(MalformedPeerDedupTest, CapDropsTheOldestEntriesFirst) {
  RecentExchanges recent(RecentExchanges::Limits{std::chrono::seconds(247), std::chrono::seconds(145), 3});
  for (std::uint16_t mid = 1; mid <= 5; ++mid)
    recent.remember(kLocal, kPeer, mid, created(std::to_string(mid)), kStart + std::chrono::milliseconds(mid));
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_EQ(recent.find(kLocal, kPeer, 1, true, kStart), nullptr);
  EXPECT_EQ(recent.find(kLocal, kPeer, 2, true, kStart), nullptr);
  for (std::uint16_t mid = 3; mid <= 5; ++mid) EXPECT_NE(recent.find(kLocal, kPeer, mid, true, kStart), nullptr);
}

TEST(MalformedPeerDedupTest, DefaultCapHoldsAFullFloodAtFourThousandNinetySix) {
  RecentExchanges recent;
  for (std::uint32_t mid = 0; mid < 10'000; ++mid)
    recent.remember(kLocal, kPeer, static_cast<std::uint16_t>(mid), Reply::with(code::Created), kStart);
  EXPECT_EQ(recent.size(), 4096u);
  EXPECT_EQ(recent.find(kLocal, kPeer, 10'000 - 4097, true, kStart), nullptr);
  EXPECT_NE(recent.find(kLocal, kPeer, 10'000 - 4096, true, kStart), nullptr);
}

}  // namespace
}  // namespace fc::coap
