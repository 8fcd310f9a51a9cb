// SplitMix64 (Steele, Lea, Flood 2014), chosen because its output is fully specified, unlike
// the distributions of <random>.
#include "suite/forge/seeded_bytes.h"

namespace fc::forge {

Bytes seeded_bytes(std::uint64_t seed, std::size_t size) {
  Bytes out;
  out.reserve(size);
  std::uint64_t state = seed;
  while (out.size() < size) {
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    for (int i = 0; i < 8 && out.size() < size; ++i) {
      out.push_back(static_cast<std::uint8_t>(z >> (8 * i)));
    }
  }
  return out;
}

}  // namespace fc::forge
