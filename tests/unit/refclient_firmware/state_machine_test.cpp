// /5 state machine of the reference client: reference §3.1 transitions T1-T16 and the
// rejections of §3.2-§3.4, driven through the object's request API.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "firmware_harness.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

class StateMachine : public ::testing::Test {
 protected:
  TempDir dir;
  FirmwareHarness fw{test_options(dir.path())};
  const Bytes package = make_package("2.0.0", 3000);

  void download() {
    const auto answers = fw.push(package, 4096);
    ASSERT_EQ(answers.size(), 1u);
    ASSERT_TRUE(is(answers.back().answer, 2, 4));
    ASSERT_EQ(fw->state(), 2);
  }
  void start_multi_block_push() {
    const auto answer = fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5);
    ASSERT_TRUE(is(answer, 2, 31));
    ASSERT_EQ(fw->state(), 1);
  }
  void go_updating() {
    download();
    ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
    ASSERT_EQ(fw->state(), 3);
  }
  void stale_result_9() {
    ASSERT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 2, 4));
    fw->poll();
    ASSERT_EQ(fw->update_result(), 9);
    fw.clear_changes();
  }
  std::filesystem::path slot_a() const { return dir.path() / "slot-a.bin"; }
  std::filesystem::path slot_a_part() const { return dir.path() / "slot-a.bin.part"; }
};

TEST_F(StateMachine, FactoryStateIsIdleWithInitialResult) {
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw->running_version(), "1.0.0");
  EXPECT_EQ(fw.read_string(1), "");
  EXPECT_EQ(fw.read_string(6), "");
  EXPECT_EQ(fw.read_string(7), "");
  EXPECT_EQ(fw.read_int(9), 2);
  EXPECT_EQ(fw.read_int(11), 1);
  EXPECT_EQ(fw.read_int(13), 0);
  const auto protocols = fw->read(8);
  ASSERT_TRUE(protocols.has_value());
  ASSERT_EQ(protocols->size(), 2u);
  EXPECT_EQ(protocols->at(0).path, (lwm2m::Path{5, 0, 8, 0}));
  EXPECT_EQ(protocols->at(0).value.as_int(), 0);
  EXPECT_EQ(protocols->at(1).path, (lwm2m::Path{5, 0, 8, 1}));
  EXPECT_EQ(protocols->at(1).value.as_int(), 2);
}

TEST_F(StateMachine, InstanceReadListsReadableResourcesInOrder) {
  std::vector<lwm2m::Path> paths;
  for (const auto& record : fw->read_instance()) paths.push_back(record.path);
  const std::vector<lwm2m::Path> expected{{5, 0, 1},  {5, 0, 3},    {5, 0, 5},    {5, 0, 6},
                                          {5, 0, 7},  {5, 0, 8, 0}, {5, 0, 8, 1}, {5, 0, 9},
                                          {5, 0, 11}, {5, 0, 12},   {5, 0, 13}};
  EXPECT_EQ(paths, expected);
}

TEST_F(StateMachine, ResourceSetFollowsObjectVersion) {
  for (int r : {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13})
    EXPECT_TRUE(fw->is_defined(static_cast<std::uint16_t>(r))) << r;
  for (int r : {4, 14, 15}) EXPECT_FALSE(fw->is_defined(static_cast<std::uint16_t>(r))) << r;
  TempDir other;
  auto options = test_options(other.path());
  options.object_version = "1.0";
  FirmwareHarness v10(options);
  for (int r : {10, 11, 12, 13}) EXPECT_FALSE(v10->is_defined(static_cast<std::uint16_t>(r))) << r;
  EXPECT_TRUE(is(v10->execute(10, ""), 4, 4));
  EXPECT_FALSE(v10->read(11).has_value());
}

TEST_F(StateMachine, WriteOnlyAndExecutableResourcesAreNotReadable) {
  EXPECT_FALSE(fw->read(0).has_value());
  EXPECT_FALSE(fw->read(2).has_value());
  EXPECT_FALSE(fw->read(10).has_value());
  EXPECT_FALSE(fw->read(4).has_value());
}

