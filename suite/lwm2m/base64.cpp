#include "suite/lwm2m/base64.h"

#include <array>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int kNotInAlphabet = -1;

constexpr std::array<int, 256> make_reverse_table() {
  std::array<int, 256> table{};
  for (auto& entry : table) entry = kNotInAlphabet;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}

constexpr auto kReverse = make_reverse_table();

}  // namespace

std::string base64_encode(ByteView bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    text += kAlphabet[(group >> 18) & 0x3F];
    text += kAlphabet[(group >> 12) & 0x3F];
    text += kAlphabet[(group >> 6) & 0x3F];
    text += kAlphabet[group & 0x3F];
  }
  const auto left = bytes.size() - i;
  if (left == 1) {
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    text += kAlphabet[(group >> 18) & 0x3F];
    text += kAlphabet[(group >> 12) & 0x3F];
    text += "==";
  } else if (left == 2) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    text += kAlphabet[(group >> 18) & 0x3F];
    text += kAlphabet[(group >> 12) & 0x3F];
    text += kAlphabet[(group >> 6) & 0x3F];
    text += '=';
  }
  return text;
}

Bytes base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    throw CodecError(ContentFormat::Text, text.size(),
                     "base64 length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;

  Bytes bytes;
  bytes.reserve(text.size() / 4 * 3);
  const auto data_end = text.size() - padding;
  for (std::size_t group_start = 0; group_start < text.size(); group_start += 4) {
    std::uint32_t group = 0;
    std::size_t sextets = 0;
    for (std::size_t i = group_start; i < group_start + 4 && i < data_end; ++i) {
      const auto sextet = kReverse[static_cast<unsigned char>(text[i])];
      if (sextet == kNotInAlphabet) {
        const auto shown =
            text[i] == '=' ? std::string("'='") : "'" + std::string(1, text[i]) + "'";
        throw CodecError(ContentFormat::Text, i, "base64: unexpected character " + shown);
      }
      group = (group << 6) | static_cast<std::uint32_t>(sextet);
      ++sextets;
    }
    group <<= 6 * (4 - sextets);
    bytes.push_back(static_cast<std::uint8_t>(group >> 16));
    if (sextets >= 3) bytes.push_back(static_cast<std::uint8_t>(group >> 8));
    if (sextets == 4) bytes.push_back(static_cast<std::uint8_t>(group));
  }
  return bytes;
}

}  // namespace fc::lwm2m
