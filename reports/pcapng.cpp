#include "reports/pcapng.h"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace fc::reports {

namespace {

constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kTcp = 6;

void put16(Bytes& out, std::uint16_t v) {  // network order
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
void put32(Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}
// pcapng is written little-endian (the byte-order magic says so).
void put_le16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_le32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i) & 0xFF));
}
void pad4(Bytes& out) {
  while (out.size() % 4) out.push_back(0);
}
void put_option(Bytes& out, std::uint16_t code, std::string_view value) {
  if (value.empty()) return;
  // An option's length is 16 bits: a longer comment is cut (none of ours comes near).
  auto length = static_cast<std::uint16_t>(std::min<std::size_t>(value.size(), 0xFFF0));
  put_le16(out, code);
  put_le16(out, length);
  out.insert(out.end(), value.begin(), value.begin() + length);
  pad4(out);
}
void end_of_options(Bytes& out) { put_le32(out, 0); }

// Type, total length before and after the body.
Bytes block(std::uint32_t type, const Bytes& body) {
  Bytes out;
  auto total = static_cast<std::uint32_t>(12 + body.size());
  put_le32(out, type);
  put_le32(out, total);
  out.insert(out.end(), body.begin(), body.end());
  put_le32(out, total);
  return out;
}

// RFC 1071 ones' complement sum over 16-bit words.
std::uint32_t sum16(ByteView data, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (data.size() % 2) sum += static_cast<std::uint32_t>(data.back() << 8);
  return sum;
}
std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xFFFF);
}

ByteView address_bytes(const UdpEndpoint& e) { return ByteView(e.address.data(), e.v6 ? 16 : 4); }

// The IP header in front of `transport` (whose checksum at `checksum_at` is filled in here,
// over the RFC 768 / RFC 793 / RFC 8200 §8.1 pseudo-header).
Bytes ip_packet(const UdpEndpoint& src, const UdpEndpoint& dst, std::uint8_t protocol, Bytes transport,
                std::size_t checksum_at, std::uint16_t ip_id) {
  auto length = static_cast<std::uint32_t>(transport.size());
  std::uint32_t sum = sum16(address_bytes(src));
  sum = sum16(address_bytes(dst), sum);
  sum += protocol + (length & 0xFFFF) + (length >> 16);
  std::uint16_t checksum = fold(sum16(transport, sum));
  if (protocol == kUdp && checksum == 0) checksum = 0xFFFF;
  transport[checksum_at] = static_cast<std::uint8_t>(checksum >> 8);
  transport[checksum_at + 1] = static_cast<std::uint8_t>(checksum & 0xFF);

  Bytes ip;
  if (src.v6) {
    put16(ip, 0x6000);
    put16(ip, 0);
    put16(ip, static_cast<std::uint16_t>(length));
    ip.push_back(protocol);
    ip.push_back(64);  // hop limit
  } else {
    ip.push_back(0x45);
    ip.push_back(0);
    put16(ip, static_cast<std::uint16_t>(20 + length));
    put16(ip, ip_id);
    put16(ip, 0x4000);  // don't fragment
    ip.push_back(64);
    ip.push_back(protocol);
    put16(ip, 0);
  }
  auto s = address_bytes(src), d = address_bytes(dst);
  ip.insert(ip.end(), s.begin(), s.end());
  ip.insert(ip.end(), d.begin(), d.end());
  if (!src.v6) {
    std::uint16_t header_sum = fold(sum16(ip));
    ip[10] = static_cast<std::uint8_t>(header_sum >> 8);
    ip[11] = static_cast<std::uint8_t>(header_sum & 0xFF);
  }
  ip.insert(ip.end(), transport.begin(), transport.end());
  return ip;
}

}  // namespace

