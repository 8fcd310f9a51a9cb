// CoAP over UDP, DTLS, TCP and TLS between two libcoap contexts on loopback: what each secure
// handshake reports, and the exact reason when one side refuses the other's credentials.
#include <coap3/coap.h>
#include <gtest/gtest.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include <optional>
#include <stdexcept>

#include "suite/coap/context.h"
#include "tests/support/test_credentials.h"

namespace fc {
namespace {

using fc::testing::psk_credentials;

using namespace fc::coap;

std::string pki(const std::string& name) { return std::string(FOTACHECK_SOURCE_DIR "/fixtures/pki/") + name; }

// "sha256:" and the first 8 bytes of the SPKI's SHA-256, computed here with Mbed TLS so the
// test does not trust the code under test to hash.
std::string spki_prefix(const std::string& pub_pem) {
  mbedtls_pk_context pk;
  mbedtls_pk_init(&pk);
  if (mbedtls_pk_parse_public_keyfile(&pk, pki(pub_pem).c_str()) != 0) throw std::runtime_error("bad " + pub_pem);
  unsigned char der[256];
  int n = mbedtls_pk_write_pubkey_der(&pk, der, sizeof der);  // written at the end of the buffer
  mbedtls_pk_free(&pk);
  unsigned char digest[32];
  mbedtls_sha256_ret(der + sizeof der - n, static_cast<size_t>(n), digest, 0);
  return "sha256:" + to_hex(ByteView(digest, 8));
}

Credentials rpk(const std::string& own, const std::string& trusted) {
  Credentials c;
  c.mode = SecurityMode::Rpk;
  c.rpk_private_key = pki(own + ".key.pem");
  if (!trusted.empty()) c.trusted_public_key = pki(trusted + ".pub.pem");
  return c;
}

Credentials x509(const std::string& own, const std::string& ca) {
  Credentials c;
  c.mode = SecurityMode::X509;
  c.certificate = pki(own + ".crt.pem");
  c.private_key = pki(own + ".key.pem");
  if (!ca.empty()) c.ca = pki(ca + ".crt.pem");
  return c;
}

const std::string server_key = "0123456789abcdef";  // 16 bytes

class SecurityTest : public ::testing::Test {
 protected:
  EventLoop loop;
  Trace trace;
  CoapContext server{loop, "server", trace};
  CoapContext client{loop, "client", trace};
  coap_session_t* session = nullptr;

  BoundAddress serve(Transport transport, std::optional<Credentials> credentials = std::nullopt) {
    if (credentials) server.accept_secure(*credentials);
    server.on_request([](const IncomingRequest& in) {
      return in.message.path() == "/hello" ? Reply::text(code::Content, "hi") : Reply::with(code::NotFound);
    });
    return server.listen("127.0.0.1", 0, transport);
  }

  Outcome get(Duration timeout = Duration(5000)) {
    OutgoingRequest r;
    r.uri_path = {"hello"};
    std::optional<Outcome> got;
    client.send(session, r, [&got](const Outcome& o) { got = o; });
    if (!loop.await([&] { return got.has_value(); }, Deadline(timeout))) {
      Outcome none;
      none.kind = Outcome::Kind::Timeout;
      none.error = "test: no outcome within the deadline";
      return none;
    }
    return *got;
  }

  bool await_reports(std::size_t n) {
    return loop.await([&] { return server.handshakes().size() >= n; }, Deadline(Duration(5000)));
  }

