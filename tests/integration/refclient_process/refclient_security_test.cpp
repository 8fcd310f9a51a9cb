// The real fotacheck-refclient over DTLS, TLS and TCP, and its firmware pulls over HTTPS:
// registration with a PSK read from the environment (never logged), X.509 with and without a
// CA, pinned raw public keys (a wrong pin refuses the handshake), CoAP over TCP, and https pulls
// that reach Downloaded only when the repository's certificate chains to --fw-ca.
#include <gtest/gtest.h>
#include <httplib.h>

#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "suite/package/reference_package.h"
#include "tests/integration/refclient_process/child_process.h"
#include "tests/integration/refclient_process/mini_lwm2m_server.h"

namespace fc::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kPki = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/";
constexpr const char* kPskHex = "00112233445566778899aabbccddeeff";
constexpr const char* kEndpoint = "refclient-sec";

// An HTTPS firmware repository serving one package at /fw/pkg.bin with the fixture
// certificate `name` (repository: signed by the test CA; rogue-repository: by rogue-ca).
class HttpsRepository {
 public:
  HttpsRepository(const std::string& name, Bytes package)
      : package_(std::move(package)), server_((kPki + name + ".crt.pem").c_str(), (kPki + name + ".key.pem").c_str()) {
    if (!server_.is_valid()) throw std::runtime_error("cannot load the " + name + " certificate");
    server_.Get("/fw/pkg.bin", [this](const httplib::Request&, httplib::Response& response) {
      ++requests_;
      response.set_content(std::string(package_.begin(), package_.end()), "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind the HTTPS repository");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HttpsRepository() {
    server_.stop();
    thread_.join();
  }
  HttpsRepository(const HttpsRepository&) = delete;
  HttpsRepository& operator=(const HttpsRepository&) = delete;

  std::string uri() const { return "https://127.0.0.1:" + std::to_string(port_) + "/fw/pkg.bin"; }
  int requests() const { return requests_.load(); }

 private:
  Bytes package_;
  httplib::SSLServer server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

Bytes reference_package(const std::string& version) {
  package::Header header;
  header.version = version;
  const auto key =
      package::SigningKey::load_pem_file(std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/keys/package-signing.key.pem");
  return package::build(header, Bytes(2000, 0x3C), key);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

class RefclientSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch = fresh_scratch_dir("refclient_security");
  }

  void start_server(MiniLwm2mServer::Security security = {}) { server.emplace(0, std::move(security)); }

  void start_client(const std::vector<std::string>& extra) {
    client.emplace(REFCLIENT_BINARY, refclient_arguments(server->uri(), kEndpoint, scratch, extra),
                   scratch / "refclient.log");
  }

  bool registered(std::size_t count = 1) {
    return server->pump_until([&] { return server->registers.size() >= count; }, 5000ms);
  }

  std::string log() const { return client ? client->stderr_text() : std::string(); }

  MiniLwm2mServer::Response get(const std::string& path) {
    MiniLwm2mServer::Request request;
    request.path = path;
    const auto response = server->send(request, 3000ms);
    EXPECT_TRUE(response.has_value()) << "no answer to GET " << path << "\n" << log();
    return response.value_or(MiniLwm2mServer::Response{});
  }

  MiniLwm2mServer::Response write_text(const std::string& path, const std::string& text) {
    MiniLwm2mServer::Request request;
    request.method = COAP_REQUEST_CODE_PUT;
    request.path = path;
    request.content_format = 0;
    request.payload = text;
    const auto response = server->send(request, 3000ms);
    EXPECT_TRUE(response.has_value()) << "no answer to PUT " << path << "\n" << log();
    return response.value_or(MiniLwm2mServer::Response{});
  }

  // Reads `path` every 100 ms until it equals `expected` or `budget` runs out.
  bool await_value(const std::string& path, const std::string& expected, Duration budget) {
    const Deadline deadline(budget);
    while (!deadline.passed()) {
      if (get(path).payload == expected) return true;
      server->pump_for(100ms);
    }
    return false;
  }

  std::optional<int> stop() {
    client->signal(SIGTERM);
    server->pump_until([&] { return !client->running(); }, 3000ms);
    return client->poll_exit();
  }

  static MiniLwm2mServer::Security psk_server(const std::string& key_hex) {
    MiniLwm2mServer::Security security;
    security.proto = COAP_PROTO_DTLS;
    security.psk_identity = kEndpoint;
    security.psk_key = from_hex(key_hex);
    return security;
  }

  static MiniLwm2mServer::Security rpk_server() {
    MiniLwm2mServer::Security security;
    security.proto = COAP_PROTO_DTLS;
    security.rpk_private_key_file = kPki + "server-rpk.key.pem";
    return security;
  }

  static MiniLwm2mServer::Security x509_server(coap_proto_t proto) {
    MiniLwm2mServer::Security security;
    security.proto = proto;
    security.certificate_file = kPki + "server.crt.pem";
    security.private_key_file = kPki + "server.key.pem";
    security.ca_file = kPki + "ca.crt.pem";
    return security;
  }

  fs::path scratch;
  std::optional<MiniLwm2mServer> server;
  std::optional<ChildProcess> client;
};

TEST_F(RefclientSecurityTest, RegistersOverDtlsWithAPskFromTheEnvironmentAndNeverLogsIt) {
  ASSERT_EQ(setenv("FOTACHECK_TEST_SERVER_PSK", kPskHex, 1), 0);
  start_server(psk_server(kPskHex));
  start_client({"--psk-identity", kEndpoint, "--psk-key-env", "FOTACHECK_TEST_SERVER_PSK"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(server->psk_identities, (std::vector<std::string>{kEndpoint}));
  EXPECT_EQ(server->registers.front().queries[0], "ep=refclient-sec");
  const auto version = get("/3/0/3");
  EXPECT_EQ(version.code, 205);
  EXPECT_EQ(version.payload, "1.0.0");
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server->deregisters, 1) << log();
  EXPECT_NE(log().find("PSK identity \"refclient-sec\" key <redacted>"), std::string::npos) << log();
  EXPECT_EQ(log().find(kPskHex), std::string::npos) << log();
}

TEST_F(RefclientSecurityTest, WrongPskNeverRegisters) {
  start_server(psk_server(kPskHex));
  start_client({"--psk-identity", kEndpoint, "--psk-key", "ffeeddccbbaa99887766554433221100"});
  server->pump_for(2500ms);
  EXPECT_TRUE(server->registers.empty()) << log();
  ASSERT_FALSE(server->psk_identities.empty()) << log();
  EXPECT_EQ(server->psk_identities.front(), kEndpoint);
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientSecurityTest, RegistersOverTlsWithX509AndNotifiesOverTcp) {
  start_server(x509_server(COAP_PROTO_TLS));
  start_client({"--certificate", kPki + "device.crt.pem", "--private-key", kPki + "device.key.pem", "--ca",
                kPki + "ca.crt.pem", "--lifetime", "60"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(server->client_names, (std::vector<std::string>{"fotacheck-device"})) << log();
  EXPECT_NE(log().find("server presented certificate localhost (verified against"), std::string::npos) << log();

  MiniLwm2mServer::Request observe;
  observe.path = "/1/0/1";
  observe.observe = 0;
  Bytes token;
  const auto first = server->send(observe, 3000ms, &token);
  ASSERT_TRUE(first.has_value()) << log();
  EXPECT_EQ(first->payload, "60");
  EXPECT_EQ(write_text("/1/0/1", "45").code, 204);
  ASSERT_TRUE(server->pump_until([&] { return server->responses_for(token).size() >= 2; }, 3000ms)) << log();
  EXPECT_EQ(server->responses_for(token)[1].payload, "45");
  ASSERT_TRUE(server->pump_until([&] { return !server->updates.empty(); }, 3000ms)) << log();
  EXPECT_EQ(server->updates.front(), (std::vector<std::string>{"lt=45"}));
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server->deregisters, 1) << log();
}

TEST_F(RefclientSecurityTest, X509WithoutCaRegistersAndSaysOnceThatTheServerIsNotChecked) {
  start_server(x509_server(COAP_PROTO_DTLS));
  start_client({"--certificate", kPki + "device.crt.pem", "--private-key", kPki + "device.key.pem"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(get("/5/0/3").payload, "0");
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(count_of(log(), "the server's certificate is not checked"), 1u) << log();
}

TEST_F(RefclientSecurityTest, RegistersWithARawPublicKeyWhenTheServerKeyMatchesThePin) {
  start_server(rpk_server());
  start_client({"--rpk-private-key", kPki + "device-rpk.key.pem", "--server-public-key", kPki + "server-rpk.pub.pem"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(server->client_names, (std::vector<std::string>{"RPK"}));
  EXPECT_NE(log().find("matches the pinned key"), std::string::npos) << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientSecurityTest, AnotherServerKeyThanThePinRefusesTheHandshake) {
  start_server(rpk_server());
  start_client({"--rpk-private-key", kPki + "device-rpk.key.pem", "--server-public-key", kPki + "other-rpk.pub.pem"});
  server->pump_for(2500ms);
  EXPECT_TRUE(server->registers.empty()) << log();
  EXPECT_NE(log().find("is not the pinned key"), std::string::npos) << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

// The server goes away and comes back on the same port: the closed TLS connection is noticed at
// once, and the client registers again over a new connection with a new handshake.
TEST_F(RefclientSecurityTest, RegistersAgainOverANewTlsConnectionAfterTheServerRestarts) {
  auto security = psk_server(kPskHex);
  security.proto = COAP_PROTO_TLS;
  start_server(security);
  start_client({"--psk-identity", kEndpoint, "--psk-key", kPskHex});
  ASSERT_TRUE(registered()) << log();
  const auto port = server->port();
  server.reset();
  std::this_thread::sleep_for(500ms);
  server.emplace(port, security);
  ASSERT_TRUE(server->pump_until([&] { return !server->registers.empty(); }, 8000ms)) << log();
  EXPECT_EQ(server->psk_identities, (std::vector<std::string>{kEndpoint}));
  EXPECT_NE(log().find("session with coaps+tcp://127.0.0.1:" + std::to_string(port) + " lost"), std::string::npos)
      << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server->deregisters, 1) << log();
}

TEST_F(RefclientSecurityTest, RegistersOverPlainTcp) {
  MiniLwm2mServer::Security tcp;
  tcp.proto = COAP_PROTO_TCP;
  start_server(tcp);
  start_client({});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(get("/3/0/0").payload, "fotacheck");
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server->deregisters, 1) << log();
}

TEST_F(RefclientSecurityTest, ProtocolSupportListsEveryClaimedProtocol) {
  start_server();
  start_client({"--protocols", "coap,coaps,http,https,coap+tcp,coaps+tcp"});
  ASSERT_TRUE(registered()) << log();
  for (int instance = 0; instance < 6; ++instance) {
    EXPECT_EQ(get("/5/0/8/" + std::to_string(instance)).payload, std::to_string(instance));
  }
  EXPECT_EQ(get("/5/0/8/6").code, 404);
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientSecurityTest, HttpsPullFromARepositoryTheCaVouchesForReachesDownloaded) {
  start_server();
  HttpsRepository repository("repository", reference_package("2.0.0"));
  start_client({"--protocols", "coap,https", "--fw-ca", kPki + "ca.crt.pem"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(write_text("/5/0/1", repository.uri()).code, 204);
  ASSERT_TRUE(await_value("/5/0/3", "2", 8000ms)) << log();
  EXPECT_EQ(get("/5/0/5").payload, "0");
  EXPECT_EQ(get("/5/0/7").payload, "2.0.0");
  EXPECT_EQ(repository.requests(), 1);
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientSecurityTest, HttpsPullFromARogueRepositoryFailsWithResult4) {
  start_server();
  HttpsRepository repository("rogue-repository", reference_package("2.0.0"));
  start_client({"--protocols", "coap,https", "--fw-ca", kPki + "ca.crt.pem"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(write_text("/5/0/1", repository.uri()).code, 204);
  ASSERT_TRUE(await_value("/5/0/5", "4", 8000ms)) << log();
  EXPECT_EQ(get("/5/0/3").payload, "0");
  EXPECT_EQ(repository.requests(), 0);
  EXPECT_NE(log().find("the secure connection to the repository could not be established"), std::string::npos) << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientSecurityTest, HttpsPullWithoutFwCaDoesNotTrustTheTestCa) {
  start_server();
  HttpsRepository repository("repository", reference_package("2.0.0"));
  start_client({"--protocols", "coap,https"});
  ASSERT_TRUE(registered()) << log();
  EXPECT_EQ(write_text("/5/0/1", repository.uri()).code, 204);
  ASSERT_TRUE(await_value("/5/0/5", "4", 8000ms)) << log();
  EXPECT_EQ(get("/5/0/3").payload, "0");
  EXPECT_EQ(repository.requests(), 0);
  EXPECT_NE(log().find("the system trust store (no --fw-ca)"), std::string::npos) << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

}  // namespace
}  // namespace fc::testing
