// Block2 serving without sockets (RFC 7959 §2.4, §4): the block asked for, re-numbered when
// served smaller; Block2, ETag and Size2 as the request and the repository settings say.
#include <gtest/gtest.h>

#include "suite/repository/coap_repository.h"

namespace fc::repository {
namespace {

namespace code = coap::code;

Bytes pattern(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 13 + 1);
  return out;
}

coap::Message get(std::optional<coap::BlockOption> block2, std::optional<std::uint32_t> size2 = std::nullopt) {
  coap::Message m;
  m.code = code::Get;
  m.uri_path = {"fw", "a.bin"};
  m.block2 = block2;
  m.size2 = size2;
  return m;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
}

struct BlockAnswerTest : ::testing::Test {
  HostedPackage package{"/fw/a.bin", {}, pattern(2500), {}};
  CoapServing serving;
};

TEST_F(BlockAnswerTest, TheFirstBlockCarriesBlock2EtagAndContentFormat) {
  auto a = answer_block_request(package, get(coap::BlockOption{0, false, 6}), serving);
  EXPECT_EQ(a.reply.code, code::Content);
  EXPECT_EQ(a.reply.payload, slice(package.content(), 0, 1024));
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{0, true, 6}));
  EXPECT_EQ(a.reply.etag, package.etag());
  EXPECT_EQ(a.reply.content_format, 42);
  EXPECT_FALSE(a.reply.size2.has_value());
  ASSERT_TRUE(a.served.has_value());
  EXPECT_EQ(a.served->offset, 0u);
  EXPECT_TRUE(a.notes.empty());
}

TEST_F(BlockAnswerTest, SizeTwoIsSentWhenAskedWithZero) {
  auto a = answer_block_request(package, get(coap::BlockOption{0, false, 6}, 0), serving);
  EXPECT_EQ(a.reply.size2, 2500u);
}

TEST_F(BlockAnswerTest, TheLastBlockIsShortAndSaysNoMore) {
  auto a = answer_block_request(package, get(coap::BlockOption{2, false, 6}), serving);
  EXPECT_EQ(a.reply.payload, slice(package.content(), 2048, 452));
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{2, false, 6}));
  EXPECT_EQ(a.served->offset, 2048u);
}

TEST_F(BlockAnswerTest, TheClientsSmallerSizeIsServed) {
  auto a = answer_block_request(package, get(coap::BlockOption{5, false, 2}), serving);  // 64-byte blocks
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{5, true, 2}));
  EXPECT_EQ(a.reply.payload, slice(package.content(), 320, 64));
}

TEST_F(BlockAnswerTest, TheServerCanAnswerSmallerAndRenumbersByOffset) {
  serving.max_block_szx = 4;  // 256
  auto a = answer_block_request(package, get(coap::BlockOption{1, false, 6}), serving);
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{4, true, 4}));
  EXPECT_EQ(a.reply.payload, slice(package.content(), 1024, 256));
}

TEST_F(BlockAnswerTest, MaxBlockImpairmentCapsThePackageAndIsNotedOnce) {
  HostedPackage capped("/fw/a.bin", {}, pattern(2500), parse_impairments("max-block:64"));
  auto a = answer_block_request(capped, get(coap::BlockOption{0, false, 6}), serving);
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{0, true, 2}));
  EXPECT_EQ(a.reply.payload.size(), 64u);
  EXPECT_EQ(a.notes, (std::vector<std::string>{"max-block:64: acting from block 0 (offset 0) on"}));
  auto b = answer_block_request(capped, get(coap::BlockOption{1, false, 2}), serving);
  EXPECT_TRUE(b.notes.empty());
}

TEST_F(BlockAnswerTest, BertIsServedAsTheLargestUdpBlock) {
  auto a = answer_block_request(package, get(coap::BlockOption{1, false, 7}), serving);
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{1, true, 6}));
}

