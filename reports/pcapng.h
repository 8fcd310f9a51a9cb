// pcapng blocks (draft-ietf-opsawg-pcapng): a section header, one raw-IP interface, Decryption
// Secrets Blocks for TLS/DTLS key logs, and Enhanced Packet Blocks holding IPv4/IPv6 packets
// built around UDP datagrams or TCP segments. Every block is returned whole, so a capture can
// be streamed to a file block by block.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::reports {

struct UdpEndpoint {
  std::array<std::uint8_t, 16> address{};  // IPv4 in the first 4 bytes
  bool v6 = false;
  std::uint16_t port = 0;
};
// "127.0.0.1:5683" or "[::1]:5683"; nullopt for anything else (host names included).
std::optional<UdpEndpoint> parse_udp_endpoint(std::string_view text);
// The inverse: "127.0.0.1:5683" / "[::1]:5683".
std::string endpoint_text(const UdpEndpoint& endpoint);

namespace pcapng {

// Section Header Block: the application that wrote it and a comment for the reader.
Bytes section_header(std::string_view application, std::string_view comment);
// Interface Description Block, LINKTYPE_RAW (101): every packet an IPv4 or IPv6 packet; µs timestamps.
Bytes raw_ip_interface();
// Decryption Secrets Block holding an NSS key log (secrets type 0x544c534b, "TLSK").
Bytes tls_key_log(std::string_view key_log);
// Enhanced Packet Block on interface 0 with an optional comment.
Bytes enhanced_packet(std::int64_t unix_us, ByteView ip_packet, std::string_view comment = {});

// IP + UDP (checksums filled) around `payload`. Source and destination must share a family.
Bytes udp_packet(const UdpEndpoint& source, const UdpEndpoint& destination, ByteView payload, std::uint16_t ip_id);

namespace tcp_flag {
inline constexpr std::uint8_t Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;
}
// IP + TCP (checksums filled, 20-byte header, window 65535) around `payload` (at most 65000 bytes).
Bytes tcp_packet(const UdpEndpoint& source, const UdpEndpoint& destination, std::uint32_t seq, std::uint32_t ack,
                 std::uint8_t flags, ByteView payload, std::uint16_t ip_id);

}  // namespace pcapng
}  // namespace fc::reports
