#include "refclient/client/dm_message.h"

#include <fmt/format.h>

namespace fc::refclient {

std::optional<BlockOption> decode_block_option(std::uint32_t value) {
  if (value > 0xFFFFFFu) return std::nullopt;
  const int szx = static_cast<int>(value & 0x7u);
  if (szx == 7) return std::nullopt;
  return BlockOption{value >> 4, (value & 0x8u) != 0, szx};
}

std::uint32_t encode_block_option(const BlockOption& block) {
  return (block.num << 4) | (block.more ? 0x8u : 0u) | static_cast<std::uint32_t>(block.szx & 0x7);
}

std::string DmResponse::code_text() const { return fmt::format("{}.{:02}", code_class, code_detail); }

}  // namespace fc::refclient
