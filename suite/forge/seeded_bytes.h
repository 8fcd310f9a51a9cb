// Reproducible pseudo-random bytes: the same seed gives the same bytes on every platform.
#pragma once

#include <cstddef>
#include <cstdint>

#include "suite/common/bytes.h"

namespace fc::forge {

// SplitMix64 output, little-endian, cut to `size` bytes. Not for cryptography: it only makes
// test images that differ per seed and never change between runs or compilers.
Bytes seeded_bytes(std::uint64_t seed, std::size_t size);

}  // namespace fc::forge
