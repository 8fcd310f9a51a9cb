// The reference server against a scripted device over real UDP on loopback: registration
// codes, every device-management operation, Observe, and devices that misbehave.
#include <gtest/gtest.h>

#include "suite/lwm2m/content_format.h"
#include "suite/server/reference_server.h"
#include "tests/support/test_device.h"

namespace fc {
namespace {

using namespace fc::coap;
using fc::lwm2m::ContentFormat;
using fc::lwm2m::Path;
using fc::server::ReferenceServer;
using fc::server::RegistrationEventKind;
using fc::testing::TestDevice;

class ReferenceServerTest : public ::testing::Test {
 protected:
  static server::ServerConfig config() {
    server::ServerConfig c;
    c.ack_timeout_s = 1.0;
    c.max_retransmit = 1;
    c.operation_timeout = Duration(1500);
    c.accepted_lwm2m_versions = {"1.0", "1.1"};
    return c;
  }
  EventLoop loop;
  Trace trace;
  ReferenceServer server{loop, trace, config()};
  TestDevice device{loop, trace, server.address(), "dev-1"};

  void register_device() {
    auto outcome = device.register_now();
    ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
    ASSERT_EQ(outcome.response.code, code::Created);
  }
  OutgoingRequest raw_register(std::vector<std::string> queries, std::string payload) {
    OutgoingRequest r;
    r.method = code::Post;
    r.uri_path = {"rd"};
    r.uri_query = std::move(queries);
    r.content_format = 40;
    r.payload = to_bytes(payload);
    return r;
  }
};

TEST_F(ReferenceServerTest, BindsAnEphemeralPortAndReportsIt) {
  EXPECT_NE(server.address().port, 0);
  EXPECT_EQ(server.uri(), "coap://127.0.0.1:" + std::to_string(server.address().port));
}

TEST_F(ReferenceServerTest, RegisterIsAnsweredCreatedWithLocationAndRecorded) {
  auto outcome = device.register_now(45);
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::Created);
  ASSERT_EQ(outcome.response.location_path.size(), 2u);
  EXPECT_EQ(outcome.response.location_path[0], "rd");

  const auto* r = server.registry().find_by_endpoint("dev-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->lifetime, 45u);
  EXPECT_EQ(r->lwm2m_version, "1.1");
  EXPECT_EQ(r->binding, "U");
  EXPECT_EQ(r->objects.version_of(5), "1.0");
  EXPECT_TRUE(r->objects.has_object(3));
  EXPECT_EQ(r->location(), outcome.response.location());
  ASSERT_EQ(server.registry().events().size(), 1u);
  EXPECT_EQ(server.registry().events()[0].kind, RegistrationEventKind::Registered);
  EXPECT_EQ(server.registry().events()[0].answered, code::Created);
}

TEST_F(ReferenceServerTest, RegisterWithoutEndpointIsBadRequest) {
  auto outcome = device.request(raw_register({"lt=60", "lwm2m=1.1"}, "</1/0>,</3/0>"));
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::BadRequest);
  ASSERT_EQ(server.registry().events().size(), 1u);
  EXPECT_EQ(server.registry().events()[0].kind, RegistrationEventKind::Rejected);
  EXPECT_NE(server.registry().events()[0].detail.find("ep"), std::string::npos);
}

TEST_F(ReferenceServerTest, RefusedLwm2mVersionIsPreconditionFailed) {
  auto outcome = device.request(raw_register({"ep=dev-1", "lt=60", "lwm2m=1.2"}, "</1/0>,</3/0>"));
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::PreconditionFailed);
  EXPECT_EQ(server.registry().find_by_endpoint("dev-1"), nullptr);
}

TEST_F(ReferenceServerTest, BrokenObjectListIsBadRequestAndServerKeepsServing) {
  auto broken = device.request(raw_register({"ep=dev-1", "lt=60", "lwm2m=1.1"}, "</1/0>,<3/0"));
  ASSERT_EQ(broken.kind, Outcome::Kind::Response);
  EXPECT_EQ(broken.response.code, code::BadRequest);
  EXPECT_NE(server.registry().events().back().detail.find("object list does not parse"), std::string::npos);
  register_device();
}

TEST_F(ReferenceServerTest, BadLifetimeIsBadRequest) {
  auto outcome = device.request(raw_register({"ep=dev-1", "lt=soon", "lwm2m=1.1"}, "</1/0>"));
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::BadRequest);
}

