#include "tests/integration/malformed_peer/raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fc::testing {

namespace {
// An option delta or length as a 4-bit nibble plus its extended bytes (RFC 7252 §3.1).
std::uint8_t nibble_for(std::size_t value, Bytes& extended) {
  if (value < 13) return static_cast<std::uint8_t>(value);
  if (value < 269) {
    extended.push_back(static_cast<std::uint8_t>(value - 13));
    return 13;
  }
  auto v = static_cast<std::uint16_t>(value - 269);
  extended.push_back(static_cast<std::uint8_t>(v >> 8));
  extended.push_back(static_cast<std::uint8_t>(v & 0xFF));
  return 14;
}
}  // namespace

Bytes uint_value(std::uint32_t value) {
  Bytes out;
  for (int shift = 24; shift >= 0; shift -= 8)
    if (!out.empty() || (value >> shift) & 0xFF) out.push_back(static_cast<std::uint8_t>(value >> shift));
  return out;
}

Bytes encode_datagram(std::uint8_t type, std::uint8_t code, std::uint16_t message_id, const Bytes& token,
                      std::vector<RawOption> options, const Bytes& payload) {
  Bytes out;
  out.push_back(static_cast<std::uint8_t>(0x40 | (type << 4) | token.size()));
  out.push_back(code);
  out.push_back(static_cast<std::uint8_t>(message_id >> 8));
  out.push_back(static_cast<std::uint8_t>(message_id & 0xFF));
  out.insert(out.end(), token.begin(), token.end());
  std::stable_sort(options.begin(), options.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::uint16_t previous = 0;
  for (const auto& [number, value] : options) {
    Bytes extended;
    std::uint8_t delta = nibble_for(number - previous, extended);
    std::uint8_t length = nibble_for(value.size(), extended);
    out.push_back(static_cast<std::uint8_t>(delta << 4 | length));
    out.insert(out.end(), extended.begin(), extended.end());
    out.insert(out.end(), value.begin(), value.end());
    previous = number;
  }
  if (!payload.empty()) {
    out.push_back(0xFF);
    out.insert(out.end(), payload.begin(), payload.end());
  }
  return out;
}

std::vector<RawOption> register_options(const std::vector<std::string>& queries) {
  std::vector<RawOption> options{{11, to_bytes("rd")}, {12, uint_value(40)}};
  for (const auto& q : queries) options.emplace_back(15, to_bytes(q));
  return options;
}

std::vector<std::string> RawMessage::location_path() const {
  std::vector<std::string> out;
  for (const auto& [number, value] : options)
    if (number == 8) out.push_back(to_string(value));
  return out;
}

std::optional<RawMessage> decode_datagram(ByteView d, std::string* why) {
  auto fail = [&](std::string text) -> std::optional<RawMessage> {
    if (why) *why = std::move(text);
    return std::nullopt;
  };
  if (d.size() < 4) return fail("shorter than the 4-byte header");
  RawMessage m;
  m.raw.assign(d.begin(), d.end());
  m.version = d[0] >> 6;
  m.type = (d[0] >> 4) & 0x3;
  std::size_t tkl = d[0] & 0xF;
  m.code = d[1];
  m.message_id = static_cast<std::uint16_t>(d[2] << 8 | d[3]);
  if (tkl > 8) return fail("token length " + std::to_string(tkl));
  if (d.size() < 4 + tkl) return fail("token runs past the end");
  m.token.assign(d.begin() + 4, d.begin() + static_cast<std::ptrdiff_t>(4 + tkl));
  std::size_t at = 4 + tkl;
  std::uint32_t number = 0;
  auto extended = [&](std::uint32_t nib, std::uint32_t& out) {
    if (nib < 13) { out = nib; return true; }
    if (nib == 13 && at + 1 <= d.size()) { out = 13u + d[at]; at += 1; return true; }
    if (nib == 14 && at + 2 <= d.size()) { out = 269u + (std::uint32_t{d[at]} << 8 | d[at + 1]); at += 2; return true; }
    return false;
  };
  while (at < d.size()) {
    if (d[at] == 0xFF) {
      if (at + 1 == d.size()) return fail("payload marker without payload");
      m.payload.assign(d.begin() + static_cast<std::ptrdiff_t>(at + 1), d.end());
      return m;
    }
    std::uint32_t delta = 0, length = 0;
    std::uint8_t head = d[at++];
    if (!extended(head >> 4, delta) || !extended(head & 0xF, length)) return fail("reserved or cut option header");
    if (at + length > d.size()) return fail("option value runs past the end");
    number += delta;
    auto from = d.begin() + static_cast<std::ptrdiff_t>(at);
    m.options.emplace_back(static_cast<std::uint16_t>(number), Bytes(from, from + length));
    at += length;
  }
  return m;
}

RawPeer::RawPeer(coap::EventLoop& loop, const coap::BoundAddress& server) : loop_(loop) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("raw peer: socket: ") + std::strerror(errno));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sockaddr_in remote = local;
  remote.sin_port = htons(server.port);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("raw peer: bind/connect to 127.0.0.1:" + std::to_string(server.port) + ": " + error);
  }
  socklen_t size = sizeof local;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &size);
  port_ = ntohs(local.sin_port);
  loop_.watch(fd_, [this] { drain(); });
}

RawPeer::~RawPeer() {
  loop_.unwatch(fd_);
  ::close(fd_);
}

void RawPeer::send(const Bytes& datagram) {
  if (::send(fd_, datagram.data(), datagram.size(), 0) != static_cast<ssize_t>(datagram.size()))
    throw std::runtime_error(std::string("raw peer: send: ") + std::strerror(errno));
}

void RawPeer::drain() {
  std::uint8_t buffer[2048];
  for (;;) {
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return;
    received_.emplace_back(buffer, buffer + n);
  }
}

bool RawPeer::await_received(std::size_t count, Duration timeout) {
  return loop_.await([&] { return received_.size() >= count; }, Deadline(timeout));
}

}  // namespace fc::testing
