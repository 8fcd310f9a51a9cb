// The real fotacheck-refclient process against a minimal server on loopback: registration
// contents, a Read on the client's session, Observe of a written resource, re-registration
// after a 4.04 Update, restart on Reboot, de-registration on SIGTERM, and exit status 2.
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <thread>

#include "suite/package/reference_package.h"
#include "tests/integration/refclient_process/child_process.h"
#include "tests/integration/refclient_process/mini_lwm2m_server.h"

namespace fc::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class RefclientProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch = fresh_scratch_dir("refclient_process");
  }

  std::vector<std::string> arguments(std::vector<std::string> extra = {}) const {
    return refclient_arguments(server().uri(), "refclient-it", scratch, extra);
  }

  void start(std::vector<std::string> extra = {}) {
    client.emplace(REFCLIENT_BINARY, arguments(std::move(extra)), scratch / "refclient.log");
  }

  // Waits for the n-th Register (1-based), pumping the server().
  bool registered(std::size_t count) {
    return server().pump_until([&] { return server().registers.size() >= count; }, 5000ms);
  }

  std::string log() const { return client ? client->stderr_text() : std::string(); }
  MiniLwm2mServer& server() { return *live_server; }
  const MiniLwm2mServer& server() const { return *live_server; }

  MiniLwm2mServer::Response get(const std::string& path, std::optional<std::uint32_t> accept = std::nullopt) {
    MiniLwm2mServer::Request request;
    request.path = path;
    request.accept = accept;
    const auto response = server().send(request, 3000ms);
    EXPECT_TRUE(response.has_value()) << "no answer to GET " << path << "\n" << log();
    return response.value_or(MiniLwm2mServer::Response{});
  }

  // SIGTERM, then the exit status within 3 s (the server keeps answering meanwhile).
  std::optional<int> stop() {
    client->signal(SIGTERM);
    server().pump_until([&] { return !client->running(); }, 3000ms);
    return client->poll_exit();
  }

  fs::path scratch;
  std::optional<MiniLwm2mServer> live_server{std::in_place};
  std::optional<ChildProcess> client;
};

TEST_F(RefclientProcessTest, RegistersAnswersAReadAndDeregistersOnSigterm) {
  start({"--lifetime", "60"});
  ASSERT_TRUE(registered(1)) << log();
  const auto& reg = server().registers.front();
  EXPECT_EQ(reg.queries, (std::vector<std::string>{"ep=refclient-it", "lt=60", "lwm2m=1.1", "b=U"}));
  EXPECT_EQ(reg.content_format, std::optional<std::uint32_t>(40));
  EXPECT_EQ(reg.payload, "</>;rt=\"oma.lwm2m\";ct=\"110 112 11542 11543\",</1/0>,</3/0>,</4/0>,</5/0>");

  const auto version = get("/3/0/3");
  EXPECT_EQ(version.code, 205);
  EXPECT_EQ(version.content_format, std::optional<std::uint32_t>(0));
  EXPECT_EQ(version.payload, "1.0.0");
  EXPECT_EQ(get("/3/0/99").code, 404);
  EXPECT_EQ(get("/5/0/0").code, 405);

  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server().deregisters, 1) << log();
}