TEST_F(BlockAnswerTest, WithoutBlock2TheFirstBlockComesWithBlock2WhenMoreFollow) {
  auto a = answer_block_request(package, get(std::nullopt), serving);
  EXPECT_EQ(a.reply.block2, (coap::BlockOption{0, true, 6}));
  HostedPackage tiny("/t", {}, pattern(10), {});
  auto b = answer_block_request(tiny, get(std::nullopt), serving);
  EXPECT_FALSE(b.reply.block2.has_value());
  EXPECT_EQ(b.reply.payload, tiny.content());
}

TEST_F(BlockAnswerTest, ABlockPastTheEndIsBadOption) {
  auto a = answer_block_request(package, get(coap::BlockOption{3, false, 6}), serving);
  EXPECT_EQ(a.reply.code, code::BadOption);
  EXPECT_FALSE(a.served.has_value());
}

TEST_F(BlockAnswerTest, AlwaysSizeTwoPutsItInEveryBlock) {
  serving.always_size2 = true;
  EXPECT_EQ(answer_block_request(package, get(coap::BlockOption{2, false, 6}), serving).reply.size2, 2500u);
}

TEST_F(BlockAnswerTest, AnErrorImpairmentAnswersItsCodeAndSaysWhere) {
  HostedPackage failing("/fw/a.bin", {}, pattern(2500), parse_impairments("error-at-block:1,code=5.03"));
  EXPECT_EQ(answer_block_request(failing, get(coap::BlockOption{0, false, 6}), serving).reply.code, code::Content);
  auto a = answer_block_request(failing, get(coap::BlockOption{1, false, 6}), serving);
  EXPECT_EQ(a.reply.code, code::ServiceUnavailable);
  EXPECT_TRUE(a.reply.payload.empty());
  EXPECT_FALSE(a.served.has_value());
  EXPECT_EQ(a.notes, (std::vector<std::string>{"error-at-block:1,code=5.03: answered 5.03 to block 1 (offset 1024)"}));
}

TEST_F(BlockAnswerTest, AnnouncedSizeGoesInTheFirstBlockUnasked) {
  HostedPackage big("/fw/a.bin", {}, pattern(2500), parse_impairments("announce-size:2000000"));
  auto a = answer_block_request(big, get(coap::BlockOption{0, false, 6}), serving);
  EXPECT_EQ(a.reply.size2, 2000000u);
  EXPECT_FALSE(answer_block_request(big, get(coap::BlockOption{1, false, 6}), serving).reply.size2.has_value());
  EXPECT_EQ(answer_block_request(big, get(coap::BlockOption{1, false, 6}, 0), serving).reply.size2, 2000000u);
}

TEST_F(BlockAnswerTest, EtagAndContentChangeStrikeFromTheirBlock) {
  HostedPackage changing("/fw/a.bin", {}, pattern(2500),
                         parse_impairments("etag-change-at-block:1;content-change-at-block:2"));
  auto b0 = answer_block_request(changing, get(coap::BlockOption{0, false, 6}), serving);
  auto b1 = answer_block_request(changing, get(coap::BlockOption{1, false, 6}), serving);
  auto b2 = answer_block_request(changing, get(coap::BlockOption{2, false, 6}), serving);
  EXPECT_EQ(b0.reply.etag, changing.etag());
  EXPECT_EQ(b1.reply.etag, changed_etag(changing.etag()));
  EXPECT_EQ(b1.reply.payload, slice(changing.content(), 1024, 1024));
  EXPECT_NE(b2.reply.payload, slice(changing.content(), 2048, 452));
  EXPECT_EQ(b1.notes, (std::vector<std::string>{"etag-change-at-block:1: acting from block 1 (offset 1024) on"}));
  EXPECT_EQ(b2.notes, (std::vector<std::string>{"content-change-at-block:2: acting from block 2 (offset 2048) on"}));
}

}  // namespace
}  // namespace fc::repository
