// The wire as it was: one pcapng file per case holding the exact datagrams and stream segments
// the suite's sockets sent and received (suite/coap/wire_tap.h), streamed to disk as they
// happen. What a reader must know (docs/reports.md, "Packet captures"):
// - addresses, payloads and timestamps are real; a port the suite listens on for CoAP is shown
//   as 5683 (coap, coap+tcp) or 5684 (coaps, coaps+tcp) so that Wireshark and tshark decode it
//   with no Decode As rule, and each such packet's comment gives the real ports;
// - TCP segments carry the bytes as sent or received; their handshake, sequence and
//   acknowledgement numbers are made up (no FIN is shown);
// - the TLS/DTLS key log (GnuTLS writes it when SSLKEYLOGFILE names a file) is embedded as a
//   Decryption Secrets Block, and a DTLS session's handshake captured in an earlier case is
//   repeated at the start of every later case's file that uses the session.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "reports/pcapng.h"
#include "suite/coap/wire_tap.h"

namespace fc::reports {

class WireRecorder : public coap::WireSink {
 public:
  // Captures from now on into `pcap_dir` (created). Points SSLKEYLOGFILE at
  // `pcap_dir`/sslkeylog.txt unless the environment names a key log already (then the lines
  // written to that one from now on are used). Throws std::runtime_error naming a folder or
  // file it cannot write.
  WireRecorder(std::filesystem::path pcap_dir, std::string application);
  ~WireRecorder() override;
  WireRecorder(const WireRecorder&) = delete;
  WireRecorder& operator=(const WireRecorder&) = delete;

  void on_packet(const coap::WirePacket& packet) override;
  // Writes what was captured since the previous call (or since construction) as
  // `pcap_dir`/`file_name` and starts a new capture; returns the file, empty when there was no packet.
  std::filesystem::path finish_case(const std::string& file_name);
  const std::filesystem::path& key_log() const { return key_log_; }
  // Byte strings that must never reach a report (the PSK identity, docs/security.md): each
  // occurrence in a captured payload is overwritten with '*' of the same length, and the
  // packet's comment says so. Decryption does not need them (the key log holds the secrets).
  void redact(std::vector<std::string> secrets);

 private:
  struct Packet {
    std::int64_t unix_us = 0;
    Bytes ip;
    std::string comment;
  };
  struct TcpConnection {
    std::uint32_t next_client = 0, next_server = 0;
  };
  struct DtlsConversation {
    bool collecting = false;   // from its ClientHello until its first application record
    unsigned handshake_case = 0;
    unsigned last_used_case = 0;
    std::size_t stored_bytes = 0;
    std::vector<Packet> handshake;
  };

  std::filesystem::path dir_;
  std::string application_;
  std::filesystem::path key_log_;
  std::uintmax_t key_log_from_ = 0;
  std::filesystem::path part_file_;

  std::mutex mutex_;
  std::vector<std::string> secrets_;
  std::ofstream part_;
  std::size_t packets_ = 0;
  unsigned case_index_ = 1;
  std::uint16_t ip_id_ = 1;
  std::map<std::pair<std::string, std::string>, TcpConnection> tcp_;  // (client, server), real endpoints
  std::map<std::pair<std::string, std::string>, DtlsConversation> dtls_;  // endpoints in sorted order

  void write_packet(const Packet& packet);
  void on_datagram(const UdpEndpoint& source, const UdpEndpoint& destination, const UdpEndpoint& shown_source,
                   const UdpEndpoint& shown_destination, ByteView bytes, std::int64_t unix_us, const std::string& comment);
  void on_segment(const UdpEndpoint& source, const UdpEndpoint& destination, const UdpEndpoint& shown_source,
                  const UdpEndpoint& shown_destination, ByteView bytes, std::int64_t unix_us, const std::string& comment);
  std::string new_key_log_lines() const;
  void open_part();
};

// Whether `file` is a wire capture written by WireRecorder (a rebuild from the trace keeps it).
bool is_wire_capture(const std::filesystem::path& file);

}  // namespace fc::reports
