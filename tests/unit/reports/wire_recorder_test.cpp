// The wire capture: real loopback sockets of this process, their bytes in the pcapng whole, a
// CoAP listener's port shown as 5683 with the real one in the packet comment, TCP segments in a
// stream tshark follows.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "reports/wire_recorder.h"
#include "suite/coap/wire_listeners.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

const char* const kTshark = "/usr/bin/tshark";

struct Socket {
  int fd;
  explicit Socket(int type) : fd(::socket(AF_INET, type, 0)) {}
  ~Socket() { ::close(fd); }
  std::uint16_t bind_loopback() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t length = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
    return ntohs(a.sin_port);
  }
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

Bytes coap_get_with_payload(std::size_t payload) {
  Bytes b{0x40, 0x02, 0x12, 0x34, 0xFF};  // CON POST mid 0x1234, no token, payload marker
  for (std::size_t i = 0; i < payload; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  return b;
}

std::string tshark(const std::filesystem::path& file, const std::string& arguments) {
  auto result = run_command(fmt::format("{} -n -r '{}' {} 2>/dev/null", kTshark, file.string(), arguments));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // tshark run as root warns; keep only the dissected lines.
  std::string lines;
  std::istringstream in(result.output);
  for (std::string line; std::getline(in, line);)
    if (line.find("Running as user") == std::string::npos && line.find("dangerous") == std::string::npos) lines += line + "\n";
  return lines;
}

TEST(WireRecorder, KeepsEveryByteOfADatagramAndShowsTheListenerAs5683) {
  TempDir dir;
  Socket server(SOCK_DGRAM), client(SOCK_DGRAM);
  auto server_port = server.bind_loopback();
  auto client_port = client.bind_loopback();
  coap::note_listener(server_port, coap::WireService::Coap);
  auto datagram = coap_get_with_payload(1024);
  std::filesystem::path file;
  {
    WireRecorder recorder(dir / "pcap", "fotacheck test");
    auto to = loopback(server_port);
    ASSERT_EQ(::sendto(client.fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(datagram.size()));
    Bytes received(2048);
    ASSERT_EQ(::recv(server.fd, received.data(), received.size(), 0), static_cast<ssize_t>(datagram.size()));
    file = recorder.finish_case("one.pcapng");
  }
  ASSERT_EQ(file, dir / "pcap/one.pcapng");
  EXPECT_TRUE(is_wire_capture(file));
  EXPECT_FALSE(std::filesystem::exists(dir / "pcap/.capture.part"));  // removed with the recorder
  auto bytes = to_bytes(read_file(file));
  // Sent and received by this process: captured once, every byte of it.
  auto found = std::search(bytes.begin(), bytes.end(), datagram.begin(), datagram.end());
  ASSERT_NE(found, bytes.end());
  EXPECT_EQ(std::search(found + 1, bytes.end(), datagram.begin(), datagram.end()), bytes.end());
  if (!std::filesystem::exists(kTshark)) GTEST_SKIP() << "tshark is not installed (scripts/setup --with reports installs it)";
  auto lines = tshark(file, "-Y coap -T fields -E separator=' ' -e udp.srcport -e udp.dstport -e coap.payload_length -e frame.comment");
  EXPECT_EQ(lines, fmt::format("{} 5683 1024 real ports: 127.0.0.1:{} -> 127.0.0.1:{}\n", client_port, client_port, server_port));
}

TEST(WireRecorder, FramesAStreamAsTcpSegmentsTsharkReassembles) {
  TempDir dir;
  Socket listener(SOCK_STREAM), client(SOCK_STREAM);
  auto port = listener.bind_loopback();
  ASSERT_EQ(::listen(listener.fd, 1), 0);
  coap::note_listener(port, coap::WireService::Http);
  std::string request = "GET /fw/a.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::string body(100000, 'x');
  std::string response = fmt::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{}", body.size(), body);
  std::filesystem::path file;
  {
    WireRecorder recorder(dir / "pcap", "fotacheck test");
    auto to = loopback(port);
    ASSERT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    int served = ::accept(listener.fd, nullptr, nullptr);
    ASSERT_GE(served, 0);
    ASSERT_EQ(::send(client.fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
    std::string got(request.size(), '\0');
    ASSERT_EQ(::recv(served, got.data(), got.size(), MSG_WAITALL), static_cast<ssize_t>(request.size()));
    std::size_t sent = 0;
    while (sent < response.size()) {
      auto n = ::send(served, response.data() + sent, response.size() - sent, 0);
      ASSERT_GT(n, 0);
      sent += static_cast<std::size_t>(n);
    }
    std::string reply(response.size(), '\0');
    ASSERT_EQ(::recv(client.fd, reply.data(), reply.size(), MSG_WAITALL), static_cast<ssize_t>(response.size()));
    ::close(served);
    file = recorder.finish_case("stream.pcapng");
  }
  ASSERT_FALSE(file.empty());
  if (!std::filesystem::exists(kTshark)) GTEST_SKIP() << "tshark is not installed (scripts/setup --with reports installs it)";
  EXPECT_EQ(tshark(file, "-Y 'tcp.flags.syn == 1' -T fields -e tcp.flags.ack"), "0\n1\n");  // the made-up handshake
  EXPECT_EQ(tshark(file, "-Y http.request -T fields -e http.request.uri"), "/fw/a.bin\n");
  EXPECT_EQ(tshark(file, "-Y http.response -T fields -e http.response.code -e http.content_length"), "200\t100000\n");
  EXPECT_EQ(tshark(file, "-Y 'tcp.analysis.flags && !tcp.analysis.window_update'"), "");  // no gap, no retransmission seen
}

}  // namespace
}  // namespace fc::reports
