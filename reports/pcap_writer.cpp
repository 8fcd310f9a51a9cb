#include "reports/pcap_writer.h"

#include <arpa/inet.h>

#include <charconv>

#include "reports/coap_encoding.h"

namespace fc::reports {

namespace {

constexpr std::uint32_t kLinktypeRaw = 101;
constexpr std::uint8_t kUdp = 17;

void put16(Bytes& out, std::uint16_t v) {  // network order
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
void put_le32(Bytes& out, std::uint32_t v) {  // pcap headers in little-endian order
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i) & 0xFF));
}
void put_le16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
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

PcapFile::PcapFile() {
  put_le32(bytes_, 0xa1b2c3d4);  // microsecond timestamps
  put_le16(bytes_, 2);
  put_le16(bytes_, 4);
  put_le32(bytes_, 0);  // thiszone
  put_le32(bytes_, 0);  // sigfigs
  put_le32(bytes_, 262144);
  put_le32(bytes_, kLinktypeRaw);
}

void PcapFile::add_udp(std::int64_t unix_us, const UdpEndpoint& src, const UdpEndpoint& dst, ByteView payload) {
  auto udp_length = static_cast<std::uint16_t>(8 + payload.size());
  Bytes udp;
  put16(udp, src.port);
  put16(udp, dst.port);
  put16(udp, udp_length);
  put16(udp, 0);
  udp.insert(udp.end(), payload.begin(), payload.end());
  // The pseudo-header (RFC 768 / RFC 8200 §8.1) makes the checksum cover the addresses.
  std::uint32_t sum = sum16(address_bytes(src));
  sum = sum16(address_bytes(dst), sum);
  sum += kUdp + udp_length;
  std::uint16_t checksum = fold(sum16(udp, sum));
  if (checksum == 0) checksum = 0xFFFF;
  udp[6] = static_cast<std::uint8_t>(checksum >> 8);
  udp[7] = static_cast<std::uint8_t>(checksum & 0xFF);

  Bytes ip;
  if (src.v6) {
    put16(ip, 0x6000);
    put16(ip, 0);
    put16(ip, udp_length);
    ip.push_back(kUdp);
    ip.push_back(64);  // hop limit
  } else {
    ip.push_back(0x45);
    ip.push_back(0);
    put16(ip, static_cast<std::uint16_t>(20 + udp_length));
    put16(ip, next_ip_id_++);
    put16(ip, 0x4000);  // don't fragment
    ip.push_back(64);
    ip.push_back(kUdp);
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
  ip.insert(ip.end(), udp.begin(), udp.end());

  put_le32(bytes_, static_cast<std::uint32_t>(unix_us / 1000000));
  put_le32(bytes_, static_cast<std::uint32_t>(unix_us % 1000000));
  put_le32(bytes_, static_cast<std::uint32_t>(ip.size()));
  put_le32(bytes_, static_cast<std::uint32_t>(ip.size()));
  bytes_.insert(bytes_.end(), ip.begin(), ip.end());
  ++packets_;
}

CasePcap case_pcap(const RunRecord& run, const record::CaseRecord& record) {
  CasePcap out;
  auto fallback = parse_udp_endpoint(run.run.server_address);
  if (!fallback) fallback = parse_udp_endpoint("127.0.0.1:5683");
  for (const auto& e : record.trace) {
    bool note = e.peer.empty() && e.message.code == coap::Code{};
    if (note) continue;
    if (e.channel.find("http") != std::string::npos) {
      ++out.skipped;
      continue;
    }
    auto peer = parse_udp_endpoint(e.peer);
    auto local = e.local.empty() ? fallback : parse_udp_endpoint(e.local);
    if (!peer || !local) {
      ++out.skipped;
      continue;
    }
    if (local->v6 != peer->v6) {
      // Only the fallback can disagree with the peer's family: use the peer's loopback.
      auto port = local->port;
      local = parse_udp_endpoint(peer->v6 ? "[::1]:0" : "127.0.0.1:0");
      local->port = port;
    }
    auto unix_us = run.run.started_unix_ms * 1000 +
                   std::chrono::duration_cast<std::chrono::microseconds>(e.time - run.origin).count();
    Bytes datagram = encode_coap(e.message);
    bool sent = e.direction == coap::Direction::Sent;
    out.file.add_udp(unix_us, sent ? *local : *peer, sent ? *peer : *local, datagram);
    out.ports.insert(local->port);
    out.ports.insert(peer->port);
  }
  return out;
}

std::string pcap_file_name(const record::CaseRecord& record) {
  std::string name = case_label(record);
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  return name + ".pcap";
}

}  // namespace fc::reports
