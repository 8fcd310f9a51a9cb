// Block1 reassembly of Register and Update object lists (RFC 7959 §2.3) in the Registration
// interface, driven request by request without sockets.
#include <gtest/gtest.h>

#include "suite/server/registration_interface.h"

namespace fc::server {
namespace {

using coap::BlockOption;
using coap::IncomingRequest;
namespace code = coap::code;

class ServerRegistrationBlock1Test : public ::testing::Test {
 protected:
  ServerConfig config;
  Registry registry;
  RegistrationInterface rd{config, registry};

  static IncomingRequest block(std::vector<std::string> path, BlockOption b, std::string payload,
                               std::vector<std::string> queries = {"ep=dev-b", "lt=60", "lwm2m=1.1"},
                               std::string peer = "127.0.0.1:40000") {
    IncomingRequest in;
    in.peer = std::move(peer);
    in.message.code = code::Post;
    in.message.uri_path = std::move(path);
    in.message.uri_query = std::move(queries);
    in.message.content_format = 40;
    in.message.block1 = b;
    in.message.payload = to_bytes(payload);
    return in;
  }
};

TEST_F(ServerRegistrationBlock1Test, RegisterInThreeBlocksIsAnsweredContinueThenCreated) {
  auto r0 = rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</"));
  EXPECT_EQ(r0.code, code::Continue);
  EXPECT_EQ(r0.block1, (BlockOption{0, true, 0}));
  EXPECT_EQ(rd.partial_bodies(), 1u);
  auto r1 = rd.handle(block({"rd"}, BlockOption{1, true, 0}, "5/0>,</10/0>,</2"));
  EXPECT_EQ(r1.code, code::Continue);
  EXPECT_EQ(r1.block1, (BlockOption{1, true, 0}));
  EXPECT_TRUE(registry.all().empty());
  auto r2 = rd.handle(block({"rd"}, BlockOption{2, false, 0}, "0/0>"));
  EXPECT_EQ(r2.code, code::Created);
  EXPECT_EQ(r2.block1, (BlockOption{2, false, 0}));
  EXPECT_EQ(r2.location_path, (std::vector<std::string>{"rd", "1"}));
  EXPECT_EQ(rd.partial_bodies(), 0u);
  const auto* r = registry.find_by_endpoint("dev-b");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->objects.objects.size(), 5u);
  EXPECT_TRUE(r->objects.has_object(20));
}

TEST_F(ServerRegistrationBlock1Test, UpdateInBlocksReplacesTheObjectList) {
  ASSERT_EQ(rd.handle(block({"rd"}, BlockOption{0, false, 0}, "</1/0>")).code, code::Created);
  EXPECT_EQ(rd.handle(block({"rd", "1"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</", {})).code, code::Continue);
  auto done = rd.handle(block({"rd", "1"}, BlockOption{1, false, 0}, "5/0>", {}));
  EXPECT_EQ(done.code, code::Changed);
  EXPECT_EQ(done.block1, (BlockOption{1, false, 0}));
  EXPECT_TRUE(registry.find_by_endpoint("dev-b")->objects.has_object(5));
  EXPECT_EQ(registry.events().back().kind, RegistrationEventKind::Updated);
}

TEST_F(ServerRegistrationBlock1Test, BlocksOfTwoPeersOrTwoEndpointsAreKeptApart) {
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</")).code, code::Continue);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</", {"ep=other", "lwm2m=1.1"})).code,
            code::Continue);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</", {"ep=dev-b", "lt=60", "lwm2m=1.1"},
                            "127.0.0.1:40001"))
                .code,
            code::Continue);
  EXPECT_EQ(rd.partial_bodies(), 3u);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{1, false, 0}, "5/0>", {"ep=other", "lwm2m=1.1"})).code, code::Created);
  EXPECT_EQ(rd.partial_bodies(), 2u);
  EXPECT_TRUE(registry.find_by_endpoint("other")->objects.has_object(5));
}

