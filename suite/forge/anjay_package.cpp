// Encoding of the Anjay demo's firmware package.
#include "suite/forge/anjay_package.h"

#include <limits>
#include <stdexcept>

#include "suite/forge/crc32.h"

namespace fc::forge::anjay {

Bytes encode(const Header& header, ByteView payload) {
  if (header.version.size() > std::numeric_limits<std::uint8_t>::max()) {
    throw std::invalid_argument("Anjay package version string is " +
                                std::to_string(header.version.size()) +
                                " bytes; the length field holds at most 255");
  }
  const std::uint32_t crc = header.crc.value_or(crc32(payload));
  Bytes out;
  out.reserve(kFixedHeaderSize + header.version.size() + payload.size());
  out.insert(out.end(), header.magic.begin(), header.magic.end());
  out.push_back(static_cast<std::uint8_t>(header.header_version >> 8));
  out.push_back(static_cast<std::uint8_t>(header.header_version));
  out.push_back(static_cast<std::uint8_t>(header.force_error >> 8));
  out.push_back(static_cast<std::uint8_t>(header.force_error));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(crc >> shift));
  }
  out.push_back(static_cast<std::uint8_t>(header.version.size()));
  out.insert(out.end(), header.version.begin(), header.version.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace fc::forge::anjay
