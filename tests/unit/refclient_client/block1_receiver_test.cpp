// Block1 handling of the Package write: answers, echo, replay of retransmissions, sizes.
#include "refclient/client/block1_receiver.h"

#include <gtest/gtest.h>

#include <vector>

namespace fc::refclient {
namespace {

struct ReceivedBlock {
  std::uint64_t offset;
  std::size_t size;
  bool more;
  std::optional<std::uint64_t> total;
  int szx;
};

class Block1ReceiverTest : public ::testing::Test {
 protected:
  DmResponse send(std::uint32_t num, bool more, int szx, std::size_t size, std::uint16_t mid,
                  std::optional<std::uint32_t> size1 = std::nullopt) {
    DmRequest request;
    request.method = Method::Put;
    request.path = lwm2m::Path{5, 0, 0};
    request.block1 = BlockOption{num, more, szx};
    request.size1 = size1;
    request.payload = Bytes(size, 0xAB);
    request.message_id = mid;
    return receiver.receive(request, sink);
  }

  Block1Receiver receiver;
  std::vector<ReceivedBlock> blocks;
  CoapAnswer next_answer = CoapAnswer::changed();
  Block1Receiver::BlockSink sink = [this](std::uint64_t offset, ByteView data, bool more,
                                          std::optional<std::uint64_t> total, int szx) {
    blocks.push_back({offset, data.size(), more, total, szx});
    return next_answer;
  };
};

TEST(BlockOptionTest, DecodesAndEncodesNumMoreAndSzx) {
  const auto block = decode_block_option((5u << 4) | 0x8u | 2u);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->num, 5u);
  EXPECT_TRUE(block->more);
  EXPECT_EQ(block->szx, 2);
  EXPECT_EQ(block->size(), 64u);
  EXPECT_EQ(block->offset(), 320u);
  EXPECT_EQ(encode_block_option(*block), (5u << 4) | 0x8u | 2u);
}

TEST(BlockOptionTest, RefusesBertSzx7) { EXPECT_FALSE(decode_block_option(0x7).has_value()); }

TEST_F(Block1ReceiverTest, NonFinalBlockIsAnsweredContinueWithBlock1Echo) {
  const auto response = send(0, true, 6, 1024, 100, 3000);
  EXPECT_EQ(response.code_text(), "2.31");
  ASSERT_TRUE(response.block1.has_value());
  EXPECT_EQ(*response.block1, (BlockOption{0, true, 6}));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].offset, 0u);
  EXPECT_EQ(blocks[0].size, 1024u);
  EXPECT_TRUE(blocks[0].more);
  EXPECT_EQ(blocks[0].total, std::optional<std::uint64_t>(3000));
  EXPECT_EQ(blocks[0].szx, 6);
}

TEST_F(Block1ReceiverTest, FinalBlockIsAnsweredChangedWithOffsetFromNumAndSzx) {
  send(0, true, 4, 256, 1);
  const auto response = send(1, false, 4, 10, 2);
  EXPECT_EQ(response.code_text(), "2.04");
  EXPECT_EQ(*response.block1, (BlockOption{1, false, 4}));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].offset, 256u);
  EXPECT_EQ(blocks[1].size, 10u);
  EXPECT_FALSE(blocks[1].more);
}

TEST_F(Block1ReceiverTest, RetransmissionWithSameMessageIdIsReplayedWithoutReachingTheSink) {
  send(0, true, 6, 1024, 7);
  const auto again = send(0, true, 6, 1024, 7);
  EXPECT_EQ(again.code_text(), "2.31");
  EXPECT_EQ(blocks.size(), 1u);
}

TEST_F(Block1ReceiverTest, SameBlockWithNewMessageIdReachesTheSinkAgain) {
  send(0, true, 6, 1024, 7);
  send(0, true, 6, 1024, 8);
  EXPECT_EQ(blocks.size(), 2u);
}

TEST_F(Block1ReceiverTest, SmallerSzxRequestedByTheSinkIsEchoed) {
  next_answer.block_szx = 4;
  const auto response = send(0, true, 6, 1024, 1);
  EXPECT_EQ(*response.block1, (BlockOption{0, true, 4}));
}

TEST_F(Block1ReceiverTest, NonFinalBlockOfWrongSizeIsBadRequest) {
  const auto response = send(0, true, 6, 1000, 1);
  EXPECT_EQ(response.code_text(), "4.00");
  EXPECT_TRUE(blocks.empty());
}

TEST_F(Block1ReceiverTest, SinkErrorIsPassedOnWithSize1) {
  next_answer = CoapAnswer::error(4, 13, "too large");
  next_answer.size1 = 2048;
  const auto response = send(0, true, 6, 1024, 1, 99999);
  EXPECT_EQ(response.code_text(), "4.13");
  EXPECT_EQ(response.size1, std::optional<std::uint32_t>(2048));
  EXPECT_FALSE(response.block1.has_value());
  EXPECT_EQ(to_string(response.payload), "too large");
}

TEST_F(Block1ReceiverTest, WholeMessageWithoutBlock1IsOneFinalBlockAtOffsetZero) {
  DmRequest request;
  request.method = Method::Put;
  request.path = lwm2m::Path{5, 0, 0};
  request.payload = Bytes{0x00};
  request.message_id = 3;
  const auto response = receiver.receive(request, sink);
  EXPECT_EQ(response.code_text(), "2.04");
  EXPECT_FALSE(response.block1.has_value());
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].offset, 0u);
  EXPECT_EQ(blocks[0].size, 1u);
  EXPECT_FALSE(blocks[0].more);
  EXPECT_EQ(blocks[0].total, std::optional<std::uint64_t>(1));
}

}  // namespace
}  // namespace fc::refclient
