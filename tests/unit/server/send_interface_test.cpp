// The Send interface (POST /dp, TS Core 6.4.8) driven request by request without sockets: each
// Send format decodes into the report, anything else is refused with why and kept as refused.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "suite/server/registration_interface.h"
#include "suite/server/send_interface.h"

namespace fc::server {
namespace {

using coap::IncomingRequest;
using lwm2m::ContentFormat;
namespace code = coap::code;

class ServerSendTest : public ::testing::Test {
 protected:
  Registry registry;
  SendInterface dp{registry};
  const std::string peer = "127.0.0.1:40001";

  // One device registered from `peer` through the real Registration interface.
  void SetUp() override {
    ServerConfig config;
    RegistrationInterface rd{config, registry};
    IncomingRequest reg;
    reg.peer = peer;
    reg.message.code = code::Post;
    reg.message.uri_path = {"rd"};
    reg.message.uri_query = {"ep=dev-s", "lt=60", "lwm2m=1.1"};
    reg.message.content_format = 40;
    reg.message.payload = to_bytes("</1/0>,</3/0>,</5/0>");
    ASSERT_EQ(rd.handle(reg).code, code::Created);
  }

  IncomingRequest send(std::optional<std::uint16_t> format, Bytes payload, std::string from = {}) {
    IncomingRequest in;
    in.peer = from.empty() ? peer : from;
    in.message.code = code::Post;
    in.message.uri_path = {"dp"};
    in.message.content_format = format;
    in.message.payload = std::move(payload);
    return in;
  }

  static lwm2m::Records state_and_result() {
    return {{lwm2m::Path{5, 0, 3}, lwm2m::Value(2)}, {lwm2m::Path{5, 0, 5}, lwm2m::Value(0)}};
  }
};

TEST_F(ServerSendTest, EachSendFormatIsAnsweredChangedAndDecoded) {
  for (auto format : {ContentFormat::SenmlJson, ContentFormat::SenmlCbor, ContentFormat::LwM2mCbor}) {
    auto payload = lwm2m::encode(format, lwm2m::Path{5, 0}, state_and_result());
    auto reply = dp.handle(send(static_cast<std::uint16_t>(format), payload));
    EXPECT_EQ(reply.code, code::Changed) << static_cast<int>(format);
    ASSERT_FALSE(dp.reports().empty());
    const auto& report = dp.reports().back();
    EXPECT_EQ(report.endpoint, "dev-s");
    EXPECT_FALSE(report.problem);
    EXPECT_EQ(report.records, state_and_result()) << static_cast<int>(format);
  }
}

TEST_F(ServerSendTest, APayloadThatDoesNotDecodeIsRefusedWithTheFormatAndTheByte) {
  auto reply = dp.handle(send(112, Bytes{0x9f, 0xa1}));
  EXPECT_EQ(reply.code, code::BadRequest);
  ASSERT_EQ(dp.reports().size(), 1u);
  ASSERT_TRUE(dp.reports()[0].problem);
  EXPECT_NE(dp.reports()[0].problem->find("Content-Format 112"), std::string::npos) << *dp.reports()[0].problem;
  EXPECT_EQ(dp.reports()[0].endpoint, "dev-s");
}

TEST_F(ServerSendTest, OtherFormatsMethodsAndStrangersAreRefused) {
  EXPECT_EQ(dp.handle(send(11542, Bytes{0xc1, 0x03, 0x00})).code, code::UnsupportedContentFormat);
  EXPECT_EQ(dp.handle(send(std::nullopt, Bytes{0x80})).code, code::BadRequest);
  EXPECT_EQ(dp.handle(send(112, Bytes{})).code, code::BadRequest);
  auto get = send(112, Bytes{0x80});
  get.message.code = code::Get;
  EXPECT_EQ(dp.handle(get).code, code::MethodNotAllowed);
  auto stranger = send(112, lwm2m::encode(ContentFormat::SenmlCbor, lwm2m::Path{5, 0}, state_and_result()),
                       "127.0.0.1:49999");
  EXPECT_EQ(dp.handle(stranger).code, code::Forbidden);
  for (const auto& report : dp.reports()) EXPECT_TRUE(report.problem);
}

TEST_F(ServerSendTest, OnlyPostToDpIsASend) {
  coap::Message m;
  m.uri_path = {"dp"};
  EXPECT_TRUE(SendInterface::handles(m));
  m.uri_path = {"dp", "x"};
  EXPECT_FALSE(SendInterface::handles(m));
  m.uri_path = {"rd"};
  EXPECT_FALSE(SendInterface::handles(m));
}

}  // namespace
}  // namespace fc::server
