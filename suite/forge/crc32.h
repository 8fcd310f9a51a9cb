// CRC-32 with the IEEE 802.3 / zlib polynomial, as the Anjay demo checks its payload with.
#pragma once

#include <cstdint>

#include "suite/common/bytes.h"

namespace fc::forge {

// crc32(to_bytes("123456789")) == 0xCBF43926. `previous` continues a running CRC.
std::uint32_t crc32(ByteView bytes, std::uint32_t previous = 0);

}  // namespace fc::forge
