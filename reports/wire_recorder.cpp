#include "reports/wire_recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "suite/coap/wire_listeners.h"

namespace fc::reports {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "fotacheck wire capture";
constexpr std::size_t kMaxSegment = 65000;            // one IP packet's worth of TCP payload
constexpr std::size_t kMaxStoredHandshake = 64 * 1024;  // per DTLS conversation
constexpr std::uint32_t kClientIsn = 1000, kServerIsn = 500000;

UdpEndpoint endpoint_of(const sockaddr_storage& a) {
  UdpEndpoint e;
  if (a.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(a);
    e.v6 = true;
    std::memcpy(e.address.data(), &in6.sin6_addr, 16);
    e.port = ntohs(in6.sin6_port);
  } else {
    const auto& in = reinterpret_cast<const sockaddr_in&>(a);
    std::memcpy(e.address.data(), &in.sin_addr, 4);
    e.port = ntohs(in.sin_port);
  }
  return e;
}

// A server port of this process under its IANA number (wire_listeners.h); others unchanged.
UdpEndpoint shown(UdpEndpoint e, bool tcp) {
  if (auto service = coap::listener_service(e.port, tcp))
    if (auto port = coap::well_known_port(*service)) e.port = *port;
  return e;
}

std::int64_t unix_us_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// DTLS 1.x record (RFC 6347 §4.1): content type, version 254.x, 13-byte header.
bool is_dtls(ByteView b) { return b.size() >= 13 && b[0] >= 20 && b[0] <= 25 && b[1] == 0xFE; }
bool is_client_hello(ByteView b) { return is_dtls(b) && b[0] == 22 && b[3] == 0 && b[4] == 0 && b.size() > 13 && b[13] == 1; }
// Whether any record in the datagram is application data (the handshake is over).
bool carries_application_data(ByteView b) {
  for (std::size_t at = 0; at + 13 <= b.size();) {
    if (b[at] == 23) return true;
    at += 13 + static_cast<std::size_t>(b[at + 11] << 8 | b[at + 12]);
  }
  return false;
}

}  // namespace

WireRecorder::WireRecorder(fs::path pcap_dir, std::string application)
    : dir_(std::move(pcap_dir)), application_(std::move(application)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create the capture folder " + dir_.string() + ": " + ec.message());
  // GnuTLS reads SSLKEYLOGFILE once, at its first handshake: a name already set stays in force.
  if (const char* existing = std::getenv("SSLKEYLOGFILE"); existing && *existing) {
    key_log_ = existing;
  } else {
    key_log_ = fs::absolute(dir_ / "sslkeylog.txt");
    ::setenv("SSLKEYLOGFILE", key_log_.c_str(), 1);
  }
  key_log_from_ = fs::exists(key_log_, ec) ? fs::file_size(key_log_, ec) : 0;
  if (ec) key_log_from_ = 0;
  part_file_ = dir_ / ".capture.part";
  open_part();
  coap::set_wire_sink(this);
}

WireRecorder::~WireRecorder() {
  coap::set_wire_sink(nullptr);
  part_.close();
  std::error_code ec;
  fs::remove(part_file_, ec);  // the traffic after the last case: ours, never the user's
}

void WireRecorder::open_part() {
  part_.close();
  part_.open(part_file_, std::ios::binary | std::ios::trunc);
  if (!part_) throw std::runtime_error("cannot write the capture file " + part_file_.string());
}

void WireRecorder::write_packet(const Packet& packet) {
  auto block = pcapng::enhanced_packet(packet.unix_us, packet.ip, packet.comment);
  part_.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
  ++packets_;
}

void WireRecorder::redact(std::vector<std::string> secrets) {
  std::lock_guard lock(mutex_);
  secrets_.clear();
  for (auto& s : secrets)
    if (!s.empty()) secrets_.push_back(std::move(s));
}

void WireRecorder::on_packet(const coap::WirePacket& packet) {
  // Between two sockets of this process the datagram was captured when it was sent.
  if (!packet.sent && packet.from_this_process) return;
  ByteView bytes = packet.bytes;
  Bytes redacted;
  {
    std::lock_guard lock(mutex_);
    for (const auto& secret : secrets_) {
      auto found = std::search(bytes.begin(), bytes.end(), secret.begin(), secret.end());
      if (found == bytes.end()) continue;
      if (redacted.empty()) redacted.assign(bytes.begin(), bytes.end());
      for (auto at = std::search(redacted.begin(), redacted.end(), secret.begin(), secret.end()); at != redacted.end();
           at = std::search(at, redacted.end(), secret.begin(), secret.end()))
        at = std::fill_n(at, secret.size(), std::uint8_t{'*'});
    }
  }
  if (!redacted.empty()) bytes = redacted;
  bool tcp = packet.protocol == coap::WireProtocol::Tcp;
  auto source = endpoint_of(packet.source), destination = endpoint_of(packet.destination);
  if (source.v6 != destination.v6) return;  // cannot be framed as one IP packet
  auto shown_source = shown(source, tcp), shown_destination = shown(destination, tcp);
  std::string comment;
  if (shown_source.port != source.port || shown_destination.port != destination.port)
    comment = fmt::format("real ports: {} -> {}", endpoint_text(source), endpoint_text(destination));
  if (!redacted.empty()) comment += std::string(comment.empty() ? "" : "; ") + "a secret (PSK identity) overwritten with '*'";
  auto unix_us = unix_us_of(packet.time);
  std::lock_guard lock(mutex_);
  if (tcp) on_segment(source, destination, shown_source, shown_destination, bytes, unix_us, comment);
  else on_datagram(source, destination, shown_source, shown_destination, bytes, unix_us, comment);
}

