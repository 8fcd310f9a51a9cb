// A case's CoAP datagrams as a pcapng file rebuilt from the trace: the fallback of `fotacheck
// report` for a case whose wire capture (reports/wire_recorder.h) is not in the folder. Payloads
// are those the trace kept (at most 256 bytes per message), so a long block's payload is cut
// short while its options and codes are exact. The suite's side is shown on port 5683, so
// Wireshark decodes CoAP with no flag; each packet's comment gives the real ports.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reports/pcapng.h"
#include "reports/run_record.h"
#include "suite/common/bytes.h"

namespace fc::reports {

// pcapng, LINKTYPE_RAW (101): each packet an IP datagram.
class PcapFile {
 public:
  PcapFile();
  void add_udp(std::int64_t unix_us, const UdpEndpoint& source, const UdpEndpoint& destination, ByteView payload,
               std::string_view comment = {});
  const Bytes& bytes() const { return bytes_; }
  std::size_t packets() const { return packets_; }

 private:
  Bytes bytes_;
  std::size_t packets_ = 0;
  std::uint16_t next_ip_id_ = 1;
};

// The port the suite's own sockets are shown on: CoAP's, which Wireshark decodes by default.
inline constexpr std::uint16_t kShownCoapPort = 5683;

struct CasePcap {
  PcapFile file;
  std::set<std::uint16_t> ports;  // every UDP port shown in it (the suite's side as kShownCoapPort)
  std::size_t skipped = 0;        // entries left out: HTTP, or an address that is not numeric
};

// Every CoAP message of the case's trace (notes and HTTP channels left out). The local side
// comes from TraceEntry.local, else the run's server address, else 127.0.0.1:5683.
CasePcap case_pcap(const RunRecord& run, const record::CaseRecord& record);

// "FU-OBJ-751.pcapng": the case label with anything but [A-Za-z0-9._-] as '_'.
std::string pcap_file_name(const record::CaseRecord& record);

}  // namespace fc::reports
