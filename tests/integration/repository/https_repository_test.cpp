// The repository over https:// against httplib's SSLClient on loopback: the same handler as
// http (whole, Range, impairments, counters) behind the repository's own certificate, and a
// client that refuses a repository whose certificate its CA did not sign.
#include <httplib.h>

#include "tests/integration/repository/http_get.h"
#include "tests/integration/repository/repository_fixture.h"

namespace fc::repository::testing {
namespace {

const std::string kPki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";


// A client trusting only fixtures/pki/ca.crt.pem, verifying the server's certificate (chain
// and host) unless `verify` is false.
HttpGot https_get(std::uint16_t port, const std::string& target, httplib::Headers headers = {},
                   bool verify = true) {
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path((kPki + "ca.crt.pem").c_str());
  client.enable_server_certificate_verification(verify);
  HttpGot got = http_get(client, target, headers);
  got.verify_result = client.get_openssl_verify_result();
  return got;
}

RepositoryConfig https_config(const std::string& name = "repository") {
  RepositoryConfig config;
  config.https_certificate = kPki + name + ".crt.pem";
  config.https_private_key = kPki + name + ".key.pem";
  return config;
}

class HttpsRepositoryTest : public ::testing::Test {
 protected:
  coap::EventLoop own_loop;
  coap::Trace own_trace;
  FirmwareRepository secure{own_loop, own_trace, https_config()};
  const Bytes content = pattern(40'000);

  void TearDown() override {
    if (HasFailure()) std::cerr << "trace:\n" << own_trace.render(0, 120);
  }
};

TEST_F(HttpsRepositoryTest, GetServesTheWholePackageVerifiedAgainstTheTestCa) {
  auto published = secure.publish("/fw/a.bin", content);
  ASSERT_NE(secure.https_port(), 0);
  EXPECT_NE(secure.https_port(), secure.http_port());
  EXPECT_EQ(published.uris.at("https"), "https://127.0.0.1:" + std::to_string(secure.https_port()) + "/fw/a.bin");
  EXPECT_EQ(secure.uri("/fw/a.bin", "https"), published.uris.at("https"));
  auto got = https_get(secure.https_port(), "/fw/a.bin");
  ASSERT_EQ(got.error, httplib::Error::Success) << httplib::to_string(got.error);
  EXPECT_EQ(got.verify_result, X509_V_OK);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(got.header("Content-Length"), "40000");
  EXPECT_EQ(got.header("ETag"), "\"" + to_hex(published.etag) + "\"");
  auto c = secure.counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 1u);
  EXPECT_EQ(c.bytes, 40'000u);
  EXPECT_EQ(c.completed, 1u);
  ASSERT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.transfers[0].transport, Transport::Http);
  std::size_t https_notes = 0;
  for (const auto& e : own_trace.entries())
    if (e.channel == "repository-https" &&
        e.note.find("GET /fw/a.bin → 200, Content-Length 40000, 40000 B sent") != std::string::npos)
      ++https_notes;
  EXPECT_EQ(https_notes, 1u);
}

TEST_F(HttpsRepositoryTest, RangeResumesOverTls) {
  auto published = secure.publish("/fw/a.bin", content);
  auto got = https_get(secure.https_port(), "/fw/a.bin",
                       {{"Range", "bytes=30000-"}, {"If-Match", "\"" + to_hex(published.etag) + "\""}});
  ASSERT_EQ(got.error, httplib::Error::Success) << httplib::to_string(got.error);
  EXPECT_EQ(got.status, 206);
  EXPECT_EQ(got.header("Content-Range"), "bytes 30000-39999/40000");
  EXPECT_EQ(got.body, slice(content, 30'000));
  auto closed = https_get(secure.https_port(), "/fw/a.bin", {{"Range", "bytes=100-199"}});
  EXPECT_EQ(closed.status, 206);
  EXPECT_EQ(closed.body, slice(content, 100, 100));
  auto c = secure.counters("/fw/a.bin");
  EXPECT_EQ(c.resumes, 2u);
  EXPECT_EQ(c.bytes, 10'100u);
  EXPECT_EQ(c.completed, 1u);
}

TEST_F(HttpsRepositoryTest, HttpAndHttpsServeTheSamePackageWithTheSameCounters) {
  secure.publish("/fw/a.bin", content);
  httplib::Client plain("127.0.0.1", secure.http_port());
  plain.set_connection_timeout(2, 0);
  plain.set_read_timeout(3, 0);
  auto over_http = plain.Get("/fw/a.bin");
  ASSERT_TRUE(over_http);
  EXPECT_EQ(over_http->status, 200);
  EXPECT_EQ(Bytes(over_http->body.begin(), over_http->body.end()), content);
  EXPECT_EQ(https_get(secure.https_port(), "/fw/a.bin").body, content);
  auto c = secure.counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 2u);
  EXPECT_EQ(c.completed, 2u);
  EXPECT_EQ(c.restarts, 1u);
  EXPECT_EQ(c.bytes, 80'000u);
}

TEST_F(HttpsRepositoryTest, HttpImpairmentsActOverHttpsToo) {
  secure.publish("/fw/a.bin", content, "http-close-after:1000");
  auto got = https_get(secure.https_port(), "/fw/a.bin");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.header("Content-Length"), "40000");
  EXPECT_EQ(got.body, slice(content, 0, 1000));
  EXPECT_NE(got.error, httplib::Error::Success);
  EXPECT_EQ(secure.counters("/fw/a.bin").bytes, 1000u);
}

TEST(HttpsRepositoryTrust, ClientTrustingTheTestCaRefusesTheRogueRepositoryCertificate) {
  coap::EventLoop loop;
  coap::Trace trace;
  FirmwareRepository rogue(loop, trace, https_config("rogue-repository"));
  auto content = pattern(3000);
  rogue.publish("/fw/a.bin", content);

  auto refused = https_get(rogue.https_port(), "/fw/a.bin");
  EXPECT_EQ(refused.error, httplib::Error::SSLServerVerification) << httplib::to_string(refused.error);
  // The chain ends at rogue-ca, which the client does not trust: its own check said no.
  EXPECT_EQ(refused.verify_result, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(refused.status, 0);
  EXPECT_TRUE(refused.body.empty());
  EXPECT_EQ(rogue.counters("/fw/a.bin").requests, 0u);

  // The same client without the check gets the package: the server and its TLS are sound.
  auto unchecked = https_get(rogue.https_port(), "/fw/a.bin", {}, /*verify=*/false);
  ASSERT_EQ(unchecked.error, httplib::Error::Success) << httplib::to_string(unchecked.error);
  EXPECT_EQ(unchecked.status, 200);
  EXPECT_EQ(unchecked.body, content);
  EXPECT_EQ(rogue.counters("/fw/a.bin").requests, 1u);
}

TEST(HttpsRepositoryConfig, CertificateWithoutKeyOrUnreadableFilesAreRefusedByName) {
  coap::EventLoop loop;
  coap::Trace trace;
  RepositoryConfig half;
  half.https_certificate = kPki + "repository.crt.pem";
  try {
    FirmwareRepository repository(loop, trace, half);
    ADD_FAILURE() << "a certificate without a key was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "https needs both a certificate and a private key; only the certificate '" +
                                         kPki + "repository.crt.pem' is set");
  }

  auto missing = https_config();
  missing.https_private_key = kPki + "no-such.key.pem";
  try {
    FirmwareRepository repository(loop, trace, missing);
    ADD_FAILURE() << "a missing key file was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "HTTPS repository: cannot read the private key '" + kPki + "no-such.key.pem'");
  }

  auto mismatched = https_config();
  mismatched.https_private_key = kPki + "server.key.pem";
  try {
    FirmwareRepository repository(loop, trace, mismatched);
    ADD_FAILURE() << "a key that is not the certificate's was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("OpenSSL refused the certificate '" + kPki + "repository.crt.pem'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(RepositoryTest, HttpsIsNotServedWithoutACertificate) {
  auto published = repository.publish("/fw/a.bin", pattern(10));
  EXPECT_EQ(repository.https_port(), 0);
  EXPECT_EQ(published.uris.count("https"), 0u);
  try {
    repository.uri("/fw/a.bin", "https");
    ADD_FAILURE() << "an https URI without https";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "the repository serves no https:// endpoint: no https_certificate/https_private_key configured");
  }
}

}  // namespace
}  // namespace fc::repository::testing
