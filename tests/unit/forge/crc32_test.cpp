// CRC-32 (IEEE): the standard check value and running use.
#include "suite/forge/crc32.h"

#include <gtest/gtest.h>

namespace fc::forge {
namespace {

TEST(Crc32, CheckValueOf123456789) { EXPECT_EQ(crc32(to_bytes("123456789")), 0xCBF43926u); }

TEST(Crc32, EmptyInputIsZero) { EXPECT_EQ(crc32(ByteView{}), 0x00000000u); }

TEST(Crc32, MatchesZlibOnAnotherInput) { EXPECT_EQ(crc32(to_bytes("firmware")), 0xD5ECD7C4u); }

TEST(Crc32, RunningCrcEqualsOneShot) {
  const Bytes data = to_bytes("123456789");
  const std::uint32_t first = crc32(ByteView(data).first(4));
  EXPECT_EQ(crc32(ByteView(data).subspan(4), first), 0xCBF43926u);
}

}  // namespace
}  // namespace fc::forge
