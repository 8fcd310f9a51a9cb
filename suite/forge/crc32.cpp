// CRC-32 (reflected polynomial 0xEDB88320), table-driven.
#include "suite/forge/crc32.h"

#include <array>

namespace fc::forge {

namespace {

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) {
      c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    table[n] = c;
  }
  return table;
}

constexpr auto kTable = make_table();

}  // namespace

std::uint32_t crc32(ByteView bytes, std::uint32_t previous) {
  std::uint32_t c = ~previous;
  for (const std::uint8_t byte : bytes) {
    c = kTable[(c ^ byte) & 0xFFu] ^ (c >> 8);
  }
  return ~c;
}

}  // namespace fc::forge