TEST_F(RefclientProcessTest, ServesReadDiscoverWriteAttributesAndDeleteOnTheRealObjects) {
  start();
  ASSERT_TRUE(registered(1)) << log();
  const auto instance = get("/5/0");
  EXPECT_EQ(instance.code, 205);
  EXPECT_EQ(instance.content_format, std::optional<std::uint32_t>(11542));
  EXPECT_EQ(get("/5/0/3").payload, "0");
  EXPECT_EQ(get("/5/0/3", 60).code, 406);
  EXPECT_EQ(get("/5/0", 110).content_format, std::optional<std::uint32_t>(110));
  EXPECT_EQ(get("/4/0/4/0").payload, "127.0.0.1");

  MiniLwm2mServer::Request attributes;
  attributes.method = COAP_REQUEST_CODE_PUT;
  attributes.path = "/5/0";
  attributes.queries = {"pmin=2", "pmax=10"};
  const auto written = server().send(attributes, 3000ms);
  ASSERT_TRUE(written.has_value()) << log();
  EXPECT_EQ(written->code, 204);
  const auto discover = get("/5/0", 40);
  EXPECT_EQ(discover.code, 205);
  EXPECT_EQ(discover.content_format, std::optional<std::uint32_t>(40));
  EXPECT_EQ(discover.payload.rfind("</5/0>;pmin=2;pmax=10,</5/0/0>,</5/0/1>,</5/0/2>,</5/0/3>,", 0), 0u)
      << discover.payload;

  MiniLwm2mServer::Request remove;
  remove.method = COAP_REQUEST_CODE_DELETE;
  remove.path = "/3/0";
  EXPECT_EQ(server().send(remove, 3000ms).value_or(MiniLwm2mServer::Response{}).code, 405);
  remove.path = "/6/0";
  EXPECT_EQ(server().send(remove, 3000ms).value_or(MiniLwm2mServer::Response{}).code, 404);
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, LwM2M12WithObject11AnnouncesVersionedFirmwareObject) {
  start({"--lwm2m", "1.2"});
  ASSERT_TRUE(registered(1)) << log();
  EXPECT_EQ(server().registers.front().queries[2], "lwm2m=1.2");
  EXPECT_EQ(server().registers.front().payload,
            "</>;rt=\"oma.lwm2m\";ct=\"110 112 11542 11543 11544\",</1/0>,</3/0>,</4/0>,</5>;ver=1.1,</5/0>");
  EXPECT_EQ(get("/5/0", 11544).content_format, std::optional<std::uint32_t>(11544));
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, FormatsOptionLimitsWhatIsAdvertisedAndAnswered) {
  start({"--formats", "tlv"});
  ASSERT_TRUE(registered(1)) << log();
  EXPECT_EQ(server().registers.front().payload, "</>;rt=\"oma.lwm2m\";ct=11542,</1/0>,</3/0>,</4/0>,</5/0>");
  EXPECT_EQ(get("/5/0", 110).code, 406);
  EXPECT_EQ(get("/5/0", 11542).content_format, std::optional<std::uint32_t>(11542));
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, ObservedLifetimeWriteIsNotifiedAndSentInAnUpdate) {
  start({"--lifetime", "60"});
  ASSERT_TRUE(registered(1)) << log();

  MiniLwm2mServer::Request observe;
  observe.path = "/1/0/1";
  observe.observe = 0;
  Bytes token;
  const auto first = server().send(observe, 3000ms, &token);
  ASSERT_TRUE(first.has_value()) << log();
  EXPECT_EQ(first->code, 205);
  EXPECT_EQ(first->payload, "60");
  EXPECT_TRUE(first->observe.has_value());

  MiniLwm2mServer::Request write;
  write.method = COAP_REQUEST_CODE_PUT;
  write.path = "/1/0/1";
  write.content_format = 0;
  write.payload = "45";
  const auto written = server().send(write, 3000ms);
  ASSERT_TRUE(written.has_value()) << log();
  EXPECT_EQ(written->code, 204);

  ASSERT_TRUE(server().pump_until([&] { return server().responses_for(token).size() >= 2; }, 3000ms)) << log();
  EXPECT_EQ(server().responses_for(token)[1].payload, "45");
  ASSERT_TRUE(server().pump_until([&] { return !server().updates.empty(); }, 3000ms)) << log();
  EXPECT_EQ(server().updates.front(), (std::vector<std::string>{"lt=45"}));
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, UpdateAnsweredNotFoundLeadsToANewRegister) {
  server().update_answer = 404;
  start({"--lifetime", "2"});
  ASSERT_TRUE(registered(1)) << log();
  ASSERT_TRUE(registered(2)) << log();
  EXPECT_EQ(server().updates.size(), 1u);
  EXPECT_EQ(server().registers[1].queries[1], "lt=2");
  server().update_answer = 204;
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, RegistersAgainWhenTheServerComesBackAfterARestart) {
  start({"--lifetime", "2"});
  ASSERT_TRUE(registered(1)) << log();
  const auto port = server().port();
  live_server.reset();  // the server is gone: Updates fail, Registers are retried with backoff
  std::this_thread::sleep_for(1500ms);
  live_server.emplace(port);
  ASSERT_TRUE(registered(1)) << log();
  EXPECT_EQ(server().registers.front().queries[0], "ep=refclient-it");
  EXPECT_NE(log().find("Update failed"), std::string::npos) << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server().deregisters, 1);
}

TEST_F(RefclientProcessTest, RebootRestartsTheProcessWhichRegistersAgain) {
  start();
  ASSERT_TRUE(registered(1)) << log();
  MiniLwm2mServer::Request reboot;
  reboot.method = COAP_REQUEST_CODE_POST;
  reboot.path = "/3/0/4";
  const auto answer = server().send(reboot, 3000ms);
  ASSERT_TRUE(answer.has_value()) << log();
  EXPECT_EQ(answer->code, 204);
  ASSERT_TRUE(registered(2)) << log();
  EXPECT_TRUE(client->running());  // the same process, re-executed
  EXPECT_EQ(get("/3/0/0").payload, "fotacheck");
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
  EXPECT_EQ(server().deregisters, 1);
}

