#include "suite/coap/message_encoding.h"

#include <algorithm>

namespace fc::coap {

namespace {

// RFC 7252 §12.2 option numbers.
enum Option : std::uint16_t {
  ETag = 4, Observe = 6, LocationPath = 8, UriPath = 11, ContentFormat = 12, UriQuery = 15,
  Accept = 17, Block2 = 23, Block1 = 27, Size2 = 28, Size1 = 60
};

Bytes uint_bytes(std::uint32_t value) {
  Bytes out;
  while (value) {
    out.insert(out.begin(), static_cast<std::uint8_t>(value & 0xFF));
    value >>= 8;
  }
  return out;  // zero is the empty value (§3.2)
}

// The 4-bit nibble and the extended bytes for an option delta or length (§3.1).
std::uint8_t nibble(std::size_t value, Bytes& extended) {
  if (value < 13) return static_cast<std::uint8_t>(value);
  if (value < 269) {
    extended.push_back(static_cast<std::uint8_t>(value - 13));
    return 13;
  }
  std::size_t v = value - 269;
  extended.push_back(static_cast<std::uint8_t>(v >> 8));
  extended.push_back(static_cast<std::uint8_t>(v & 0xFF));
  return 14;
}

struct EncodedOption {
  std::uint16_t number;
  Bytes value;
};

}  // namespace

Bytes encode_coap(const Message& m) {
  std::vector<EncodedOption> options;
  auto text = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  for (const auto& e : m.etags) options.push_back({ETag, e});
  if (m.observe) options.push_back({Observe, uint_bytes(*m.observe)});
  for (const auto& s : m.location_path) options.push_back({LocationPath, text(s)});
  for (const auto& s : m.uri_path) options.push_back({UriPath, text(s)});
  if (m.content_format) options.push_back({ContentFormat, uint_bytes(*m.content_format)});
  for (const auto& s : m.uri_query) options.push_back({UriQuery, text(s)});
  if (m.accept) options.push_back({Accept, uint_bytes(*m.accept)});
  if (m.block2) options.push_back({Block2, uint_bytes(m.block2->encode())});
  if (m.block1) options.push_back({Block1, uint_bytes(m.block1->encode())});
  if (m.size2) options.push_back({Size2, uint_bytes(*m.size2)});
  if (m.size1) options.push_back({Size1, uint_bytes(*m.size1)});
  // Stable: repeated options keep their order (Uri-Path segments).
  std::stable_sort(options.begin(), options.end(), [](const auto& a, const auto& b) { return a.number < b.number; });

  Bytes out;
  Bytes token_extended;
  std::size_t tkl = m.token.size();
  std::uint8_t tkl_nibble = 0;
  if (tkl <= 12) {
    tkl_nibble = static_cast<std::uint8_t>(tkl);
  } else {
    tkl_nibble = nibble(tkl, token_extended);  // RFC 8974 §2.1: 13 and 14 as for options
  }
  out.push_back(static_cast<std::uint8_t>(1u << 6 | static_cast<unsigned>(m.type) << 4 | tkl_nibble));
  out.push_back(m.code.raw());
  out.push_back(static_cast<std::uint8_t>(m.message_id >> 8));
  out.push_back(static_cast<std::uint8_t>(m.message_id & 0xFF));
  out.insert(out.end(), token_extended.begin(), token_extended.end());
  out.insert(out.end(), m.token.begin(), m.token.end());

  std::uint16_t previous = 0;
  for (const auto& o : options) {
    Bytes extended;
    std::uint8_t delta = nibble(o.number - previous, extended);
    std::uint8_t length = nibble(o.value.size(), extended);
    // Delta's extended bytes come before length's: nibble() appended them in that order.
    out.push_back(static_cast<std::uint8_t>(delta << 4 | length));
    out.insert(out.end(), extended.begin(), extended.end());
    out.insert(out.end(), o.value.begin(), o.value.end());
    previous = o.number;
  }
  if (!m.payload.empty()) {
    out.push_back(0xFF);
    out.insert(out.end(), m.payload.begin(), m.payload.end());
  }
  return out;
}

}  // namespace fc::coap
