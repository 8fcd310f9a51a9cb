// Per-case pcaps: real IPv4/IPv6 + UDP framing that tshark dissects as CoAP with the methods,
// codes, paths and blocks of the trace.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <set>
#include <sstream>

#include "reports/pcap_writer.h"
#include "reports/report_set.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

const char* const kTshark = "/usr/bin/tshark";

std::string tshark_fields(const std::filesystem::path& file, const std::string& fields, const std::set<std::uint16_t>& ports) {
  std::string decode;
  for (auto p : ports) decode += fmt::format(" -d udp.port=={},coap", p);
  auto result = run_command(fmt::format("{} -n -r '{}'{} -T fields -E separator=' ' {}", kTshark, file.string(), decode, fields));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // tshark run as root warns on stderr; keep only the dissected lines.
  std::string lines;
  std::istringstream in(result.output);
  for (std::string line; std::getline(in, line);)
    if (line.find("Running as user") == std::string::npos && line.find("dangerous") == std::string::npos) lines += line + "\n";
  return lines;
}

TEST(Pcap, ParsesNumericEndpoints) {
  auto v4 = parse_udp_endpoint("127.0.0.1:5683");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->port, 5683);
  EXPECT_EQ(v4->address[0], 127);
  auto v6 = parse_udp_endpoint("[::1]:40000");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(v6->address[15], 1);
  EXPECT_FALSE(parse_udp_endpoint("localhost:5683"));
  EXPECT_FALSE(parse_udp_endpoint("127.0.0.1:70000"));
  EXPECT_FALSE(parse_udp_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_udp_endpoint("[::1]5683"));
}

TEST(Pcap, FileHeaderAndOnePacketPerMessage) {
  auto run = sample_run();
  auto pcap = case_pcap(run, run.cases[1]);
  EXPECT_EQ(pcap.file.packets(), 20u);  // 21 entries less the note
  EXPECT_EQ(pcap.skipped, 0u);
  EXPECT_EQ(pcap.ports, (std::set<std::uint16_t>{kDevicePort, kShownCoapPort}));  // the suite's side on 5683
  const auto& b = pcap.file.bytes();
  // pcapng: a Section Header Block (0x0A0D0D0A) with the little-endian byte-order magic.
  EXPECT_EQ(to_hex(ByteView(b.data(), 4)), "0a0d0d0a");
  EXPECT_EQ(to_hex(ByteView(b.data() + 8, 4)), "4d3c2b1a");
  EXPECT_EQ(pcap_file_name(run.cases[1]), "FU-PULL-001.pcapng");
}

TEST(Pcap, TsharkDissectsMethodsCodesPathsAndBlocksWithNoFlags) {
  if (!std::filesystem::exists(kTshark)) GTEST_SKIP() << "tshark is not installed (scripts/setup --with reports installs it)";
  TempDir dir;
  auto run = sample_run();
  auto file = write_case_pcap(run, run.cases[1], dir.path());
  ASSERT_EQ(file, dir / "pcap/FU-PULL-001.pcapng");
  // No Decode As: the suite's side (server 41000, repository 41001) is shown on 5683.
  auto lines = tshark_fields(file, "-e ip.src -e udp.srcport -e udp.dstport -e coap.type -e coap.code -e coap.opt.uri_path_recon -e coap.opt.block_number", {});
  std::string expected =
      "127.0.0.1 5683 40123 0 3 /5/0/1 \n"
      "127.0.0.1 40123 5683 2 68 /5/0/1 \n";
  for (int block = 0; block < 8; ++block)
    expected += fmt::format("127.0.0.1 40123 5683 0 1 /fw/pkg {0}\n127.0.0.1 5683 40123 2 69 /fw/pkg {0}\n", block);
  // tshark shows the bytes that are not UTF-8 as U+FFFD; responses carry their request's path.
  expected += "127.0.0.1 40123 5683 0 1 /5/\xEF\xBF\xBD\xEF\xBF\xBD\x01 \n127.0.0.1 5683 40123 2 132 /5/\xEF\xBF\xBD\xEF\xBF\xBD\x01 \n";
  EXPECT_EQ(lines, expected);
  // Each packet's comment keeps the real ports.
  auto comments = tshark_fields(file, "-e frame.comment", {});
  EXPECT_EQ(comments.substr(0, comments.find('\n')), "real ports: 127.0.0.1:41000 -> 127.0.0.1:40123");
  EXPECT_NE(comments.find("real ports: 127.0.0.1:40123 -> 127.0.0.1:41001"), std::string::npos) << comments;
}

TEST(Pcap, ChecksumsAreGoodAndIpv6Works) {
  if (!std::filesystem::exists(kTshark)) GTEST_SKIP() << "tshark is not installed (scripts/setup --with reports installs it)";
  TempDir dir;
  auto run = sample_run();
  auto c = run.cases[0];
  for (auto& e : c.trace) {
    e.peer = "[::1]:40123";
    e.local = "[::1]:41000";
  }
  auto file = write_case_pcap(run, c, dir.path());
  auto lines = tshark_fields(file, "-o udp.check_checksum:TRUE -o ip.check_checksum:TRUE -e ipv6.src -e udp.checksum.status -e coap.code -e coap.opt.uri_path_recon", {});
  // udp.checksum.status 1 = good.
  EXPECT_EQ(lines, "::1 1 1 /5/0/3\n::1 1 69 /5/0/3\n");
  c = run.cases[0];
  file = write_case_pcap(run, c, dir.path());
  lines = tshark_fields(file, "-o udp.check_checksum:TRUE -o ip.check_checksum:TRUE -e ip.checksum.status -e udp.checksum.status -e coap.code", {});
  EXPECT_EQ(lines, "1 1 1\n1 1 69\n");
}

TEST(Pcap, MissingLocalSideFallsBackToTheServerAddress) {
  auto run = sample_run();
  auto c = run.cases[0];
  for (auto& e : c.trace) e.local.clear();
  auto pcap = case_pcap(run, c);
  EXPECT_EQ(pcap.ports, (std::set<std::uint16_t>{kDevicePort, kShownCoapPort}));
  c.trace[0].peer = "device.local:5683";  // a host name cannot be framed
  c.trace[1].channel = "repository-http";
  pcap = case_pcap(run, c);
  EXPECT_EQ(pcap.file.packets(), 0u);
  EXPECT_EQ(pcap.skipped, 2u);
}

}  // namespace
}  // namespace fc::reports