std::optional<UdpEndpoint> parse_udp_endpoint(std::string_view text) {
  UdpEndpoint e;
  std::string host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
    e.v6 = true;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) return std::nullopt;
  e.port = static_cast<std::uint16_t>(value);
  if (inet_pton(e.v6 ? AF_INET6 : AF_INET, host.c_str(), e.address.data()) != 1) return std::nullopt;
  return e;
}

std::string endpoint_text(const UdpEndpoint& e) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(e.v6 ? AF_INET6 : AF_INET, e.address.data(), buf, sizeof buf);
  return e.v6 ? "[" + std::string(buf) + "]:" + std::to_string(e.port) : std::string(buf) + ":" + std::to_string(e.port);
}

namespace pcapng {

Bytes section_header(std::string_view application, std::string_view comment) {
  Bytes body;
  put_le32(body, 0x1A2B3C4D);  // byte-order magic
  put_le16(body, 1);           // version 1.0
  put_le16(body, 0);
  put_le32(body, 0xFFFFFFFF);  // section length not given
  put_le32(body, 0xFFFFFFFF);
  put_option(body, 1, comment);       // opt_comment
  put_option(body, 4, application);   // shb_userappl
  end_of_options(body);
  return block(0x0A0D0D0A, body);
}

Bytes raw_ip_interface() {
  Bytes body;
  put_le16(body, 101);  // LINKTYPE_RAW
  put_le16(body, 0);
  put_le32(body, 0);  // no snapshot limit: every byte is kept
  end_of_options(body);
  return block(0x00000001, body);
}

Bytes tls_key_log(std::string_view key_log) {
  Bytes body;
  put_le32(body, 0x544c534b);  // TLS key log
  put_le32(body, static_cast<std::uint32_t>(key_log.size()));
  body.insert(body.end(), key_log.begin(), key_log.end());
  pad4(body);
  return block(0x0000000A, body);
}

Bytes enhanced_packet(std::int64_t unix_us, ByteView ip, std::string_view comment) {
  Bytes body;
  auto ts = static_cast<std::uint64_t>(unix_us);
  put_le32(body, 0);  // interface 0
  put_le32(body, static_cast<std::uint32_t>(ts >> 32));
  put_le32(body, static_cast<std::uint32_t>(ts & 0xFFFFFFFF));
  put_le32(body, static_cast<std::uint32_t>(ip.size()));
  put_le32(body, static_cast<std::uint32_t>(ip.size()));
  body.insert(body.end(), ip.begin(), ip.end());
  pad4(body);
  if (!comment.empty()) {
    put_option(body, 1, comment);
    end_of_options(body);
  }
  return block(0x00000006, body);
}

Bytes udp_packet(const UdpEndpoint& src, const UdpEndpoint& dst, ByteView payload, std::uint16_t ip_id) {
  Bytes udp;
  put16(udp, src.port);
  put16(udp, dst.port);
  put16(udp, static_cast<std::uint16_t>(8 + payload.size()));
  put16(udp, 0);
  udp.insert(udp.end(), payload.begin(), payload.end());
  return ip_packet(src, dst, kUdp, std::move(udp), 6, ip_id);
}

Bytes tcp_packet(const UdpEndpoint& src, const UdpEndpoint& dst, std::uint32_t seq, std::uint32_t ack,
                 std::uint8_t flags, ByteView payload, std::uint16_t ip_id) {
  Bytes tcp;
  put16(tcp, src.port);
  put16(tcp, dst.port);
  put32(tcp, seq);
  put32(tcp, (flags & tcp_flag::Ack) ? ack : 0);
  tcp.push_back(5 << 4);  // 20-byte header
  tcp.push_back(flags);
  put16(tcp, 65535);  // window
  put16(tcp, 0);      // checksum
  put16(tcp, 0);      // urgent pointer
  tcp.insert(tcp.end(), payload.begin(), payload.end());
  return ip_packet(src, dst, kTcp, std::move(tcp), 16, ip_id);
}

}  // namespace pcapng
}  // namespace fc::reports
