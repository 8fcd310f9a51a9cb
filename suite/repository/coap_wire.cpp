#include "suite/repository/coap_wire.h"

#include <fmt/format.h>

namespace fc::repository {

namespace {

constexpr std::uint16_t kBlock2Option = 23;
constexpr std::uint8_t kPayloadMarker = 0xff;

// Reads an option delta or length nibble with its extension bytes (RFC 7252 §3.1).
std::optional<std::uint32_t> extended(std::uint8_t nibble, ByteView data, std::size_t& at) {
  if (nibble < 13) return nibble;
  if (nibble == 13) {
    if (at + 1 > data.size()) return std::nullopt;
    return 13u + data[at++];
  }
  if (nibble == 14) {
    if (at + 2 > data.size()) return std::nullopt;
    std::uint32_t v = 269u + (std::uint32_t{data[at]} << 8 | data[at + 1]);
    at += 2;
    return v;
  }
  return std::nullopt;  // 15 is reserved outside the payload marker
}

}  // namespace

std::optional<WireMessage> parse_wire(ByteView data) {
  if (data.size() < 4) return std::nullopt;
  if ((data[0] >> 6) != 1) return std::nullopt;
  std::size_t token_length = data[0] & 0x0f;
  if (token_length > 8 || 4 + token_length > data.size()) return std::nullopt;
  WireMessage m;
  m.type = static_cast<coap::MessageType>((data[0] >> 4) & 0x03);
  m.code = coap::Code::from_raw(data[1]);
  m.message_id = static_cast<std::uint16_t>(data[2] << 8 | data[3]);
  m.token.assign(data.begin() + 4, data.begin() + 4 + static_cast<std::ptrdiff_t>(token_length));

  std::size_t at = 4 + token_length;
  std::uint32_t number = 0;
  while (at < data.size()) {
    std::uint8_t head = data[at++];
    if (head == kPayloadMarker) {
      if (at == data.size()) return std::nullopt;
      m.payload_size = data.size() - at;
      return m;
    }
    auto delta = extended(static_cast<std::uint8_t>(head >> 4), data, at);
    auto length = extended(static_cast<std::uint8_t>(head & 0x0f), data, at);
    if (!delta || !length || at + *length > data.size()) return std::nullopt;
    number += *delta;
    if (number == kBlock2Option) {
      if (*length > 3) return std::nullopt;
      std::uint32_t value = 0;
      for (std::uint32_t i = 0; i < *length; ++i) value = value << 8 | data[at + i];
      m.block2 = coap::BlockOption::decode(value);
    }
    at += *length;
  }
  return m;
}

std::string WireMessage::summary() const {
  std::string s = fmt::format("{} {} mid={} tok={}", coap::to_string(type), code.number(), message_id,
                              token.empty() ? "-" : to_hex(token));
  if (block2) s += " Block2:" + block2->str();
  if (payload_size) s += fmt::format(" payload={}B", payload_size);
  return s;
}

}  // namespace fc::repository
