// A Register larger than libcoap accepts in one datagram and sent without Block1 (RFC 7959):
// libcoap answers RST before the server sees a request, so the server must still be able to
// say what arrived (the run's diagnosis quotes it instead of "no registration request at all").
#include <gtest/gtest.h>

#include "suite/coap/runtime.h"
#include "suite/server/reference_server.h"
#include "suite/server/rejected_traffic.h"
#include "tests/integration/malformed_peer/raw_peer.h"

namespace fc {
namespace {

using fc::testing::RawPeer;
using fc::testing::decode_datagram;
using fc::testing::encode_datagram;
using fc::testing::register_options;

TEST(OversizedRegister, LibcoapsRejectionIsWhatTheServerSaw) {
  coap::EventLoop loop;
  coap::Trace trace;
  server::ServerConfig config;
  config.ack_timeout_s = 1.0;
  config.max_retransmit = 1;
  config.accepted_lwm2m_versions = {"1.0", "1.1"};
  server::ReferenceServer server(loop, trace, config);
  RawPeer peer(loop, server.address());
  coap::record_libcoap_warnings(&trace, "lwm2m");
  EXPECT_TRUE(server::libcoap_rejections(trace).empty());
  EXPECT_EQ(server::describe_rejected_traffic(trace), "");

  std::string links = "</1/0>";
  while (links.size() < 1300) links += ",</3442/" + std::to_string(links.size()) + ">";
  // libcoap lets a first datagram from a new address pass unanswered now and then: send again.
  for (int attempt = 0; attempt < 3 && peer.received().empty(); ++attempt) {
    peer.send(encode_datagram(0, 0x02, static_cast<std::uint16_t>(0x3300 + attempt), Bytes{0x33},
                              register_options({"ep=big-register", "lt=60", "lwm2m=1.1"}), to_bytes(links)));
    peer.await_received(1, Duration(1000));
  }
  coap::record_libcoap_warnings(nullptr, {});
  ASSERT_FALSE(peer.received().empty()) << "libcoap sent nothing back";
  auto answer = decode_datagram(peer.received()[0]);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->type, 3);  // RST: the request never reached the server
  EXPECT_TRUE(server.registry().events().empty());
  // libcoap 4.3.1 says this once per datagram it refused (the retries included).
  const auto rejected = server::libcoap_rejections(trace);
  ASSERT_FALSE(rejected.empty());
  EXPECT_TRUE(rejected[0].starts_with("coap_pdu_resize: pdu too big")) << rejected[0];
  const std::string text = server::describe_rejected_traffic(trace);
  EXPECT_TRUE(text.starts_with("The server received no request it could read; libcoap rejected what arrived:\n"
                               "  coap_pdu_resize: pdu too big"))
      << text;
  EXPECT_NE(text.find("\n  discard malformed PDU"), std::string::npos) << text;
  EXPECT_NE(text.find("\nA message larger than libcoap takes in one datagram (1152 bytes) must be sent with Block1 "
                      "(RFC 7959 §2.3), as a long Register must."),
            std::string::npos)
      << text;
}

// The same warning twice is one line with a count.
TEST(OversizedRegister, RepeatedWarningsAreCounted) {
  coap::Trace trace;
  trace.note("lwm2m", "libcoap: discard malformed PDU");
  trace.note("lwm2m", "libcoap: discard malformed PDU");
  trace.note("lwm2m", "registered dev-1");  // not libcoap's
  EXPECT_EQ(server::libcoap_rejections(trace), (std::vector<std::string>{"discard malformed PDU (2 times)"}));
  EXPECT_EQ(server::describe_rejected_traffic(trace),
            "The server received no request it could read; libcoap rejected what arrived:\n  discard malformed PDU "
            "(2 times)");
}

}  // namespace
}  // namespace fc
