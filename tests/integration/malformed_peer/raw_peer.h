// A plain UDP socket that speaks CoAP byte by byte: it sends datagrams built by hand (valid or
// not) and decodes what comes back by hand, so nothing libcoap does is taken for granted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "suite/coap/context.h"

namespace fc::testing {

// One CoAP option as it goes on the wire: number and raw value.
using RawOption = std::pair<std::uint16_t, Bytes>;

// A well-formed CoAP/UDP datagram (RFC 7252 §3). Options are sorted by number here.
Bytes encode_datagram(std::uint8_t type, std::uint8_t code, std::uint16_t message_id, const Bytes& token,
                      std::vector<RawOption> options, const Bytes& payload = {});
// Uri-Path and Uri-Query options for a POST /rd?<queries>, Content-Format 40.
std::vector<RawOption> register_options(const std::vector<std::string>& queries);
Bytes uint_value(std::uint32_t value);

struct RawMessage {
  std::uint8_t version = 0;
  std::uint8_t type = 0;  // 0 CON, 1 NON, 2 ACK, 3 RST
  std::uint8_t code = 0;  // class << 5 | detail
  std::uint16_t message_id = 0;
  Bytes token;
  std::vector<RawOption> options;
  Bytes payload;
  Bytes raw;
  std::vector<std::string> location_path() const;
};
// Decodes a datagram; nullopt (with `why`) when it is not a well-formed CoAP message.
std::optional<RawMessage> decode_datagram(ByteView datagram, std::string* why = nullptr);

class RawPeer {
 public:
  // Binds 127.0.0.1:0 and watches the socket on `loop`. Throws std::runtime_error on failure.
  RawPeer(coap::EventLoop& loop, const coap::BoundAddress& server);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  void send(const Bytes& datagram);
  // Every datagram received so far, in order.
  const std::vector<Bytes>& received() const { return received_; }
  // Pumps until `count` datagrams in total have arrived or `timeout` passes.
  bool await_received(std::size_t count, Duration timeout);
  std::uint16_t port() const { return port_; }

 private:
  coap::EventLoop& loop_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<Bytes> received_;
  void drain();
};

}  // namespace fc::testing