TEST_F(StateMachine, WritesToReadOnlyOrMissingResourcesAreRejected) {
  EXPECT_TRUE(is(fw->write(3, lwm2m::Value(2)), 4, 5));
  EXPECT_TRUE(is(fw->write(5, lwm2m::Value(1)), 4, 5));
  EXPECT_TRUE(is(fw->write(12, lwm2m::Value(1)), 4, 5));
  EXPECT_TRUE(is(fw->write(4, lwm2m::Value(1)), 4, 4));
  EXPECT_TRUE(is(fw->write(14, lwm2m::Value(true)), 4, 4));
  EXPECT_TRUE(is(fw->execute(3, ""), 4, 5));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_TRUE(fw.changes.empty());
}

// §3.2 rule 3, ETS 772: Update outside Downloaded gets 4.05 and changes nothing.
TEST_F(StateMachine, UpdateInIdleIsRejectedAndChangesNothing) {
  stale_result_9();
  EXPECT_TRUE(is(fw->execute(2, ""), 4, 5));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 9);
  EXPECT_TRUE(fw.changes.empty());
}

TEST_F(StateMachine, UpdateInDownloadingIsRejectedAndChangesNothing) {
  start_multi_block_push();
  fw.clear_changes();
  EXPECT_TRUE(is(fw->execute(2, ""), 4, 5));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_TRUE(fw.changes.empty());
}

TEST_F(StateMachine, UpdateInUpdatingIsRejectedAndChangesNothing) {
  go_updating();
  fw.clear_changes();
  EXPECT_TRUE(is(fw->execute(2, ""), 4, 5));
  EXPECT_EQ(fw->state(), 3);
  EXPECT_TRUE(fw.changes.empty());
}

// T3: a complete package in one message goes 0 -> 2 without State 1.
TEST_F(StateMachine, SingleMessagePushGoesStraightToDownloaded) {
  download();
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{2}));
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  EXPECT_EQ(fw.read_string(6), "fotacheck-reference-image");
  EXPECT_TRUE(std::filesystem::exists(slot_a()));
  EXPECT_EQ(std::filesystem::file_size(slot_a()), package.size());
}

// T2 then T4.
TEST_F(StateMachine, MultiBlockPushPassesThroughDownloading) {
  const auto answers = fw.push(package, 512);
  ASSERT_EQ(answers.size(), 7u);  // 3082 bytes
  for (std::size_t i = 0; i + 1 < answers.size(); ++i) EXPECT_TRUE(is(answers[i].answer, 2, 31)) << i;
  EXPECT_TRUE(is(answers.back().answer, 2, 4));
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 0);
}

// T8 then (after the restart the plumbing performs) T9.
TEST_F(StateMachine, UpdateFromDownloadedRestartsIntoTheNewImage) {
  download();
  fw.clear_changes();
  EXPECT_TRUE(is(fw->execute(2, "ignored=arguments"), 2, 4));
  EXPECT_EQ(fw->state(), 3);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{3}));
  EXPECT_EQ(fw.restart_requests, 0);  // only after the 2.04 went out, from poll()
  fw->poll();
  EXPECT_EQ(fw.restart_requests, 1);
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
  EXPECT_EQ(fw.read_string(7), "2.0.0");
}

// §3.2 rule 1: Update Result back to 0 when a download starts (T1/T2) and when Update starts (T8).
TEST_F(StateMachine, DownloadStartResetsAStaleResult) {
  stale_result_9();
  start_multi_block_push();
  EXPECT_EQ(fw->update_result(), 0);
  // One event: State first, then its time, then Result.
  EXPECT_EQ(fw.changes, (std::vector<std::uint16_t>{3, 12, 5}));
}

TEST_F(StateMachine, SingleMessageDownloadResetsAStaleResult) {
  stale_result_9();
  download();
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw.changes, (std::vector<std::uint16_t>{3, 12, 5, 6, 7}));
}

