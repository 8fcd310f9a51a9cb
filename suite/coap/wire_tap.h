// The wire as the kernel saw it: every datagram and stream segment this process sends or
// receives on an IP socket, with its real addresses and ports, handed to one sink.
//
// libcoap 4.3.1 has no raw-datagram hook, so this file defines send/sendto/sendmsg and
// recv/recvfrom/recvmsg: a binary that links it (it is pulled in by set_wire_sink) resolves
// libcoap's, GnuTLS's (through libcoap's DTLS/TLS I/O), cpp-httplib's and the relay's socket
// calls here first, and each one forwards to the C library's own (dlsym RTLD_NEXT). So a
// capture holds the exact bytes, retransmissions and libcoap's own ACKs/RSTs included, and DTLS
// as ciphertext. With no sink installed a call costs one atomic load.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>

#include "suite/common/bytes.h"

namespace fc::coap {

enum class WireProtocol { Udp, Tcp };

struct WirePacket {
  std::chrono::system_clock::time_point time;
  WireProtocol protocol = WireProtocol::Udp;
  sockaddr_storage source{};
  sockaddr_storage destination{};
  ByteView bytes;
  bool sent = false;  // sent by this process (else received)
  // Received from a socket of this same process: the bytes were already captured when sent.
  bool from_this_process = false;
};

class WireSink {
 public:
  virtual ~WireSink() = default;
  // Called on the thread that made the socket call, possibly several threads at once.
  virtual void on_packet(const WirePacket& packet) = 0;
};

// Installs `sink` for the whole process (nullptr removes it). Returns once no call is still
// inside the previous sink, so the caller may destroy it afterwards.
void set_wire_sink(WireSink* sink);

}  // namespace fc::coap
