// Byte buffers and their printable forms, shared by every layer that touches payloads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
inline std::string to_string(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

// "0a1bff" (lower case, no separators).
std::string to_hex(ByteView bytes);
// Inverse of to_hex; accepts upper case and ignores ':' and spaces. Throws std::invalid_argument.
Bytes from_hex(std::string_view hex);
// At most `limit` bytes as printable text, other bytes as \xNN, "…" when cut: for logs and traces.
std::string printable(ByteView bytes, std::size_t limit = 64);

}  // namespace fc