TEST_F(ReferenceServerTest, UpdateRefreshesLifetimeAndObjects) {
  register_device();
  auto outcome = device.update({"lt=120"}, "</1/0>,</3/0>,</4/0>,</5/0>");
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::Changed);
  const auto* r = server.registry().find_by_endpoint("dev-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->lifetime, 120u);
  EXPECT_TRUE(r->objects.has_object(4));
  EXPECT_EQ(server.registry().events().back().kind, RegistrationEventKind::Updated);
}

// RFC 7959 §2.3: an object list too long for one datagram comes in Block1 blocks; each but
// the last is answered 2.31 Continue, the last completes the Register (or Update).
TEST_F(ReferenceServerTest, RegisterAndUpdateInBlock1AreReassembled) {
  std::string objects = "</1/0>,</3/0>,</5/0>";
  for (int id = 10; id < 40; ++id) objects += ",</" + std::to_string(id) + "/0>";
  auto send_in_blocks = [&](OutgoingRequest request, const std::string& body) {
    constexpr std::size_t kBlock = 32;
    const std::size_t count = (body.size() + kBlock - 1) / kBlock;
    Outcome outcome;
    for (std::size_t num = 0; num < count; ++num) {
      request.block1 = BlockOption{static_cast<std::uint32_t>(num), num + 1 < count, 1};
      request.payload = to_bytes(body.substr(num * kBlock, kBlock));
      outcome = device.request(request);
      EXPECT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
      EXPECT_EQ(outcome.response.block1, request.block1);
      if (num + 1 < count) {
        EXPECT_EQ(outcome.response.code, code::Continue) << "block " << num;
      }
    }
    return outcome;
  };
  ASSERT_GT(objects.size(), 5 * 32u);
  auto registered = send_in_blocks(raw_register({"ep=dev-1", "lt=60", "lwm2m=1.1"}, ""), objects);
  ASSERT_EQ(registered.response.code, code::Created);
  EXPECT_EQ(registered.response.location_path, (std::vector<std::string>{"rd", "1"}));
  const auto* r = server.registry().find_by_endpoint("dev-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->objects.objects.size(), 33u);
  EXPECT_TRUE(r->objects.has_object(39));

  OutgoingRequest update;
  update.method = code::Post;
  update.uri_path = {"rd", "1"};
  update.content_format = 40;
  auto updated = send_in_blocks(update, objects + ",</40/0>");
  ASSERT_EQ(updated.response.code, code::Changed);
  EXPECT_TRUE(server.registry().find_by_endpoint("dev-1")->objects.has_object(40));
  ASSERT_EQ(server.registry().events().size(), 2u);
  EXPECT_EQ(server.registry().events()[1].kind, RegistrationEventKind::Updated);

  device.on_request = [](const IncomingRequest&) {
    auto reply = Reply::text(code::Content, "fotacheck");
    reply.content_format = 0;
    return reply;
  };
  auto read = server.device("dev-1").read(Path{3, 0, 0});
  ASSERT_TRUE(read.ok()) << read.describe();
  EXPECT_EQ(read.value(Path{3, 0, 0})->as_string(), "fotacheck");
}

// RFC 7959 §4: a Size1 over what the server takes is refused at once with 4.13 and its bound.
TEST_F(ReferenceServerTest, Block1RegisterAnnouncedTooLargeIsRefusedWithSize1) {
  auto request = raw_register({"ep=dev-1", "lt=60", "lwm2m=1.1"}, std::string(1024, ' '));
  request.block1 = BlockOption{0, true, 6};
  request.size1 = 1'000'000;
  auto outcome = device.request(request);
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response) << outcome.error;
  EXPECT_EQ(outcome.response.code, code::RequestEntityTooLarge);
  EXPECT_EQ(outcome.response.size1, 65536u);
  EXPECT_TRUE(server.registry().all().empty());
}

TEST_F(ReferenceServerTest, UpdateOfUnknownRegistrationIsNotFound) {
  OutgoingRequest r;
  r.method = code::Post;
  r.uri_path = {"rd", "999"};
  auto outcome = device.request(r);
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::NotFound);
}

TEST_F(ReferenceServerTest, DeregisterIsDeletedAndForgetsTheDevice) {
  register_device();
  auto outcome = device.deregister();
  ASSERT_EQ(outcome.kind, Outcome::Kind::Response);
  EXPECT_EQ(outcome.response.code, code::Deleted);
  EXPECT_EQ(server.registry().find_by_endpoint("dev-1"), nullptr);
  EXPECT_EQ(device.update().response.code, code::NotFound);
}