TEST_F(RefclientProcessTest, PushedPackageIsNotifiedStateByStateAndInstalledByUpdate) {
  start();
  ASSERT_TRUE(registered(1)) << log();

  MiniLwm2mServer::Request observe;
  observe.path = "/5/0/3";
  observe.observe = 0;
  Bytes token;
  const auto first = server().send(observe, 3000ms, &token);
  ASSERT_TRUE(first.has_value()) << log();
  EXPECT_EQ(first->payload, "0");

  package::Header header;
  header.version = "2.0.0";
  const Bytes image(700, 0x5A);
  const auto key = package::SigningKey::load_pem_file(std::string(FOTACHECK_SOURCE_DIR) +
                                                      "/fixtures/keys/package-signing.key.pem");
  const auto image_package = package::build(header, image, key);
  constexpr std::size_t kBlock = 256;  // SZX 4
  const std::size_t blocks = (image_package.size() + kBlock - 1) / kBlock;
  for (std::size_t num = 0; num < blocks; ++num) {
    const bool more = num + 1 < blocks;
    MiniLwm2mServer::Request block;
    block.method = COAP_REQUEST_CODE_PUT;
    block.path = "/5/0/0";
    block.content_format = 42;
    block.block1 = static_cast<std::uint32_t>((num << 4) | (more ? 0x8u : 0u) | 4u);
    if (num == 0) block.size1 = static_cast<std::uint32_t>(image_package.size());
    const auto end = std::min(image_package.size(), (num + 1) * kBlock);
    block.payload.assign(image_package.begin() + static_cast<std::ptrdiff_t>(num * kBlock),
                         image_package.begin() + static_cast<std::ptrdiff_t>(end));
    const auto answer = server().send(block, 3000ms);
    ASSERT_TRUE(answer.has_value()) << "block " << num << "\n" << log();
    EXPECT_EQ(answer->code, more ? 231 : 204) << "block " << num << "\n" << log();
    EXPECT_EQ(answer->block1, block.block1) << "block " << num;
  }

  auto states = [&] {
    std::vector<std::string> seen;
    for (const auto& response : server().responses_for(token)) seen.push_back(response.payload);
    return seen;
  };
  ASSERT_TRUE(server().pump_until([&] { return states().size() >= 3; }, 3000ms)) << log();
  EXPECT_EQ(states(), (std::vector<std::string>{"0", "1", "2"})) << log();

  MiniLwm2mServer::Request update;
  update.method = COAP_REQUEST_CODE_POST;
  update.path = "/5/0/2";
  const auto executed = server().send(update, 3000ms);
  ASSERT_TRUE(executed.has_value()) << log();
  EXPECT_EQ(executed->code, 204) << log();
  ASSERT_TRUE(registered(2)) << log();
  EXPECT_EQ(states().at(3), "3") << log();
  EXPECT_EQ(get("/3/0/3").payload, "2.0.0") << log();
  EXPECT_EQ(get("/5/0/5").payload, "1") << log();
  EXPECT_EQ(get("/5/0/3").payload, "0") << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, QuicklyFailingPullNotifiesEveryStateInOrder) {
  start();
  ASSERT_TRUE(registered(1)) << log();
  MiniLwm2mServer::Request observe;
  observe.path = "/5/0/3";
  observe.observe = 0;
  Bytes token;
  ASSERT_TRUE(server().send(observe, 3000ms, &token).has_value()) << log();

  // Nothing listens on port 1: the pull fails as soon as it starts, so State goes 0 -> 1 -> 0
  // within moments; both changes must reach the observer, in order.
  MiniLwm2mServer::Request write;
  write.method = COAP_REQUEST_CODE_PUT;
  write.path = "/5/0/1";
  write.content_format = 0;
  write.payload = "coap://127.0.0.1:1/firmware.bin";
  const auto written = server().send(write, 3000ms);
  ASSERT_TRUE(written.has_value()) << log();
  EXPECT_EQ(written->code, 204);

  auto states = [&] {
    std::vector<std::string> seen;
    for (const auto& response : server().responses_for(token)) seen.push_back(response.payload);
    return seen;
  };
  ASSERT_TRUE(server().pump_until([&] { return states().size() >= 3; }, 8000ms)) << log();
  EXPECT_EQ(states(), (std::vector<std::string>{"0", "1", "0"})) << log();
  EXPECT_EQ(get("/5/0/5").payload, "4") << log();
  EXPECT_EQ(stop(), std::optional<int>(0)) << log();
}

TEST_F(RefclientProcessTest, UnknownMutantExitsWithStatusTwo) {
  start({"--mutant", "no-such-bug"});
  ASSERT_TRUE(server().pump_until([&] { return !client->running(); }, 3000ms));
  EXPECT_EQ(client->poll_exit(), std::optional<int>(2));
  EXPECT_NE(log().find("unknown mutant 'no-such-bug'"), std::string::npos) << log();
  EXPECT_TRUE(server().registers.empty());
}

}  // namespace
}  // namespace fc::testing