// T16 (Anjay FirmwareUpdateResetInIdleState).
TEST_F(StateMachine, ResetInIdleClearsAStaleResult) {
  stale_result_9();
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw.read_string(1), "");
  stale_result_9();
  const std::uint8_t nul[] = {0};
  EXPECT_TRUE(is(fw->write_package_block(0, nul, false, std::nullopt, 6), 2, 4));
  EXPECT_EQ(fw->update_result(), 0);
}

// T6: reset while Downloading aborts the transfer and removes the partial image.
TEST_F(StateMachine, EmptyUriInDownloadingResetsToIdle) {
  start_multi_block_push();
  EXPECT_TRUE(std::filesystem::exists(slot_a_part()));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_FALSE(std::filesystem::exists(slot_a_part()));
  // The aborted push is over: its next block has no transfer to join.
  EXPECT_TRUE(
      is(fw->write_package_block(512, ByteView(package).subspan(512, 512), true, std::nullopt, 5), 4, 8));
}

TEST_F(StateMachine, NulPackageInDownloadingResetsToIdle) {
  start_multi_block_push();
  const std::uint8_t nul[] = {0};
  EXPECT_TRUE(is(fw->write_package_block(0, nul, false, std::nullopt, 6), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_FALSE(std::filesystem::exists(slot_a_part()));
}

// T7, and /5 1.1: the stored image is deleted.
TEST_F(StateMachine, EmptyUriInDownloadedResetsAndDeletesTheImage) {
  download();
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_FALSE(std::filesystem::exists(slot_a()));
  EXPECT_EQ(fw.read_string(7), "");
}

TEST_F(StateMachine, NulPackageInDownloadedResetsAndDeletesTheImage) {
  download();
  const std::uint8_t nul[] = {0};
  EXPECT_TRUE(is(fw->write_package_block(0, nul, false, std::nullopt, 6), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_FALSE(std::filesystem::exists(slot_a()));
}

// The 2017 wording: an empty Package also resets.
TEST_F(StateMachine, EmptyPackageAlsoResets) {
  download();
  EXPECT_TRUE(is(fw->write_package_block(0, {}, false, std::nullopt, 6), 2, 4));
  EXPECT_EQ(fw->state(), 0);
}

TEST_F(StateMachine, ResetInUpdatingIsRejected) {
  go_updating();
  const std::uint8_t nul[] = {0};
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 4, 5));
  EXPECT_TRUE(is(fw->write_package_block(0, nul, false, std::nullopt, 6), 4, 5));
  EXPECT_EQ(fw->state(), 3);
}

// §3.7 item 2, Anjay: 4.00 while Downloading/Downloaded, 4.05 while Updating.
TEST_F(StateMachine, NewUriWhileBusyIsRejected) {
  start_multi_block_push();
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/x")), 4, 0));
  EXPECT_EQ(fw->state(), 1);
  TempDir other;
  FirmwareHarness second(test_options(other.path()));
  ASSERT_TRUE(is(second.push(package, 4096).back().answer, 2, 4));
  EXPECT_TRUE(is(second->write(1, lwm2m::Value("coap://127.0.0.1/x")), 4, 0));
  EXPECT_EQ(second->state(), 2);
  ASSERT_TRUE(is(second->execute(2, ""), 2, 4));
  EXPECT_TRUE(is(second->write(1, lwm2m::Value("coap://127.0.0.1/x")), 4, 5));
  EXPECT_EQ(second.read_string(1), "");
}

TEST_F(StateMachine, PushWhileDownloadedNeedsAResetFirst) {
  download();
  EXPECT_TRUE(is(fw.push(package, 4096).back().answer, 4, 0));
  EXPECT_EQ(fw->state(), 2);
}

TEST_F(StateMachine, PushWhileUpdatingIsNotAllowed) {
  go_updating();
  EXPECT_TRUE(is(fw.push(package, 4096).back().answer, 4, 5));
  EXPECT_EQ(fw->state(), 3);
}

TEST_F(StateMachine, UriLongerThan255BytesIsABadRequest) {
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://h/" + std::string(250, 'a'))), 4, 0));
  EXPECT_EQ(fw.read_string(1), "");
}

// T12 and §3.2 rule 9.
TEST_F(StateMachine, CancelInDownloadingEndsWithResult10) {
  start_multi_block_push();
  EXPECT_TRUE(is(fw->execute(10, ""), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 10);
  EXPECT_FALSE(std::filesystem::exists(slot_a_part()));
}

TEST_F(StateMachine, CancelInDownloadedEndsWithResult10) {
  download();
  EXPECT_TRUE(is(fw->execute(10, ""), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 10);
  EXPECT_FALSE(std::filesystem::exists(slot_a()));
}

TEST_F(StateMachine, CancelInIdleOrUpdatingIsNotAllowed) {
  EXPECT_TRUE(is(fw->execute(10, ""), 4, 5));
  EXPECT_EQ(fw->update_result(), 0);
  go_updating();
  EXPECT_TRUE(is(fw->execute(10, ""), 4, 5));
  EXPECT_EQ(fw->state(), 3);
}

TEST_F(StateMachine, SeverityAcceptsOnlyZeroToTwo) {
  EXPECT_TRUE(is(fw->write(11, lwm2m::Value(0)), 2, 4));
  EXPECT_EQ(fw.read_int(11), 0);
  EXPECT_EQ(fw.changes, (std::vector<std::uint16_t>{11}));
  EXPECT_TRUE(is(fw->write(11, lwm2m::Value(2)), 2, 4));
  EXPECT_EQ(fw.read_int(11), 2);
  EXPECT_TRUE(is(fw->write(11, lwm2m::Value(3)), 4, 0));
  EXPECT_TRUE(is(fw->write(11, lwm2m::Value(-1)), 4, 0));
  EXPECT_TRUE(is(fw->write(11, lwm2m::Value("high")), 4, 0));
  EXPECT_EQ(fw.read_int(11), 2);
}

TEST_F(StateMachine, MaximumDeferPeriodRejectsNegatives) {
  EXPECT_TRUE(is(fw->write(13, lwm2m::Value(3600)), 2, 4));
  EXPECT_EQ(fw.read_int(13), 3600);
  EXPECT_TRUE(is(fw->write(13, lwm2m::Value(-5)), 4, 0));
  EXPECT_EQ(fw.read_int(13), 3600);
}

TEST_F(StateMachine, LastStateChangeTimeMovesWithEachStateChange) {
  const auto before =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  download();
  EXPECT_GE(fw.read_int(12), before);
  EXPECT_EQ(fw.changes, (std::vector<std::uint16_t>{3, 12, 6, 7}));
}

TEST_F(StateMachine, PullOnlyDeliveryRejectsPackageWrites) {
  TempDir other;
  auto options = test_options(other.path());
  options.delivery = 0;
  FirmwareHarness pull_only(options);
  EXPECT_TRUE(is(pull_only.push(package, 4096).back().answer, 4, 5));
  EXPECT_EQ(pull_only->state(), 0);
  EXPECT_EQ(pull_only.read_int(9), 0);
}

TEST_F(StateMachine, PushOnlyDeliveryRejectsNonEmptyUriButAcceptsReset) {
  TempDir other;
  auto options = test_options(other.path());
  options.delivery = 1;
  FirmwareHarness push_only(options);
  EXPECT_TRUE(is(push_only->write(1, lwm2m::Value("coap://127.0.0.1/x")), 4, 5));
  EXPECT_TRUE(is(push_only->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(push_only.read_string(1), "");
}

TEST_F(StateMachine, UnknownObjectVersionIsRefused) {
  TempDir other;
  auto options = test_options(other.path());
  options.object_version = "2.0";
  EXPECT_THROW(FirmwareUpdateObject(options, {}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace fc::refclient::testing
