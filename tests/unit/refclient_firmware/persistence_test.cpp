// Restarts: what survives (State, Result, slots, settings), the boot of a newly installed
// slot, rollback of an image that fails its first boot, and crash-safe state files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "firmware_harness.h"
#include "refclient/firmware/package_receiver.h"

namespace fc::refclient::testing {
namespace {

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

nlohmann::json state_file(const std::filesystem::path& dir) {
  std::ifstream in(dir / "firmware-state.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

class Persistence : public ::testing::Test {
 protected:
  TempDir dir;
  FirmwareHarness fw{test_options(dir.path())};

  void download(const Bytes& package) {
    ASSERT_TRUE(is(fw.push(package, 1024).back().answer, 2, 4));
    ASSERT_EQ(fw->state(), 2);
  }
  void update_and_restart() {
    ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
    const int before = fw.restart_requests;
    fw->poll();
    ASSERT_EQ(fw.restart_requests, before + 1);
    const auto notified = fw.changes.size();
    fw.restart();
    EXPECT_EQ(fw.changes.size(), notified);  // the boot step notifies nobody: no observer yet
  }
};

TEST_F(Persistence, DownloadedPackageSurvivesARestart) {
  download(make_package("2.0.0"));
  fw.restart();
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  update_and_restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
}

TEST_F(Persistence, SuccessfulUpdatesAlternateSlots) {
  download(make_package("2.0.0"));
  update_and_restart();
  EXPECT_EQ(fw->running_version(), "2.0.0");
  EXPECT_EQ(state_file(dir.path())["active_slot"], "a");

  download(make_package("3.0.0"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "slot-b.bin"));
  EXPECT_EQ(fw->update_result(), 0);  // Result 1 reset when the new download started
  update_and_restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "3.0.0");
  EXPECT_EQ(fw.read_string(7), "3.0.0");
  EXPECT_EQ(state_file(dir.path())["active_slot"], "b");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "slot-a.bin"));  // the previous image stays as fallback
}

TEST_F(Persistence, ResetAfterSuccessShowsTheRunningPackage) {
  download(make_package("2.0.0"));
  update_and_restart();
  download(make_package("3.0.0"));
  EXPECT_EQ(fw.read_string(7), "3.0.0");
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

// ETS 779: an image that does not boot rolls back; the package is still downloaded.
TEST_F(Persistence, ImageFailingItsFirstBootRollsBackToDownloadedWithResult8) {
  download(make_package("2.0.0", 3000, package::kFlagFailFirstBoot));
  update_and_restart();
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 8);
  EXPECT_EQ(fw->running_version(), "1.0.0");
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "slot-a.bin"));
  EXPECT_TRUE(state_file(dir.path())["active_slot"].is_null());
  // A second attempt is that image's second boot, which works.
  update_and_restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Persistence, RestartDuringPushEndsAsConnectionLost) {
  const Bytes package = make_package();
  ASSERT_TRUE(is(fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5), 2, 31));
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 4);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin"));
}

TEST_F(Persistence, RestartDuringPullEndsAsConnectionLost) {
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1:9/fw.bin")), 2, 4));
  fw->poll();  // the pull starts
  ASSERT_EQ(fw->state(), 1);
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 4);
  EXPECT_EQ(fw.read_string(1), "coap://127.0.0.1:9/fw.bin");
}

// Killed after the Execute was answered but before the install step ran.
TEST_F(Persistence, RestartDuringUpdatingBootsThePendingSlot) {
  download(make_package("2.0.0"));
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Persistence, ResultAndSettingsSurviveARestart) {
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 2, 4));
  fw->poll();
  ASSERT_TRUE(is(fw->write(11, lwm2m::Value(0)), 2, 4));
  ASSERT_TRUE(is(fw->write(13, lwm2m::Value(600)), 2, 4));
  const auto changed_at = fw.read_int(12);
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 9);
  EXPECT_EQ(fw.read_int(11), 0);
  EXPECT_EQ(fw.read_int(13), 600);
  EXPECT_EQ(fw.read_int(12), changed_at);
  EXPECT_EQ(fw.read_string(1), "ftp://127.0.0.1/fw.bin");
}

// A slot altered after download fails the check Update performs before marking it.
TEST_F(Persistence, TamperedSlotFailsAtUpdateWithResult5) {
  download(make_package("2.0.0"));
  {
    std::fstream slot(dir.path() / "slot-a.bin", std::ios::in | std::ios::out | std::ios::binary);
    slot.seekp(100);
    slot.put('\x55');
  }
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw->poll();
  EXPECT_EQ(fw.restart_requests, 0);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 5);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin"));
}

TEST_F(Persistence, DownloadedSlotLostWhileOffGivesResult5) {
  download(make_package("2.0.0"));
  std::filesystem::remove(dir.path() / "slot-a.bin");
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 5);
}

TEST_F(Persistence, StateFileIsCompleteAndNoTemporaryIsLeft) {
  download(make_package("2.0.0"));
  const auto json = state_file(dir.path());
  EXPECT_EQ(json["format"], 1);
  EXPECT_EQ(json["state"], 2);
  EXPECT_EQ(json["result"], 0);
  EXPECT_EQ(json["pkg_version"], "2.0.0");
  EXPECT_TRUE(json["pending_slot"].is_null());
  EXPECT_EQ(json["severity"], 1);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "firmware-state.json.tmp"));
}

TEST_F(Persistence, UnreadableStateFileIsSetAsideAndTheClientStartsFresh) {
  { std::ofstream(dir.path() / "firmware-state.json") << "{ not json"; }
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "firmware-state.json.corrupt"));
  EXPECT_EQ(state_file(dir.path())["state"], 0);
}

TEST(PersistenceSetup, UnusableStateDirectoryThrowsNamingIt) {
  TempDir dir;
  const auto file = dir.path() / "plain-file";
  { std::ofstream(file) << "x"; }
  auto options = test_options(file);
  try {
    FirmwareUpdateObject object(options, {}, {});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
}

TEST(PersistenceSetup, MissingVerifyKeyThrows) {
  TempDir dir;
  auto options = test_options(dir.path());
  options.verify_key = dir.path() / "no-such-key.pem";
  EXPECT_THROW(FirmwareUpdateObject(options, {}, {}), std::runtime_error);
}

}  // namespace
}  // namespace fc::refclient::testing