void WireRecorder::on_datagram(const UdpEndpoint& source, const UdpEndpoint& destination, const UdpEndpoint& shown_source,
                               const UdpEndpoint& shown_destination, ByteView bytes, std::int64_t unix_us,
                               const std::string& comment) {
  Packet packet{unix_us, pcapng::udp_packet(shown_source, shown_destination, bytes, ip_id_++), comment};
  write_packet(packet);
  if (!is_dtls(bytes)) return;
  auto a = endpoint_text(source), b = endpoint_text(destination);
  auto& conversation = dtls_[std::minmax(a, b)];
  conversation.last_used_case = case_index_;
  if (is_client_hello(bytes)) {
    conversation = DtlsConversation{true, case_index_, case_index_, 0, {}};
  }
  if (!conversation.collecting) return;
  if (carries_application_data(bytes)) {
    conversation.collecting = false;
    return;
  }
  conversation.stored_bytes += packet.ip.size();
  if (conversation.stored_bytes > kMaxStoredHandshake) {  // not a handshake any more: stop keeping it
    conversation.collecting = false;
    conversation.handshake.clear();
    return;
  }
  conversation.handshake.push_back(std::move(packet));
}

void WireRecorder::on_segment(const UdpEndpoint& source, const UdpEndpoint& destination, const UdpEndpoint& shown_source,
                              const UdpEndpoint& shown_destination, ByteView bytes, std::int64_t unix_us,
                              const std::string& comment) {
  auto a = endpoint_text(source), b = endpoint_text(destination);
  auto found = tcp_.find({a, b});
  bool from_client = true;
  if (found == tcp_.end()) {
    found = tcp_.find({b, a});
    from_client = false;
  }
  if (found == tcp_.end()) {
    // First seen in this file: the side that listens is the server, else the receiver is.
    from_client = coap::listener_service(destination.port, true) || !coap::listener_service(source.port, true);
    const auto& client = from_client ? shown_source : shown_destination;
    const auto& server = from_client ? shown_destination : shown_source;
    using namespace pcapng::tcp_flag;
    std::string note = "synthetic handshake: the connection's segments below are real, its SYN/ACK and sequence numbers are not";
    write_packet({unix_us, pcapng::tcp_packet(client, server, kClientIsn, 0, Syn, {}, ip_id_++), note});
    write_packet({unix_us, pcapng::tcp_packet(server, client, kServerIsn, kClientIsn + 1, Syn | Ack, {}, ip_id_++), note});
    write_packet({unix_us, pcapng::tcp_packet(client, server, kClientIsn + 1, kServerIsn + 1, Ack, {}, ip_id_++), note});
    auto key = from_client ? std::pair{a, b} : std::pair{b, a};
    found = tcp_.emplace(key, TcpConnection{kClientIsn + 1, kServerIsn + 1}).first;
  }
  auto& connection = found->second;
  auto& next = from_client ? connection.next_client : connection.next_server;
  auto ack = from_client ? connection.next_server : connection.next_client;
  for (std::size_t at = 0; at < bytes.size(); at += kMaxSegment) {
    auto chunk = bytes.subspan(at, std::min(kMaxSegment, bytes.size() - at));
    using namespace pcapng::tcp_flag;
    write_packet({unix_us, pcapng::tcp_packet(shown_source, shown_destination, next, ack, Psh | Ack, chunk, ip_id_++), comment});
    next += static_cast<std::uint32_t>(chunk.size());
  }
}

std::string WireRecorder::new_key_log_lines() const {
  std::ifstream in(key_log_, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  auto end = static_cast<std::uintmax_t>(in.tellg());
  if (end <= key_log_from_) return {};
  std::string text(end - key_log_from_, '\0');
  in.seekg(static_cast<std::streamoff>(key_log_from_));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  // Only whole lines: GnuTLS may be writing one right now.
  auto last = text.rfind('\n');
  return last == std::string::npos ? std::string() : text.substr(0, last + 1);
}

fs::path WireRecorder::finish_case(const std::string& file_name) {
  std::lock_guard lock(mutex_);
  part_.flush();
  std::size_t packets = packets_;
  // DTLS sessions this case used whose handshake an earlier case holds: repeated first, so that
  // the records can be decrypted from this file alone.
  std::vector<const Packet*> repeated;
  for (auto& [endpoints, conversation] : dtls_)
    if (conversation.last_used_case == case_index_ && conversation.handshake_case != case_index_)
      for (const auto& p : conversation.handshake) repeated.push_back(&p);
  fs::path file;
  if (packets) {
    file = dir_ / file_name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    auto put = [&](const Bytes& b) { out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size())); };
    put(pcapng::section_header(
        application_,
        fmt::format("{}: the datagrams and segments as the suite's sockets sent and received them, every byte. "
                    "CoAP server ports are shown as 5683/5684 (packet comments give the real ports); TCP handshakes "
                    "and sequence numbers are synthetic. The TLS/DTLS key log is embedded.",
                    kMarker)));
    put(pcapng::raw_ip_interface());
    if (auto keys = new_key_log_lines(); !keys.empty()) put(pcapng::tls_key_log(keys));
    for (const auto* p : repeated) {
      std::string note = "repeated: this DTLS session's handshake, captured before this case" +
                         (p->comment.empty() ? std::string() : "; " + p->comment);
      put(pcapng::enhanced_packet(p->unix_us, p->ip, note));
    }
    part_.close();
    std::ifstream in(part_file_, std::ios::binary);
    out << in.rdbuf();
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }
  packets_ = 0;
  ++case_index_;
  tcp_.clear();  // the next file shows each connection's made-up handshake again
  open_part();
  return file;
}

bool is_wire_capture(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find(kMarker) != std::string::npos;
}

}  // namespace fc::reports