TEST_F(ServerRegistrationBlock1Test, BlockAfterAGapIsIncompleteAndDropsThePartialBody) {
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</")).code, code::Continue);
  auto gap = rd.handle(block({"rd"}, BlockOption{2, false, 0}, "0/0>"));
  EXPECT_EQ(gap.code, code::RequestEntityIncomplete);
  EXPECT_EQ(fc::to_string(gap.payload), "Block1 block 2/0/16 starts at byte 32, the body so far has 16 (RFC 7959 §2.3)");
  EXPECT_EQ(rd.partial_bodies(), 0u);
  auto without_start = rd.handle(block({"rd"}, BlockOption{1, false, 0}, "5/0>"));
  EXPECT_EQ(without_start.code, code::RequestEntityIncomplete);
  EXPECT_EQ(fc::to_string(without_start.payload), "Block1 block 1/0/16 without the blocks before it (RFC 7959 §2.3)");
  EXPECT_TRUE(registry.all().empty());
  ASSERT_EQ(registry.events().size(), 2u);
  EXPECT_EQ(registry.events()[0].kind, RegistrationEventKind::Rejected);
  EXPECT_EQ(registry.events()[0].endpoint, "dev-b");
}

TEST_F(ServerRegistrationBlock1Test, NonFinalBlockOfTheWrongSizeIsBadRequest) {
  auto short_block = rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>"));
  EXPECT_EQ(short_block.code, code::BadRequest);
  EXPECT_EQ(rd.partial_bodies(), 0u);
}

TEST_F(ServerRegistrationBlock1Test, BodyOverTheBoundIsTooLargeWithSize1) {
  std::string kilobyte(1024, 'x');
  for (std::uint32_t num = 0; num < 64; ++num)
    ASSERT_EQ(rd.handle(block({"rd"}, BlockOption{num, true, 6}, kilobyte)).code, code::Continue) << num;
  auto over = rd.handle(block({"rd"}, BlockOption{64, false, 6}, "x"));
  EXPECT_EQ(over.code, code::RequestEntityTooLarge);
  EXPECT_EQ(over.size1, 65536u);
  EXPECT_EQ(rd.partial_bodies(), 0u);

  auto announced = block({"rd"}, BlockOption{0, true, 6}, kilobyte);
  announced.message.size1 = 70000;
  auto early = rd.handle(announced);
  EXPECT_EQ(early.code, code::RequestEntityTooLarge);
  EXPECT_EQ(early.size1, 65536u);
  EXPECT_EQ(rd.partial_bodies(), 0u);
  EXPECT_TRUE(registry.all().empty());
}

TEST_F(ServerRegistrationBlock1Test, PartialBodyIsDroppedAfterExchangeLifetime) {
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</")).code, code::Continue);
  rd.drop_stale_partial_bodies(Clock::now() + std::chrono::seconds(246));
  EXPECT_EQ(rd.partial_bodies(), 1u);
  rd.drop_stale_partial_bodies(Clock::now() + std::chrono::seconds(247));
  EXPECT_EQ(rd.partial_bodies(), 0u);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{1, false, 0}, "5/0>")).code, code::RequestEntityIncomplete);
  EXPECT_TRUE(registry.all().empty());
}

TEST_F(ServerRegistrationBlock1Test, AtMostSixtyFourTransfersAreHeldTheOldestGoesFirst) {
  for (int i = 0; i < 65; ++i)
    ASSERT_EQ(rd.handle(block({"rd"}, BlockOption{0, true, 0}, "</1/0>,</3/0>,</",
                              {"ep=dev-" + std::to_string(i), "lwm2m=1.1"}))
                  .code,
              code::Continue);
  EXPECT_EQ(rd.partial_bodies(), RegistrationInterface::kMaxPartialBodies);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{1, false, 0}, "5/0>", {"ep=dev-0", "lwm2m=1.1"})).code,
            code::RequestEntityIncomplete);
  EXPECT_EQ(rd.handle(block({"rd"}, BlockOption{1, false, 0}, "5/0>", {"ep=dev-64", "lwm2m=1.1"})).code,
            code::Created);
}

}  // namespace
}  // namespace fc::server
