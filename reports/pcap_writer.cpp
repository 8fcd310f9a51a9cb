#include "reports/pcap_writer.h"

#include <cctype>
#include <chrono>

#include <fmt/format.h>

#include "suite/coap/message_encoding.h"

namespace fc::reports {

PcapFile::PcapFile() {
  bytes_ = pcapng::section_header("fotacheck (rebuilt from the trace)",
                                  "Rebuilt from results.json: payloads cut to the trace's 256 bytes, HTTP left out.");
  auto interface = pcapng::raw_ip_interface();
  bytes_.insert(bytes_.end(), interface.begin(), interface.end());
}

void PcapFile::add_udp(std::int64_t unix_us, const UdpEndpoint& src, const UdpEndpoint& dst, ByteView payload,
                       std::string_view comment) {
  auto packet = pcapng::enhanced_packet(unix_us, pcapng::udp_packet(src, dst, payload, next_ip_id_++), comment);
  bytes_.insert(bytes_.end(), packet.begin(), packet.end());
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
    Bytes datagram = coap::encode_coap(e.message);
    bool sent = e.direction == coap::Direction::Sent;
    // The suite's side is shown on CoAP's own port, as in a wire capture, so Wireshark decodes
    // it with no flag (the trace holds the messages decrypted: plain CoAP even for DTLS).
    auto shown = *local;
    shown.port = kShownCoapPort;
    auto comment = fmt::format("real ports: {} -> {}", endpoint_text(sent ? *local : *peer),
                               endpoint_text(sent ? *peer : *local));
    out.file.add_udp(unix_us, sent ? shown : *peer, sent ? *peer : shown, datagram, comment);
    out.ports.insert(shown.port);
    out.ports.insert(peer->port);
  }
  return out;
}

std::string pcap_file_name(const record::CaseRecord& record) {
  std::string name = case_label(record);
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  return name + ".pcapng";
}

}  // namespace fc::reports