TEST_F(ReferenceServerTest, RegistrationExpiresAfterItsLifetime) {
  auto outcome = device.register_now(1);
  ASSERT_EQ(outcome.response.code, code::Created);
  EXPECT_TRUE(server.await_deregistration("dev-1", Deadline(Duration(3500))));
  EXPECT_EQ(server.registry().events().back().kind, RegistrationEventKind::Expired);
}

TEST_F(ReferenceServerTest, ReadDecodesTextAndTlv) {
  register_device();
  device.on_request = [](const IncomingRequest& in) {
    if (in.message.path() == "/5/0/3") {
      auto r = Reply::text(code::Content, "2");
      r.content_format = 0;
      return r;
    }
    if (in.message.path() == "/5/0") {
      Reply r = Reply::with(code::Content);
      r.content_format = 11542;
      r.payload = {0xC1, 0x03, 0x00, 0xC1, 0x05, 0x01};  // State 0, Update Result 1
      return r;
    }
    return Reply::with(code::NotFound);
  };
  auto client = server.device("dev-1");
  auto text = client.read(Path{5, 0, 3});
  ASSERT_TRUE(text.ok()) << text.describe();
  EXPECT_EQ(text.value(Path{5, 0, 3})->as_int(), 2);

  auto tlv = client.read(Path{5, 0}, ContentFormat::Tlv);
  ASSERT_TRUE(tlv.ok()) << tlv.describe();
  EXPECT_EQ(tlv.last.accept, std::nullopt);
  EXPECT_EQ(tlv.value(Path{5, 0, 3})->as_int(), 0);
  EXPECT_EQ(tlv.value(Path{5, 0, 5})->as_int(), 1);

  auto missing = client.read(Path{5, 0, 9});
  EXPECT_TRUE(missing.is(code::NotFound));
}

TEST_F(ReferenceServerTest, ReadFollowsBlock2UntilTheLastBlock) {
  register_device();
  std::string body(300, 'x');
  body[0] = 'a';
  body[299] = 'z';
  int requests = 0;
  device.on_request = [&](const IncomingRequest& in) {
    ++requests;
    std::uint32_t num = in.message.block2 ? in.message.block2->num : 0;
    Reply r = Reply::with(code::Content);
    r.content_format = 0;
    std::size_t from = num * 128, to = std::min<std::size_t>(body.size(), from + 128);
    r.payload = to_bytes(body.substr(from, to - from));
    r.block2 = BlockOption{num, to < body.size(), 3};
    return r;
  };
  auto read = server.device("dev-1").read(Path{3, 0, 1});
  ASSERT_TRUE(read.ok()) << read.describe();
  EXPECT_EQ(requests, 3);
  EXPECT_EQ(to_string(read.payload), body);
}

TEST_F(ReferenceServerTest, WriteUsesBlock1AndFollowsASmallerBlockSize) {
  register_device();
  Bytes received;
  std::vector<BlockOption> seen;
  device.on_request = [&](const IncomingRequest& in) {
    const auto& m = in.message;
    EXPECT_EQ(m.code, code::Put);
    EXPECT_EQ(m.content_format, 42);
    seen.push_back(*m.block1);
    received.insert(received.end(), m.payload.begin(), m.payload.end());
    if (!m.block1->more) return Reply::with(code::Changed);
    Reply r = Reply::with(code::Continue);
    r.block1 = BlockOption{m.block1->num, true, 5};  // the device asks for 512-byte blocks
    return r;
  };
  Bytes image(2500);
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::uint8_t>(i * 7);
  auto write = server.device("dev-1").write_raw(Path{5, 0, 0}, 42, image);
  ASSERT_TRUE(write.is(code::Changed)) << write.describe();
  EXPECT_EQ(received, image);
  // 1024, then 512-byte blocks from offset 1024: num 2, 3, 4 (the last one partial).
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (BlockOption{0, true, 6}));
  EXPECT_EQ(seen[1], (BlockOption{2, true, 5}));
  EXPECT_EQ(seen[3], (BlockOption{4, false, 5}));
  EXPECT_EQ(write.blocks.size(), 4u);
}

