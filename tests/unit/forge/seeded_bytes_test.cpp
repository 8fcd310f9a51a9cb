// seeded_bytes: SplitMix64's published output, reproducible and seed-dependent.
#include "suite/forge/seeded_bytes.h"

#include <gtest/gtest.h>

namespace fc::forge {
namespace {

TEST(SeededBytes, SeedZeroGivesSplitMix64sFirstOutputLittleEndian) {
  // SplitMix64 from state 0 first yields 0xE220A8397B1DCDAF.
  EXPECT_EQ(to_hex(seeded_bytes(0, 8)), "afcd1d7b39a820e2");
}

TEST(SeededBytes, PartialWordsAreCut) {
  EXPECT_EQ(to_hex(seeded_bytes(1, 10)), "c15c0289ec2d0a9167ec");
  EXPECT_EQ(to_hex(seeded_bytes(1, 3)), "c15c02");
  EXPECT_EQ(seeded_bytes(1, 0).size(), 0u);
}

TEST(SeededBytes, SameSeedSameBytesOtherSeedOtherBytes) {
  EXPECT_EQ(seeded_bytes(42, 1000), seeded_bytes(42, 1000));
  EXPECT_NE(seeded_bytes(42, 1000), seeded_bytes(43, 1000));
}

}  // namespace
}  // namespace fc::forge
