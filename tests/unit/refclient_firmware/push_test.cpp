// PUSH delivery (reference §4.2): Block1 writes to /5/0/0 streamed into the download slot,
// retransmissions, out-of-order blocks, and the flash/RAM/package faults that end a push.
#include <gtest/gtest.h>

#include <filesystem>

#include "firmware_harness.h"
#include "refclient/firmware/package_receiver.h"

namespace fc::refclient::testing {
namespace {

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

class Push : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 3000);  // 3082 bytes

  FirmwareOptions options() const { return test_options(dir.path()); }
  CoapAnswer block(FirmwareHarness& fw, std::uint64_t offset, bool more, std::size_t size = 512) {
    const auto length = std::min<std::size_t>(size, package.size() - offset);
    return fw->write_package_block(offset, ByteView(package).subspan(offset, length), more, std::nullopt, 5);
  }
};

// RFC 7959: a repeated first block is a retransmission, not a new transfer.
TEST_F(Push, DuplicatedFirstBlockDoesNotRestartTheJob) {
  FirmwareHarness fw(options());
  EXPECT_TRUE(is(block(fw, 0, true), 2, 31));
  EXPECT_TRUE(is(block(fw, 512, true), 2, 31));
  EXPECT_TRUE(is(block(fw, 0, true), 2, 31));    // late duplicate of block 0
  EXPECT_TRUE(is(block(fw, 512, true), 2, 31));  // duplicate of the last block
  for (std::uint64_t offset = 1024; offset < package.size(); offset += 512) {
    EXPECT_TRUE(
        is(block(fw, offset, offset + 512 < package.size()), 2, offset + 512 < package.size() ? 31 : 4));
  }
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "slot-a.bin"), package.size());
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
}

TEST_F(Push, OutOfOrderBlockGets408AndTheJobWaitsForTheRightOne) {
  FirmwareHarness fw(options());
  EXPECT_TRUE(is(block(fw, 0, true), 2, 31));
  const auto skipped = block(fw, 1024, true);
  EXPECT_TRUE(is(skipped, 4, 8));
  EXPECT_EQ(fw->state(), 1);
  for (std::uint64_t offset = 512; offset < package.size(); offset += 512) {
    EXPECT_TRUE(block(fw, offset, offset + 512 < package.size()).ok()) << offset;
  }
  EXPECT_EQ(fw->state(), 2);
}

TEST_F(Push, BlockOtherThanTheFirstCannotStartAPush) {
  FirmwareHarness fw(options());
  EXPECT_TRUE(is(block(fw, 512, true), 4, 8));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_TRUE(fw.changes.empty());
}

TEST_F(Push, NewSingleMessageWhilePushingNeedsAReset) {
  FirmwareHarness fw(options());
  EXPECT_TRUE(is(block(fw, 0, true), 2, 31));
  EXPECT_TRUE(is(fw->write_package_block(0, package, false, std::nullopt, 6), 4, 0));
  EXPECT_EQ(fw->state(), 1);
}

TEST_F(Push, WholePackageThroughResourceWriteIsASingleMessage) {
  FirmwareHarness fw(options());
  EXPECT_TRUE(is(fw->write(0, lwm2m::Value(package)), 2, 4));
  EXPECT_EQ(fw->state(), 2);
}

// ETS 773 with an early Size1: refused at the first block, 4.13 carrying the flash size.
TEST_F(Push, Size1BeyondFlashGives413AndResult2) {
  auto opts = options();
  opts.flash_size = 2000;
  FirmwareHarness fw(opts);
  const auto answers = fw.push(package, 512, package.size());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(is(answers[0].answer, 4, 13));
  EXPECT_EQ(answers[0].answer.size1, std::optional<std::uint32_t>(2000));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 2);
  EXPECT_TRUE(fw.state_timeline.empty());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

// Without Size1 the slot overflows at the block that does not fit.
TEST_F(Push, SlotOverflowGives413AndResult2) {
  auto opts = options();
  opts.flash_size = 2000;
  FirmwareHarness fw(opts);
  const auto answers = fw.push(package, 512);
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_EQ(answers.back().offset, 1536u);
  EXPECT_TRUE(is(answers.back().answer, 4, 13));
  EXPECT_EQ(answers.back().answer.size1, std::optional<std::uint32_t>(2000));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 2);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

TEST_F(Push, PackageThatFitsTheFlashExactlyIsAccepted) {
  auto opts = options();
  opts.flash_size = package.size();
  FirmwareHarness fw(opts);
  EXPECT_TRUE(is(fw.push(package, 512, package.size()).back().answer, 2, 4));
  EXPECT_EQ(fw->state(), 2);
}

// ETS 774: a block larger than the RAM left is Result 3, answered 5.00.
TEST_F(Push, BlockLargerThanRamBudgetGives500AndResult3) {
  auto opts = options();
  opts.ram_limit = kRamOverhead + 300;
  FirmwareHarness fw(opts);
  const auto answers = fw.push(package, 512);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(is(answers[0].answer, 5, 0));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 3);
}

TEST_F(Push, BlocksWithinRamBudgetAreFine) {
  auto opts = options();
  opts.ram_limit = kRamOverhead + 256;
  FirmwareHarness fw(opts);
  EXPECT_TRUE(is(fw.push(package, 256).back().answer, 2, 4));
  EXPECT_EQ(fw->state(), 2);
}

// ETS 776: the transfer itself succeeds; the verdict is Result 5 from State 1 to 0.
TEST_F(Push, CorruptedPackageEndsInIdleWithResult5) {
  FirmwareHarness fw(options());
  const auto answers = fw.push(with_flipped_image_byte(package), 512);
  EXPECT_TRUE(is(answers.back().answer, 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 5);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin"));
}

TEST_F(Push, PackageSignedByAnotherKeyGivesResult5) {
  FirmwareHarness fw(options());
  fw.push(signed_by_other_key(), 512);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 5);
}

TEST_F(Push, TruncatedPackageGivesResult5) {
  FirmwareHarness fw(options());
  const Bytes truncated(package.begin(), package.begin() + 2000);
  EXPECT_TRUE(is(fw.push(truncated, 512).back().answer, 2, 4));
  EXPECT_EQ(fw->update_result(), 5);
}

// ETS 777: the wrong type is known from the header, at the first block (4.15).
TEST_F(Push, WrongMagicIsRefusedAtTheFirstBlockWithResult6) {
  FirmwareHarness fw(options());
  const auto answers = fw.push(with_wrong_magic(package), 512);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(is(answers[0].answer, 4, 15));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 6);
}

TEST_F(Push, UnknownFormatVersionGivesResult6) {
  FirmwareHarness fw(options());
  Bytes bad = package;
  bad[5] = 9;  // format version 9
  fw.push(bad, 4096);
  EXPECT_EQ(fw->update_result(), 6);
}

TEST_F(Push, ResultChangeOnFailureFollowsTheStateChange) {
  FirmwareHarness fw(options());
  fw.push(with_flipped_image_byte(package), 512);
  ASSERT_GE(fw.changes.size(), 3u);
  // Last event: 1 -> 0 then Result 5.
  const std::vector<std::uint16_t> tail(fw.changes.end() - 3, fw.changes.end());
  EXPECT_EQ(tail, (std::vector<std::uint16_t>{3, 12, 5}));
  EXPECT_EQ(fw.seen_at_change.back(), std::make_pair(0, 5));
}

}  // namespace
}  // namespace fc::refclient::testing