TEST_F(ReferenceServerTest, WriteStopsAtTheFirstRefusedBlock) {
  register_device();
  device.on_request = [&](const IncomingRequest& in) {
    if (in.message.block1->num == 1) return Reply::with(code::RequestEntityTooLarge);
    Reply r = Reply::with(code::Continue);
    r.block1 = in.message.block1;
    return r;
  };
  auto write = server.device("dev-1").write_raw(Path{5, 0, 0}, 42, Bytes(5000, 1));
  EXPECT_TRUE(write.is(code::RequestEntityTooLarge));
  EXPECT_EQ(write.blocks.size(), 2u);
  EXPECT_NE(write.error.find("block 1"), std::string::npos) << write.error;
}

TEST_F(ReferenceServerTest, ExecuteCarriesArguments) {
  register_device();
  std::string args;
  device.on_request = [&](const IncomingRequest& in) {
    EXPECT_EQ(in.message.code, code::Post);
    args = to_string(in.message.payload);
    return Reply::with(code::Changed);
  };
  EXPECT_TRUE(server.device("dev-1").execute(Path{5, 0, 2}, "0='now'").is(code::Changed));
  EXPECT_EQ(args, "0='now'");
}

TEST_F(ReferenceServerTest, WriteAttributesSendsQueriesWithoutPayload) {
  register_device();
  std::vector<std::string> queries;
  device.on_request = [&](const IncomingRequest& in) {
    EXPECT_EQ(in.message.code, code::Put);
    EXPECT_TRUE(in.message.payload.empty());
    queries = in.message.uri_query;
    return Reply::with(code::Changed);
  };
  server::Attributes attributes;
  attributes.pmin = 0;
  attributes.pmax = 10;
  EXPECT_TRUE(server.device("dev-1").write_attributes(Path{5, 0}, attributes).is(code::Changed));
  EXPECT_EQ(queries, (std::vector<std::string>{"pmin=0", "pmax=10"}));
}

TEST_F(ReferenceServerTest, DiscoverParsesLinks) {
  register_device();
  device.on_request = [](const IncomingRequest& in) {
    EXPECT_EQ(in.message.accept, 40);
    Reply r = Reply::text(code::Content, "</5/0>,</5/0/1>,</5/0/3>;pmin=2");
    r.content_format = 40;
    return r;
  };
  auto discover = server.device("dev-1").discover(Path{5, 0});
  ASSERT_TRUE(discover.ok()) << discover.describe();
  ASSERT_EQ(discover.links.size(), 3u);
  EXPECT_EQ(discover.links[2].target, "/5/0/3");
}

TEST_F(ReferenceServerTest, ObserveCollectsNotificationsUntilCancelled) {
  register_device();
  int state = 0;
  device.on_request = [&](const IncomingRequest&) {
    auto r = Reply::text(code::Content, std::to_string(state));
    r.content_format = 0;
    return r;
  };
  auto client = server.device("dev-1");
  auto observation = client.observe(Path{5, 0, 3});
  ASSERT_TRUE(observation->initial().ok()) << observation->initial().describe();
  EXPECT_TRUE(observation->active());
  EXPECT_EQ(observation->initial().value(Path{5, 0, 3})->as_int(), 0);

  for (int s : {1, 2}) {
    auto r = Reply::text(code::Content, std::to_string(s));
    r.content_format = 0;
    device.notify("/5/0/3", r);
  }
  ASSERT_TRUE(loop.await([&] { return observation->notifications().size() == 2; }, Deadline(Duration(2000))));
  EXPECT_EQ(observation->notifications()[0].content.value(Path{5, 0, 3})->as_int(), 1);
  EXPECT_EQ(observation->notifications()[1].content.value(Path{5, 0, 3})->as_int(), 2);
  EXPECT_LT(*observation->notifications()[0].sequence, *observation->notifications()[1].sequence);

  std::optional<std::uint32_t> cancel_observe;
  device.on_request = [&](const IncomingRequest& in) {
    cancel_observe = in.message.observe;
    auto r = Reply::text(code::Content, "2");
    r.content_format = 0;
    return r;
  };
  EXPECT_TRUE(client.cancel_observation(*observation).ok());
  EXPECT_EQ(cancel_observe, 1u);
  EXPECT_FALSE(observation->active());
}

TEST_F(ReferenceServerTest, NewRegisterVoidsObservations) {
  register_device();
  device.on_request = [](const IncomingRequest&) {
    auto r = Reply::text(code::Content, "0");
    r.content_format = 0;
    return r;
  };
  auto observation = server.device("dev-1").observe(Path{5, 0, 3});
  ASSERT_TRUE(observation->active());
  register_device();
  EXPECT_FALSE(observation->active());
  EXPECT_EQ(server.registry().find_by_endpoint("dev-1")->generation, 2u);
}

