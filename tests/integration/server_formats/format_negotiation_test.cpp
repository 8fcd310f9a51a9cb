// The reference server's Accept and Write Content-Format on the wire, against a scripted device
// on loopback: negotiated from `ct`, forced by the profile, and answers decoded by their format.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "suite/server/reference_server.h"
#include "tests/support/test_device.h"

namespace fc {
namespace {

using namespace fc::coap;
using fc::lwm2m::ContentFormat;
using fc::lwm2m::Path;
using fc::testing::TestDevice;

const lwm2m::Records kFirmware{{Path{5, 0, 3}, lwm2m::Value(2)}, {Path{5, 0, 5}, lwm2m::Value(1)}};

// A device that answers every Read in the format asked (TLV without Accept) and records what
// the server sent.
class FormatNegotiationTest : public ::testing::Test {
 protected:
  static server::ServerConfig config(server::RequestFormats formats = {}) {
    server::ServerConfig c;
    c.ack_timeout_s = 1.0;
    c.max_retransmit = 1;
    c.operation_timeout = Duration(1500);
    c.request_formats = std::move(formats);
    return c;
  }

  void start(server::RequestFormats formats, const std::string& lwm2m_version, const std::string& objects) {
    server = std::make_unique<server::ReferenceServer>(loop, trace, config(std::move(formats)));
    device = std::make_unique<TestDevice>(loop, trace, server->address(), "dev-1");
    device->on_request = [this](const IncomingRequest& in) {
      seen.push_back(in.message);
      if (in.message.code == code::Put || in.message.code == code::Post) return Reply::with(code::Changed);
      const auto base = Path::parse(in.message.path());
      const auto format = static_cast<ContentFormat>(in.message.accept.value_or(11542));
      lwm2m::Records records;
      for (const auto& record : kFirmware)
        if (base.contains(record.path)) records.push_back(record);
      Reply r = Reply::with(code::Content);
      r.content_format = static_cast<std::uint16_t>(format);
      r.payload = answer ? *answer : lwm2m::encode(format, base, records);
      return r;
    };
    OutgoingRequest r;
    r.method = code::Post;
    r.uri_path = {"rd"};
    r.uri_query = {"ep=dev-1", "lt=60", "lwm2m=" + lwm2m_version, "b=U"};
    r.content_format = 40;
    r.payload = to_bytes(objects);
    const auto outcome = device->request(r);
    ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
    ASSERT_EQ(outcome.response.code, code::Created);
  }
  server::DeviceClient client() { return server->device("dev-1"); }
  std::optional<std::uint16_t> last_accept() const { return seen.empty() ? std::nullopt : seen.back().accept; }

  EventLoop loop;
  Trace trace;
  std::unique_ptr<server::ReferenceServer> server;
  std::unique_ptr<TestDevice> device;
  std::vector<Message> seen;
  std::optional<Bytes> answer;  // a fixed payload instead of the encoded records
};

const std::string kCbor11 = "</>;rt=\"oma.lwm2m\";ct=\"110 112 11542\",</1/0>,</3/0>,</5/0>";

TEST_F(FormatNegotiationTest, AutomaticAsksTheBestAdvertisedFormatForAnInstanceOnly) {
  start({}, "1.1", kCbor11);
  const auto instance = client().read(Path{5, 0});
  ASSERT_TRUE(instance.ok()) << instance.describe();
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(112));
  EXPECT_EQ(instance.content_format, std::optional<std::uint16_t>(112));
  EXPECT_EQ(instance.records, kFirmware);

  const auto resource = client().read(Path{5, 0, 3});
  ASSERT_TRUE(resource.ok()) << resource.describe();
  EXPECT_EQ(last_accept(), std::nullopt);
  EXPECT_EQ(resource.value(Path{5, 0, 3})->as_int(), 2);
}

TEST_F(FormatNegotiationTest, DeclaredFormatsNarrowTheAdvertisedOnes) {
  start({std::nullopt, {11542, 0}}, "1.1", kCbor11);
  ASSERT_TRUE(client().read(Path{5, 0}).ok());
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(11542));
}

TEST_F(FormatNegotiationTest, A10DeviceWithoutCtIsAskedForTlv) {
  start({}, "1.0", "</1/0>,</3/0>,</5/0>");
  const auto instance = client().read(Path{5, 0});
  ASSERT_TRUE(instance.ok()) << instance.describe();
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(11542));
  EXPECT_EQ(instance.value(Path{5, 0, 5})->as_int(), 1);
}

