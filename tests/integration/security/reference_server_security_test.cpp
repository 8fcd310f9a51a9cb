// The reference LwM2M server over DTLS: a device registers with PSK, and one with an identity
// the server does not know is refused and not registered.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

#include "suite/lwm2m/path.h"
#include "suite/server/reference_server.h"
#include "tests/support/test_credentials.h"

namespace fc {
namespace {

using fc::testing::psk_credentials;

using namespace fc::coap;
using fc::server::ReferenceServer;
using fc::server::ServerConfig;

ServerConfig dtls_psk_config() {
  ServerConfig c;
  c.ack_timeout_s = 1.0;
  c.max_retransmit = 1;
  c.operation_timeout = Duration(3000);
  c.transport = Transport::Dtls;
  c.credentials = psk_credentials("dev-1", "0123456789abcdef");
  return c;
}

// A device that speaks DTLS (or TLS): its own context, one session to the server.
struct DtlsDevice {
  EventLoop& loop;
  CoapContext context;
  coap_session_t* session;
  DtlsDevice(EventLoop& l, Trace& trace, const BoundAddress& server, const Credentials& credentials,
             Transport transport = Transport::Dtls)
      : loop(l), context(l, "device", trace),
        session(context.connect(server.host, server.port, transport, credentials)) {}

  Outcome register_now(const std::string& endpoint) {
    OutgoingRequest r;
    r.method = code::Post;
    r.uri_path = {"rd"};
    r.uri_query = {"ep=" + endpoint, "lt=60", "lwm2m=1.1", "b=U"};
    r.content_format = 40;
    r.payload = to_bytes("</1/0>,</3/0>,</5>;ver=1.0,</5/0>");
    std::optional<Outcome> got;
    context.send(session, r, [&got](const Outcome& o) { got = o; });
    if (!loop.await([&] { return got.has_value(); }, Deadline(Duration(5000)))) {
      Outcome none;
      none.kind = Outcome::Kind::Timeout;
      none.error = "test device: no answer within 5 s";
      return none;
    }
    return *got;
  }
};

TEST(ReferenceServerSecurity, DeviceRegistersOverDtlsPskAndIsReadBack) {
  EventLoop loop;
  Trace trace;
  ReferenceServer server{loop, trace, dtls_psk_config()};
  EXPECT_EQ(server.uri(), "coaps://127.0.0.1:" + std::to_string(server.address().port));
  DtlsDevice device{loop, trace, server.address(), psk_credentials("dev-1", "0123456789abcdef")};
  device.context.on_request([](const IncomingRequest& in) {
    if (in.message.path() != "/3/0/0") return Reply::with(code::NotFound);
    Reply r = Reply::text(code::Content, "fotacheck");
    r.content_format = 0;
    return r;
  });

  Outcome registered = device.register_now("dev-1");
  ASSERT_EQ(registered.kind, Outcome::Kind::Response) << registered.error << "\n" << trace.render();
  EXPECT_EQ(registered.response.code, code::Created);
  ASSERT_NE(server.registry().find_by_endpoint("dev-1"), nullptr);

  auto read = server.device("dev-1").read(lwm2m::Path{3, 0, 0});
  ASSERT_TRUE(read.ok()) << read.describe();
  EXPECT_EQ(to_string(read.payload), "fotacheck");

  ASSERT_EQ(server.handshakes().size(), 1u);
  EXPECT_TRUE(server.handshakes()[0].established);
  EXPECT_EQ(server.handshakes()[0].presented, "dev-1");
  EXPECT_EQ(server.handshakes()[0].peer, CoapContext::local_of(device.session));
}

TEST(ReferenceServerSecurity, UnknownIdentityIsRefusedAndNotRegistered) {
  EventLoop loop;
  Trace trace;
  ReferenceServer server{loop, trace, dtls_psk_config()};
  DtlsDevice device{loop, trace, server.address(), psk_credentials("dev-2", "0123456789abcdef")};

  Outcome outcome = device.register_now("dev-2");
  ASSERT_EQ(outcome.kind, Outcome::Kind::Failed) << outcome.error;
  EXPECT_EQ(outcome.error.rfind("DTLS handshake with " + server.address().authority() + " failed: ", 0), 0u)
      << outcome.error;
  EXPECT_EQ(server.registry().find_by_endpoint("dev-2"), nullptr);
  ASSERT_EQ(server.handshakes().size(), 1u);
  EXPECT_FALSE(server.handshakes()[0].established);
  EXPECT_EQ(server.handshakes()[0].reason, "unknown PSK identity \"dev-2\" (expected \"dev-1\")");
}

TEST(ReferenceServerSecurity, DeviceRegistersOverTlsWithItsCertificate) {
  EventLoop loop;
  Trace trace;
  auto pki = [](const std::string& name) { return std::string(FOTACHECK_SOURCE_DIR "/fixtures/pki/") + name; };
  ServerConfig config = dtls_psk_config();
  config.transport = Transport::Tls;
  config.credentials = Credentials{};
  config.credentials.mode = SecurityMode::X509;
  config.credentials.certificate = pki("server.crt.pem");
  config.credentials.private_key = pki("server.key.pem");
  config.credentials.ca = pki("ca.crt.pem");
  ReferenceServer server{loop, trace, config};
  EXPECT_EQ(server.uri(), "coaps+tcp://127.0.0.1:" + std::to_string(server.address().port));

  Credentials device_credentials = config.credentials;
  device_credentials.certificate = pki("device.crt.pem");
  device_credentials.private_key = pki("device.key.pem");
  DtlsDevice device{loop, trace, server.address(), device_credentials, Transport::Tls};
  device.context.on_request([](const IncomingRequest&) { return Reply::text(code::Content, "over TLS"); });

  Outcome registered = device.register_now("dev-tls");
  ASSERT_EQ(registered.kind, Outcome::Kind::Response) << registered.error << "\n" << trace.render();
  EXPECT_EQ(registered.response.code, code::Created);
  auto read = server.device("dev-tls").read(lwm2m::Path{3, 0, 0});
  ASSERT_TRUE(read.ok()) << read.describe();
  EXPECT_EQ(to_string(read.payload), "over TLS");
  ASSERT_EQ(server.handshakes().size(), 1u);
  EXPECT_TRUE(server.handshakes()[0].established);
  EXPECT_EQ(server.handshakes()[0].transport, Transport::Tls);
  EXPECT_EQ(server.handshakes()[0].presented, "fotacheck-device");
}

TEST(ReferenceServerSecurity, TransportAndCredentialsMustMatch) {
  EventLoop loop;
  Trace trace;
  ServerConfig secure_without_keys;
  secure_without_keys.transport = Transport::Dtls;
  try {
    ReferenceServer server{loop, trace, secure_without_keys};
    FAIL() << "a DTLS server without credentials was built";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "server config: transport coaps needs credentials (PSK, RPK or X.509), but the mode is NoSec");
  }
  ServerConfig keys_without_security;
  keys_without_security.credentials = psk_credentials("dev-1", "0123456789abcdef");
  try {
    ReferenceServer server{loop, trace, keys_without_security};
    FAIL() << "a UDP server with PSK credentials was built";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "server config: PSK credentials need a secure transport (coaps or coaps+tcp), but the transport is coap");
  }
}

}  // namespace
}  // namespace fc