  // Serves, connects, GETs /hello and expects 2.05 with one established handshake report.
  void expect_exchange(Transport transport, std::optional<Credentials> server_side, const Credentials& client_side,
                       const std::string& presented) {
    BoundAddress at = serve(transport, server_side);
    session = client.connect(at.host, at.port, transport, client_side);
    Outcome outcome = get();
    ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error << "\n" << trace.render();
    EXPECT_EQ(outcome.response.code, code::Content);
    EXPECT_EQ(to_string(outcome.response.payload), "hi");
    if (!server_side) {
      EXPECT_TRUE(server.handshakes().empty());
      return;
    }
    ASSERT_EQ(server.handshakes().size(), 1u) << trace.render();
    const HandshakeReport& report = server.handshakes()[0];
    EXPECT_TRUE(report.established) << report.reason;
    EXPECT_EQ(report.transport, transport);
    EXPECT_EQ(report.presented, presented);
    EXPECT_EQ(report.reason, "");
    EXPECT_EQ(report.peer, CoapContext::local_of(session));
  }

  // Serves, connects, GETs and expects the server to refuse with exactly `reason`.
  void expect_refusal(Transport transport, const Credentials& server_side, const Credentials& client_side,
                      const std::string& presented, const std::string& reason) {
    BoundAddress at = serve(transport, server_side);
    session = client.connect(at.host, at.port, transport, client_side);
    OutgoingRequest r;
    r.uri_path = {"hello"};
    std::optional<Outcome> got;
    client.send(session, r, [&got](const Outcome& o) { got = o; });
    ASSERT_TRUE(await_reports(1)) << trace.render();
    const HandshakeReport& report = server.handshakes()[0];
    EXPECT_FALSE(report.established);
    EXPECT_EQ(report.transport, transport);
    EXPECT_EQ(report.presented, presented);
    EXPECT_EQ(report.reason, reason);
    EXPECT_EQ(report.peer, CoapContext::local_of(session));
    EXPECT_NE(trace.render().find("handshake from " + report.peer + " failed: " + reason), std::string::npos)
        << trace.render();
    if (got) {
      EXPECT_NE(got->kind, Outcome::Kind::Response);
    }
  }
};

TEST_F(SecurityTest, SchemesMapBothWays) {
  EXPECT_EQ(scheme_of(Transport::Udp), "coap");
  EXPECT_EQ(scheme_of(Transport::Dtls), "coaps");
  EXPECT_EQ(scheme_of(Transport::Tcp), "coap+tcp");
  EXPECT_EQ(scheme_of(Transport::Tls), "coaps+tcp");
  EXPECT_EQ(transport_of_scheme("coaps+tcp"), Transport::Tls);
  EXPECT_EQ(transport_of_scheme("http"), std::nullopt);
  EXPECT_TRUE(transport_supported(Transport::Dtls));
  EXPECT_TRUE(transport_supported(Transport::Tls));
  EXPECT_TRUE(transport_supported(Transport::Tcp));
  EXPECT_EQ(redacted_key(to_bytes(server_key)), "<redacted 16-byte key>");
}

TEST_F(SecurityTest, UdpGetIsAnswered) { expect_exchange(Transport::Udp, std::nullopt, {}, ""); }

TEST_F(SecurityTest, TcpGetIsAnswered) { expect_exchange(Transport::Tcp, std::nullopt, {}, ""); }

TEST_F(SecurityTest, DtlsPskIsEstablishedWithTheIdentity) {
  expect_exchange(Transport::Dtls, psk_credentials("dev-1", server_key), psk_credentials("dev-1", server_key), "dev-1");
}

TEST_F(SecurityTest, DtlsRpkIsEstablishedWithTheDeviceKey) {
  expect_exchange(Transport::Dtls, rpk("server-rpk", "device-rpk"), rpk("device-rpk", "server-rpk"),
                  "raw public key " + spki_prefix("device-rpk.pub.pem"));
}

TEST_F(SecurityTest, DtlsX509IsEstablishedWithTheClientCn) {
  expect_exchange(Transport::Dtls, x509("server", "ca"), x509("device", "ca"), "fotacheck-device");
}

TEST_F(SecurityTest, TlsX509IsEstablishedWithTheClientCn) {
  expect_exchange(Transport::Tls, x509("server", "ca"), x509("device", "ca"), "fotacheck-device");
}

TEST_F(SecurityTest, TlsPskIsEstablishedWithTheIdentity) {
  expect_exchange(Transport::Tls, psk_credentials("dev-1", server_key), psk_credentials("dev-1", server_key), "dev-1");
}

TEST_F(SecurityTest, TlsRpkIsEstablishedWithTheDeviceKey) {
  expect_exchange(Transport::Tls, rpk("server-rpk", "device-rpk"), rpk("device-rpk", "server-rpk"),
                  "raw public key " + spki_prefix("device-rpk.pub.pem"));
}

TEST_F(SecurityTest, DtlsOverIpv6ReportsTheBracketedPeer) {
  server.accept_secure(psk_credentials("dev-1", server_key));
  server.on_request([](const IncomingRequest&) { return Reply::text(code::Content, "hi"); });
  BoundAddress at = server.listen("::1", 0, Transport::Dtls);
  EXPECT_EQ(at.authority(), "[::1]:" + std::to_string(at.port));
  session = client.connect("::1", at.port, Transport::Dtls, psk_credentials("dev-1", server_key));
  EXPECT_EQ(CoapContext::peer_of(session), at.authority());
  Outcome outcome = get();
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
  ASSERT_EQ(server.handshakes().size(), 1u);
  EXPECT_EQ(server.handshakes()[0].peer, CoapContext::local_of(session));
  EXPECT_EQ(server.handshakes()[0].peer.rfind("[::1]:", 0), 0u) << server.handshakes()[0].peer;
}

TEST_F(SecurityTest, OneContextCannotBeSecureServerAndSecureClient) {
  serve(Transport::Dtls, psk_credentials("dev-1", server_key));
  EXPECT_THROW(server.connect("127.0.0.1", 5684, Transport::Dtls, psk_credentials("dev-1", server_key)), std::logic_error);
  client.connect("127.0.0.1", 5684, Transport::Dtls, psk_credentials("dev-1", server_key));
  EXPECT_THROW(client.accept_secure(psk_credentials("dev-1", server_key)), std::logic_error);
}

TEST_F(SecurityTest, UnknownPskIdentityIsRefusedNamingBoth) {
  expect_refusal(Transport::Dtls, psk_credentials("dev-1", server_key), psk_credentials("intruder", server_key), "intruder",
                 "unknown PSK identity \"intruder\" (expected \"dev-1\")");
}

TEST_F(SecurityTest, WrongPskKeyIsRefusedAsKeyMismatch) {
  expect_refusal(Transport::Dtls, psk_credentials("dev-1", server_key), psk_credentials("dev-1", "fedcba9876543210"), "dev-1",
                 "PSK key mismatch for identity \"dev-1\" (the handshake's Finished check failed)");
}

TEST_F(SecurityTest, TlsWrongPskKeyIsRefusedAsKeyMismatch) {
  expect_refusal(Transport::Tls, psk_credentials("dev-1", server_key), psk_credentials("dev-1", "fedcba9876543210"), "dev-1",
                 "PSK key mismatch for identity \"dev-1\" (the handshake's Finished check failed)");
}

TEST_F(SecurityTest, UnpinnedRawPublicKeyIsRefused) {
  expect_refusal(Transport::Dtls, rpk("server-rpk", "device-rpk"), rpk("other-rpk", "server-rpk"),
                 "raw public key " + spki_prefix("other-rpk.pub.pem"),
                 "raw public key " + spki_prefix("other-rpk.pub.pem") + " is not the pinned device key " +
                     spki_prefix("device-rpk.pub.pem"));
}

TEST_F(SecurityTest, ClientCertificateFromAnotherCaIsRefusedNamingItsCn) {
  expect_refusal(Transport::Dtls, x509("server", "ca"), x509("rogue-device", "ca"), "fotacheck-device",
                 "certificate CN=fotacheck-device is not signed by the configured CA (ca.crt.pem); "
                 "its issuer is \"CN=rogue CA,O=nobody you trust\"");
}

TEST_F(SecurityTest, TlsClientCertificateFromAnotherCaIsRefusedNamingItsCn) {
  expect_refusal(Transport::Tls, x509("server", "ca"), x509("rogue-device", "ca"), "fotacheck-device",
                 "certificate CN=fotacheck-device is not signed by the configured CA (ca.crt.pem); "
                 "its issuer is \"CN=rogue CA,O=nobody you trust\"");
}

TEST_F(SecurityTest, ClientWithoutCertificateIsRefused) {
  Credentials no_certificate;
  no_certificate.mode = SecurityMode::X509;
  no_certificate.ca = pki("ca.crt.pem");
  expect_refusal(Transport::Dtls, x509("server", "ca"), no_certificate, "", "the client presented no certificate");
}

TEST_F(SecurityTest, TlsClientWithoutCertificateIsRefused) {
  Credentials no_certificate;
  no_certificate.mode = SecurityMode::X509;
  no_certificate.ca = pki("ca.crt.pem");
  expect_refusal(Transport::Tls, x509("server", "ca"), no_certificate, "", "the client presented no certificate");
}

TEST_F(SecurityTest, ClientPinningAnotherServerKeyFailsItsRequestsWithTheReason) {
  BoundAddress at = serve(Transport::Dtls, rpk("server-rpk", "device-rpk"));
  session = client.connect(at.host, at.port, Transport::Dtls, rpk("device-rpk", "other-rpk"));
  Outcome outcome = get();
  ASSERT_EQ(outcome.kind, Outcome::Kind::Failed) << outcome.error;
  EXPECT_EQ(outcome.error, "DTLS handshake with " + at.authority() + " failed: raw public key " +
                               spki_prefix("server-rpk.pub.pem") + " is not the pinned server key " +
                               spki_prefix("other-rpk.pub.pem"));
}

TEST_F(SecurityTest, ClientWithCaRefusesARogueServerCertificate) {
  Credentials rogue_server = x509("rogue-repository", "ca");
  BoundAddress at = serve(Transport::Dtls, rogue_server);
  session = client.connect(at.host, at.port, Transport::Dtls, x509("device", "ca"));
  Outcome outcome = get();
  ASSERT_EQ(outcome.kind, Outcome::Kind::Failed) << outcome.error;
  EXPECT_EQ(outcome.error, "DTLS handshake with " + at.authority() +
                               " failed: server certificate CN=localhost is not signed by the configured CA "
                               "(ca.crt.pem); its issuer is \"CN=rogue CA,O=nobody you trust\"");
}

TEST_F(SecurityTest, NoKeyBytesReachTheTrace) {
  expect_exchange(Transport::Dtls, psk_credentials("dev-1", server_key), psk_credentials("dev-1", server_key), "dev-1");
  CoapContext wrong{loop, "wrong", trace};
  BoundAddress at{"127.0.0.1", 0};
  std::string server_at = CoapContext::peer_of(session);
  at.port = static_cast<std::uint16_t>(std::stoi(server_at.substr(server_at.rfind(':') + 1)));
  coap_session_t* wrong_session = wrong.connect(at.host, at.port, Transport::Dtls, psk_credentials("dev-1", "fedcba9876543210"));
  OutgoingRequest r;
  r.uri_path = {"hello"};
  wrong.send(wrong_session, r, [](const Outcome&) {});
  ASSERT_TRUE(await_reports(2)) << trace.render();
  EXPECT_FALSE(server.handshakes()[1].established);

  std::string text = trace.render();
  EXPECT_NE(text.find("DTLS handshake from " + server.handshakes()[0].peer + " established (PSK, client presented dev-1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("PSK key mismatch for identity \"dev-1\""), std::string::npos) << text;
  for (const std::string& key : {server_key, std::string("fedcba9876543210")}) {
    EXPECT_EQ(text.find(key), std::string::npos) << text;
    EXPECT_EQ(text.find(to_hex(to_bytes(key))), std::string::npos) << text;
  }
}

// A SecureServerSetup that no loop drives cannot inspect sessions early: libcoap's own checks
// decide, a raw key is still judged by name, an untrusted certificate only as "not accepted".
class UnarmedSetupTest : public SecurityTest {
 protected:
  std::optional<SecureServerSetup> setup;
  BoundAddress serve_unarmed(const Credentials& credentials) {
    setup.emplace(server.raw(), credentials, trace, "unarmed");
    server.on_request([](const IncomingRequest&) { return Reply::text(code::Content, "hi"); });
    coap_address_t addr;
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.size = sizeof addr.addr.sin;
    coap_endpoint_t* ep = coap_new_endpoint(server.raw(), &addr, COAP_PROTO_DTLS);
    if (!ep) throw std::runtime_error("test: no DTLS endpoint");
    std::string text = coap_endpoint_str(ep);  // "127.0.0.1:40001 DTLS"
    return BoundAddress{"127.0.0.1", static_cast<std::uint16_t>(std::stoi(text.substr(text.find(':') + 1)))};
  }
  bool await_unarmed_report() {
    return loop.await([&] { return !setup->handshakes().empty(); }, Deadline(Duration(5000)));
  }
};

TEST_F(UnarmedSetupTest, RawKeyIsStillJudgedByLibcoapsCallback) {
  BoundAddress at = serve_unarmed(rpk("server-rpk", "device-rpk"));
  session = client.connect(at.host, at.port, Transport::Dtls, rpk("other-rpk", "server-rpk"));
  get(Duration(2000));
  ASSERT_TRUE(await_unarmed_report()) << trace.render();
  EXPECT_FALSE(setup->handshakes()[0].established);
  EXPECT_EQ(setup->handshakes()[0].reason, "raw public key " + spki_prefix("other-rpk.pub.pem") +
                                               " is not the pinned device key " + spki_prefix("device-rpk.pub.pem"));
}

TEST_F(UnarmedSetupTest, UntrustedCertificateIsRefusedWithoutItsName) {
  BoundAddress at = serve_unarmed(x509("server", "ca"));
  session = client.connect(at.host, at.port, Transport::Dtls, x509("rogue-device", "ca"));
  get(Duration(2000));
  ASSERT_TRUE(await_unarmed_report()) << trace.render();
  EXPECT_FALSE(setup->handshakes()[0].established);
  EXPECT_EQ(setup->handshakes()[0].reason,
            "the handshake ended before the client's certificate was accepted (none presented, or refused by "
            "libcoap's own checks)");
}

TEST_F(UnarmedSetupTest, GoodCertificateIsEstablished) {
  BoundAddress at = serve_unarmed(x509("server", "ca"));
  session = client.connect(at.host, at.port, Transport::Dtls, x509("device", "ca"));
  Outcome outcome = get();
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
  ASSERT_EQ(setup->handshakes().size(), 1u);
  EXPECT_TRUE(setup->handshakes()[0].established);
  EXPECT_EQ(setup->handshakes()[0].presented, "fotacheck-device");
}

TEST_F(SecurityTest, SecureListenWithoutCredentialsSaysSo) {
  try {
    server.listen("127.0.0.1", 0, Transport::Dtls);
    FAIL() << "listen without credentials succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot listen on 127.0.0.1:0 (coaps): no server credentials (call accept_secure first)");
  }
}

TEST_F(SecurityTest, SecureConnectWithoutCredentialsSaysSo) {
  try {
    client.connect("127.0.0.1", 5684, Transport::Dtls);
    FAIL() << "connect without credentials succeeded";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot connect to 127.0.0.1:5684 (coaps) with NoSec credentials: a secure transport needs PSK, "
              "RPK or X.509 credentials");
  }
}

TEST_F(SecurityTest, MissingCertificateFileIsNamed) {
  Credentials c = x509("server", "ca");
  c.certificate = pki("absent.crt.pem");
  try {
    server.accept_secure(c);
    FAIL() << "accept_secure with a missing file succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.crt.pem"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fc