TEST_F(FormatNegotiationTest, AForcedFormatIsAskedForEveryReadAndObserve) {
  start({ContentFormat::LwM2mCbor, {}}, "1.1", kCbor11);
  const auto instance = client().read(Path{5, 0});
  ASSERT_TRUE(instance.ok()) << instance.describe();
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(11544));
  EXPECT_EQ(instance.records, kFirmware);

  const auto resource = client().read(Path{5, 0, 3});
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(11544));
  EXPECT_EQ(resource.value(Path{5, 0, 3})->as_int(), 2);

  const auto observation = client().observe(Path{5, 0, 3});
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(11544));
  EXPECT_EQ(observation->initial().value(Path{5, 0, 3})->as_int(), 2);

  EXPECT_TRUE(client().read(Path{5, 0, 3}, ContentFormat::Text).ok());
  EXPECT_EQ(last_accept(), std::optional<std::uint16_t>(0));
  EXPECT_TRUE(client().read(Path{5, 0}, std::nullopt).ok());
  EXPECT_EQ(last_accept(), std::nullopt);
}

TEST_F(FormatNegotiationTest, WriteOfSeveralValuesUsesTheNegotiatedFormatAndOneValueText) {
  start({}, "1.1", kCbor11);
  const auto several = client().write(Path{5, 0}, kFirmware);
  ASSERT_TRUE(several.ok()) << several.describe();
  EXPECT_EQ(seen.back().content_format, std::optional<std::uint16_t>(112));
  EXPECT_EQ(lwm2m::decode_senml_cbor(Path{5, 0}, seen.back().payload), kFirmware);

  ASSERT_TRUE(client().write(Path{5, 0, 1}, {{Path{5, 0, 1}, lwm2m::Value("coap://x/fw")}}).ok());
  EXPECT_EQ(seen.back().content_format, std::optional<std::uint16_t>(0));
  EXPECT_EQ(to_string(seen.back().payload), "coap://x/fw");
}

TEST_F(FormatNegotiationTest, EveryFormatForSeveralValuesDecodesByTheAnswersContentFormat) {
  start({}, "1.2", "</>;rt=\"oma.lwm2m\",</5/0>");
  for (const auto format : {ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                            ContentFormat::LwM2mCbor, ContentFormat::LwM2mJson}) {
    const auto read = client().read(Path{5, 0}, format);
    ASSERT_TRUE(read.ok()) << lwm2m::to_string(format) << ": " << read.describe();
    EXPECT_EQ(read.decode_error, std::nullopt) << lwm2m::to_string(format);
    EXPECT_EQ(read.value(Path{5, 0, 3})->as_int(), 2) << lwm2m::to_string(format);
    EXPECT_EQ(read.value(Path{5, 0, 5})->as_int(), 1) << lwm2m::to_string(format);
  }
}

TEST_F(FormatNegotiationTest, UndecodableAnswersNameTheFormatAndTheByteOffset) {
  start({}, "1.2", "</>;rt=\"oma.lwm2m\",</5/0>");
  struct Broken {
    ContentFormat format;
    Bytes payload;
    std::string expected;
  };
  const std::vector<Broken> cases{
      {ContentFormat::SenmlJson, to_bytes(R"([{"bn":"/5/0/","n":"3","v":2},{"n":"5","v":})"),
       "application/senml+json (110) at byte"},
      {ContentFormat::SenmlCbor, Bytes{0x81, 0xa2, 0x00, 0x61, 0x33, 0x02}, "application/senml+cbor (112) at byte"},
      {ContentFormat::LwM2mCbor, Bytes{0xa1, 0x82, 0x05, 0x00, 0xa1, 0x03}, "application/vnd.oma.lwm2m+cbor (11544) at byte"},
  };
  for (const auto& broken : cases) {
    answer = broken.payload;
    const auto read = client().read(Path{5, 0}, broken.format);
    ASSERT_TRUE(read.delivered) << read.error;
    ASSERT_TRUE(read.decode_error.has_value()) << lwm2m::to_string(broken.format) << ": " << read.describe();
    EXPECT_NE(read.decode_error->find(broken.expected), std::string::npos) << *read.decode_error;
    EXPECT_NE(read.describe().find("payload does not decode: " + broken.expected), std::string::npos)
        << read.describe();
  }
}

}  // namespace
}  // namespace fc