TEST_F(ReferenceServerTest, SilentDeviceGivesAClearErrorWithinTheDeadline) {
  register_device();
  device.on_request = [](const IncomingRequest&) { return Reply::with(Code{}); };  // empty ACK only
  auto started = Clock::now();
  auto read = server.device("dev-1").read(Path{3, 0, 0});
  EXPECT_FALSE(read.delivered);
  EXPECT_NE(read.error.find("no response within 1500 ms"), std::string::npos) << read.error;
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

TEST_F(ReferenceServerTest, GarbagePayloadIsReportedWithFormatAndOffset) {
  register_device();
  device.on_request = [](const IncomingRequest&) {
    Reply r = Reply::with(code::Content);
    r.content_format = 11542;
    r.payload = {0xC1, 0x03, 0x00, 0xC8, 0x05};  // second TLV claims an 8-bit length that is missing
    return r;
  };
  auto read = server.device("dev-1").read(Path{5, 0});
  EXPECT_TRUE(read.delivered);
  ASSERT_TRUE(read.decode_error.has_value());
  EXPECT_NE(read.decode_error->find("11542"), std::string::npos) << *read.decode_error;
  EXPECT_NE(read.decode_error->find("at byte 5"), std::string::npos) << *read.decode_error;
}

TEST_F(ReferenceServerTest, VanishedDeviceFailsItsCaseAndOthersAreStillServed) {
  {
    TestDevice ghost(loop, trace, server.address(), "ghost");
    ASSERT_EQ(ghost.register_now().response.code, code::Created);
  }  // its socket is gone
  auto read = server.device("ghost").read(Path{3, 0, 0});
  EXPECT_FALSE(read.delivered);
  EXPECT_FALSE(read.error.empty());

  register_device();
  device.on_request = [](const IncomingRequest&) {
    auto r = Reply::text(code::Content, "fotacheck");
    r.content_format = 0;
    return r;
  };
  auto ok = server.device("dev-1").read(Path{3, 0, 0});
  ASSERT_TRUE(ok.ok()) << ok.describe();
  EXPECT_EQ(ok.value(Path{3, 0, 0})->as_string(), "fotacheck");
}

TEST_F(ReferenceServerTest, OperationsOnAnUnregisteredDeviceSayWhy) {
  auto read = server.device("nobody").read(Path{3, 0, 0});
  EXPECT_FALSE(read.delivered);
  EXPECT_EQ(read.error, "device 'nobody' is not registered");
}

TEST_F(ReferenceServerTest, TraceRecordsBothDirectionsWithOptions) {
  register_device();
  auto entries = trace.entries();
  ASSERT_GE(entries.size(), 4u);  // device → Register, server ← Register, server → 2.01, device ← 2.01
  bool saw_created = false;
  for (const auto& e : entries)
    if (e.channel == "lwm2m" && e.direction == Direction::Sent && e.message.code == code::Created) {
      saw_created = true;
      EXPECT_EQ(e.message.location_path.size(), 2u);
    }
  EXPECT_TRUE(saw_created);
  EXPECT_NE(trace.render().find("POST"), std::string::npos);
}

}  // namespace
}  // namespace fc

namespace fc {
namespace {

// The server binds IPv6 as well: a device on ::1 registers and is read like any other.
TEST(ReferenceServerIpv6, RegistersAndReadsOverIpv6Loopback) {
  coap::EventLoop loop;
  coap::Trace trace;
  server::ServerConfig config;
  config.bind = "::1";
  config.operation_timeout = Duration(1500);
  server::ReferenceServer server(loop, trace, config);
  EXPECT_EQ(server.uri(), "coap://[::1]:" + std::to_string(server.address().port));
  testing::TestDevice device(loop, trace, server.address(), "dev-v6");
  ASSERT_EQ(device.register_now().response.code, coap::code::Created);
  device.on_request = [](const coap::IncomingRequest&) {
    auto r = coap::Reply::text(coap::code::Content, "1.0.0");
    r.content_format = 0;
    return r;
  };
  auto read = server.device("dev-v6").read(lwm2m::Path{3, 0, 3});
  ASSERT_TRUE(read.ok()) << read.describe();
  EXPECT_EQ(read.value(lwm2m::Path{3, 0, 3})->as_string(), "1.0.0");
  EXPECT_NE(server.registry().find_by_endpoint("dev-v6")->peer.find("::1"), std::string::npos);
}

}  // namespace
}  // namespace fc
