// The repository's CoAP side on every transport: coaps:// (PSK, X.509), coap+tcp:// and
// coaps+tcp:// (RFC 8323) fetched end to end by the suite's downloader, the same handler,
// counters and content impairments on each; the URIs each scheme gets, and the refusals.
#include "tests/integration/repository/repository_fixture.h"
#include "tests/support/test_credentials.h"

namespace fc::repository::testing {
namespace {

using fc::testing::psk_credentials;

namespace code = coap::code;
using coap::Transport;

const std::string kPki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";

// `name`.crt.pem and `name`.key.pem, trusting the test CA.
coap::Credentials x509(const std::string& name) {
  coap::Credentials c;
  c.mode = coap::SecurityMode::X509;
  c.certificate = kPki + name + ".crt.pem";
  c.private_key = kPki + name + ".key.pem";
  c.ca = kPki + "ca.crt.pem";
  return c;
}

FetchOptions bounded() {
  FetchOptions o;
  o.budget = Duration(10'000);
  return o;
}

class CoapTransportTest : public ::testing::Test {
 protected:
  coap::EventLoop loop;
  coap::Trace trace;
  const Bytes content = pattern(5000);

  std::unique_ptr<FirmwareRepository> repository_with(coap::Credentials coaps, bool tcp = true) {
    RepositoryConfig config;
    config.coaps = std::move(coaps);
    config.tcp = tcp;
    return std::make_unique<FirmwareRepository>(loop, trace, config);
  }

  // Fetches the package's URI for `scheme`, presenting `client`; checks the bytes and counters
  // of one clean download of `content` in five 1024-byte blocks.
  void expect_clean_download(FirmwareRepository& repository, const std::string& scheme, coap::Credentials client) {
    auto published = repository.publish("/fw/a.bin", content);
    ASSERT_EQ(published.uris.count(scheme), 1u) << scheme;
    auto transport = *coap::transport_of_scheme(scheme);
    EXPECT_EQ(published.uris.at(scheme),
              scheme + "://127.0.0.1:" + std::to_string(repository.address(transport)->port) + "/fw/a.bin");
    CoapFetcher fetcher(loop, trace, "device", std::move(client));
    auto got = fetcher.fetch(published.uris.at(scheme), bounded());
    ASSERT_TRUE(got.complete()) << to_string(got.end) << ": " << got.error;
    EXPECT_EQ(got.body, content);
    EXPECT_EQ(got.blocks.size(), 5u);
    EXPECT_EQ(got.etag, published.etag);
    EXPECT_EQ(got.size2, 5000u);
    auto c = repository.counters("/fw/a.bin");
    EXPECT_EQ(c.requests, 5u);
    EXPECT_EQ(c.blocks, 5u);
    EXPECT_EQ(c.bytes, 5000u);
    EXPECT_EQ(c.errors, 0u);
    EXPECT_EQ(c.completed, 1u);
    ASSERT_EQ(c.transfers.size(), 1u);
    EXPECT_EQ(c.transfers[0].transport, repository::Transport::Coap);
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << "trace:\n" << trace.render(0, 120);
  }
};

TEST_F(CoapTransportTest, CoapsWithPskIsByteExactAndCounted) {
  auto repository = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"));
  expect_clean_download(*repository, "coaps", psk_credentials("fotacheck-device", "0123456789abcdef"));
  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_TRUE(handshakes[0].established) << handshakes[0].reason;
  EXPECT_EQ(handshakes[0].transport, Transport::Dtls);
  EXPECT_EQ(handshakes[0].presented, "fotacheck-device");
  EXPECT_EQ(handshakes[0].reason, "");
}

TEST_F(CoapTransportTest, CoapsWithX509IsByteExactAndCounted) {
  auto repository = repository_with(x509("repository"));
  expect_clean_download(*repository, "coaps", x509("device"));
  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_TRUE(handshakes[0].established) << handshakes[0].reason;
  EXPECT_EQ(handshakes[0].transport, Transport::Dtls);
  EXPECT_EQ(handshakes[0].presented, "fotacheck-device");  // the device certificate's CN
}

TEST_F(CoapTransportTest, CoapOverTcpIsByteExactAndCounted) {
  auto repository = repository_with({});
  ASSERT_TRUE(repository->address(Transport::Tcp).has_value());
  expect_clean_download(*repository, "coap+tcp", {});
  EXPECT_TRUE(repository->coap_handshakes().empty());
}

TEST_F(CoapTransportTest, ADownloaderKeepsItsTcpConnectionAcrossFetches) {
  auto repository = repository_with({});
  auto published = repository->publish("/fw/a.bin", content);
  CoapFetcher fetcher(loop, trace, "device");
  ASSERT_TRUE(fetcher.fetch(published.uris.at("coap+tcp"), bounded()).complete());
  auto again = fetcher.fetch(published.uris.at("coap+tcp"), bounded());
  ASSERT_TRUE(again.complete()) << again.error;
  EXPECT_EQ(again.body, content);
  auto c = repository->counters("/fw/a.bin");
  EXPECT_EQ(c.distinct_clients, 1u);  // one connection, so one client address
  EXPECT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(c.restarts, 1u);
  EXPECT_EQ(c.completed, 2u);
}

TEST_F(CoapTransportTest, CoapsOverTcpWithX509IsByteExactAndCounted) {
  auto repository = repository_with(x509("repository"));
  ASSERT_TRUE(repository->address(Transport::Tls).has_value());
  expect_clean_download(*repository, "coaps+tcp", x509("device"));
  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_TRUE(handshakes[0].established) << handshakes[0].reason;
  EXPECT_EQ(handshakes[0].transport, Transport::Tls);
  EXPECT_EQ(handshakes[0].presented, "fotacheck-device");
}

TEST_F(CoapTransportTest, UnknownPskIdentityFailsTheFetchAtOnceAndTheHandshakeReportSaysWhy) {
  auto repository = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"));
  auto published = repository->publish("/fw/a.bin", content);
  CoapFetcher fetcher(loop, trace, "device", psk_credentials("someone-else", "0123456789abcdef"));
  auto got = fetcher.fetch(published.uris.at("coaps"), bounded());
  EXPECT_EQ(got.end, FetchResult::End::TransportFailed) << to_string(got.end) << ": " << got.error;
  EXPECT_EQ(got.error.rfind("DTLS handshake with 127.0.0.1:", 0), 0u) << got.error;
  EXPECT_TRUE(got.body.empty());
  EXPECT_EQ(repository->counters("/fw/a.bin").requests, 0u);

  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_FALSE(handshakes[0].established);
  EXPECT_EQ(handshakes[0].transport, Transport::Dtls);
  EXPECT_EQ(handshakes[0].presented, "someone-else");
  EXPECT_EQ(handshakes[0].reason, "unknown PSK identity \"someone-else\" (expected \"fotacheck-device\")");
}

// A DTLS server drops a Finished it cannot verify without an alert, so the device only finds out
// when its own handshake timer runs out (about 6 s in libcoap 4.3.1); this downloader gives up on
// the block after 1 s, and the repository's report tells the case why.
TEST_F(CoapTransportTest, WrongPskKeyFailsTheFetchAndTheHandshakeReportSaysWhy) {
  auto repository = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"));
  auto published = repository->publish("/fw/a.bin", content);
  CoapFetcher fetcher(loop, trace, "device", psk_credentials("fotacheck-device", "not-the-real-key"));
  auto options = bounded();
  options.block_timeout = Duration(1000);
  auto got = fetcher.fetch(published.uris.at("coaps"), options);
  EXPECT_EQ(got.end, FetchResult::End::DeadLink) << to_string(got.end) << ": " << got.error;
  EXPECT_EQ(got.error, "no answer for block 0 within 1000 ms");
  EXPECT_TRUE(got.body.empty());
  EXPECT_EQ(repository->counters("/fw/a.bin").requests, 0u);

  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_FALSE(handshakes[0].established);
  EXPECT_EQ(handshakes[0].presented, "fotacheck-device");
  EXPECT_EQ(handshakes[0].reason,
            "PSK key mismatch for identity \"fotacheck-device\" (the handshake's Finished check failed)");
}

// Under TLS 1.3 the client is done before the server has checked its certificate, so the device
// sees only the connection close; the repository's report names the untrusted issuer.
TEST_F(CoapTransportTest, RogueDeviceCertificateIsRefusedOverTls) {
  auto repository = repository_with(x509("repository"));
  auto published = repository->publish("/fw/a.bin", content);
  CoapFetcher fetcher(loop, trace, "device", x509("rogue-device"));
  auto got = fetcher.fetch(published.uris.at("coaps+tcp"), bounded());
  EXPECT_EQ(got.end, FetchResult::End::TransportFailed) << to_string(got.end) << ": " << got.error;
  EXPECT_EQ(got.error, "the coaps+tcp session to 127.0.0.1:" + std::to_string(repository->address(Transport::Tls)->port) +
                           " closed before it was established (connection refused, or the TLS handshake failed)");
  EXPECT_EQ(repository->counters("/fw/a.bin").requests, 0u);
  loop.await([&] { return !repository->coap_handshakes().empty(); }, Deadline(Duration(2000)));
  const auto& handshakes = repository->coap_handshakes();
  ASSERT_EQ(handshakes.size(), 1u);
  EXPECT_FALSE(handshakes[0].established);
  EXPECT_EQ(handshakes[0].transport, Transport::Tls);
  EXPECT_EQ(handshakes[0].presented, "fotacheck-device");
  EXPECT_EQ(handshakes[0].reason, "certificate CN=fotacheck-device is not signed by the configured CA (ca.crt.pem); "
                                  "its issuer is \"CN=rogue CA,O=nobody you trust\"");
}

TEST_F(CoapTransportTest, ContentImpairmentsActOnEveryCoapTransport) {
  auto repository = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"));
  auto published = repository->publish("/fw/a.bin", content, "error-at-block:2,code=5.03");
  ASSERT_EQ(published.uris.size(), 5u);  // coap, coaps, coap+tcp, coaps+tcp, http
  std::size_t fetches = 0;
  for (const auto& scheme : {"coap", "coaps", "coap+tcp", "coaps+tcp"}) {
    CoapFetcher fetcher(loop, trace, std::string("device-") + scheme, psk_credentials("fotacheck-device", "0123456789abcdef"));
    auto got = fetcher.fetch(published.uris.at(scheme), bounded());
    ++fetches;
    EXPECT_EQ(got.end, FetchResult::End::ErrorCode) << scheme << ": " << got.error;
    EXPECT_EQ(got.last_code, code::ServiceUnavailable) << scheme;
    EXPECT_EQ(got.body, slice(content, 0, 2048)) << scheme;
  }
  auto c = repository->counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 3 * fetches);
  EXPECT_EQ(c.blocks, 2 * fetches);
  EXPECT_EQ(c.errors, fetches);
  EXPECT_EQ(c.distinct_clients, fetches);
}

TEST_F(CoapTransportTest, WireImpairmentsHaveOnlyACoapUri) {
  auto repository = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"));
  auto published = repository->publish("/fw/a.bin", content, "drop-after-block:1;error-at-block:3,code=5.03");
  std::vector<std::string> schemes;
  for (const auto& [scheme, uri] : published.uris) schemes.push_back(scheme);
  EXPECT_EQ(schemes, (std::vector<std::string>{"coap", "http"}));
  EXPECT_EQ(published.uris.at("coap"),
            "coap://127.0.0.1:" + std::to_string(repository->relay("/fw/a.bin")->address().port) + "/fw/a.bin");
  for (const std::string scheme : {"coaps", "coap+tcp", "coaps+tcp"}) {
    try {
      repository->uri("/fw/a.bin", scheme);
      ADD_FAILURE() << scheme << " URI for a package with wire impairments";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "'/fw/a.bin' has wire impairments (drop-after-block:1) that only coap:// "
                                       "carries (through its UDP relay); no " + scheme + ":// URI for it");
    }
  }
}

TEST_F(CoapTransportTest, EveryServedSchemeHasItsUriAndPort) {
  RepositoryConfig config;
  config.coaps = psk_credentials("fotacheck-device", "0123456789abcdef");
  config.https_certificate = kPki + "repository.crt.pem";
  config.https_private_key = kPki + "repository.key.pem";
  FirmwareRepository repository(loop, trace, config);
  EXPECT_EQ(repository.schemes(),
            (std::vector<std::string>{"coap", "coaps", "coap+tcp", "coaps+tcp", "http", "https"}));
  auto published = repository.publish("/fw/a.bin?token=7", content);
  auto at = [&](Transport t) { return std::to_string(repository.address(t)->port); };
  EXPECT_EQ(published.uris, (std::map<std::string, std::string>{
                                {"coap", "coap://127.0.0.1:" + at(Transport::Udp) + "/fw/a.bin?token=7"},
                                {"coaps", "coaps://127.0.0.1:" + at(Transport::Dtls) + "/fw/a.bin?token=7"},
                                {"coap+tcp", "coap+tcp://127.0.0.1:" + at(Transport::Tcp) + "/fw/a.bin?token=7"},
                                {"coaps+tcp", "coaps+tcp://127.0.0.1:" + at(Transport::Tls) + "/fw/a.bin?token=7"},
                                {"http", "http://127.0.0.1:" + std::to_string(repository.http_port()) +
                                             "/fw/a.bin?token=7"},
                                {"https", "https://127.0.0.1:" + std::to_string(repository.https_port()) +
                                              "/fw/a.bin?token=7"},
                            }));
  EXPECT_EQ(published.coap_uri, published.uris.at("coap"));
  EXPECT_EQ(published.http_uri, published.uris.at("http"));
  EXPECT_EQ(repository.address(Transport::Udp)->port, repository.coap_address().port);
}

TEST_F(CoapTransportTest, UnservedSchemesAreRefusedNamingTheSchemeAndWhy) {
  auto plain = repository_with({});
  plain->publish("/fw/a.bin", content);
  auto refusal = [](FirmwareRepository& repository, std::string_view scheme) {
    try {
      repository.uri("/fw/a.bin", scheme);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  EXPECT_FALSE(plain->address(Transport::Dtls).has_value());
  EXPECT_EQ(refusal(*plain, "coaps"), "the repository serves no coaps:// endpoint: no coaps credentials are configured");
  EXPECT_EQ(refusal(*plain, "coaps+tcp"),
            "the repository serves no coaps+tcp:// endpoint: no coaps credentials are configured");
  EXPECT_EQ(refusal(*plain, "ftp"), "unknown scheme 'ftp' (coap, coaps, coap+tcp, coaps+tcp, http, https)");

  auto udp_only = repository_with(psk_credentials("fotacheck-device", "0123456789abcdef"), /*tcp=*/false);
  udp_only->publish("/fw/a.bin", content);
  EXPECT_FALSE(udp_only->address(Transport::Tcp).has_value());
  EXPECT_EQ(refusal(*udp_only, "coap+tcp"), "the repository serves no coap+tcp:// endpoint: tcp is off");
  EXPECT_EQ(refusal(*udp_only, "coaps+tcp"), "the repository serves no coaps+tcp:// endpoint: tcp is off");
  EXPECT_EQ(udp_only->uri("/fw/a.bin", "coaps").substr(0, 8), "coaps://");
  EXPECT_EQ(udp_only->schemes(), (std::vector<std::string>{"coap", "coaps", "http"}));
}

TEST(CoapUriParse, EveryCoapSchemeWithItsDefaultPort) {
  auto tls = CoapUri::parse("coaps+tcp://[::1]/fw/a.bin?x=1");
  EXPECT_EQ(tls.transport, Transport::Tls);
  EXPECT_EQ(tls.host, "::1");
  EXPECT_EQ(tls.port, 5684);
  EXPECT_EQ(tls.path, (std::vector<std::string>{"fw", "a.bin"}));
  EXPECT_EQ(tls.query, (std::vector<std::string>{"x=1"}));
  EXPECT_EQ(CoapUri::parse("coaps://h/a").port, 5684);
  EXPECT_EQ(CoapUri::parse("coap+tcp://h/a").transport, Transport::Tcp);
  EXPECT_EQ(CoapUri::parse("coap+tcp://h/a").port, 5683);
  EXPECT_EQ(CoapUri::parse("coap://h:7/a").port, 7);
  try {
    CoapUri::parse("https://h/a");
    ADD_FAILURE() << "https parsed as CoAP";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "CoAP URI 'https://h/a': scheme 'https' is not coap, coaps, coap+tcp or coaps+tcp");
  }
}

}  // namespace
}  // namespace fc::repository::testing
