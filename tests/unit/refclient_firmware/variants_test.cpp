// Each --variant makes the legal choice its table row names, and nothing else changes: one
// behaviour asserted per variant that lives in the firmware object.
#include "refclient/firmware/variants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "firmware_harness.h"
#include "refclient/firmware/mutants.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

TEST(VariantTable, NamesAreUniqueDocumentedAndNoMutant) {
  std::set<std::string_view> names;
  for (const auto& v : all_variants()) {
    EXPECT_TRUE(names.insert(v.name).second) << v.name;
    EXPECT_FALSE(v.allowance.empty()) << v.name;
    EXPECT_FALSE(v.behaviour.empty()) << v.name;
    EXPECT_TRUE(is_known_variant(v.name)) << v.name;
    EXPECT_FALSE(is_known_mutant(v.name)) << v.name << " is also a mutant";
  }
  EXPECT_EQ(names.size(), 10u);
  EXPECT_FALSE(is_known_variant("no-such-variant"));
  EXPECT_FALSE(is_known_variant(mutant::kNoIntegrityCheck));
}

class Variant : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 3000);

  FirmwareOptions with(std::string_view variant) {
    auto options = test_options(dir.path());
    options.variants.insert(std::string(variant));
    return options;
  }
  static void download(FirmwareHarness& fw, const Bytes& bytes) {
    ASSERT_TRUE(is(fw.push(bytes, 1024).back().answer, 2, 4));
  }
  static bool notified_state(const FirmwareHarness& fw, int state) {
    return std::find(fw.state_timeline.begin(), fw.state_timeline.end(), state) != fw.state_timeline.end();
  }
};

TEST_F(Variant, IntegrityAtUpdateReachesDownloadedThenFailsUpdateWithResult5) {
  FirmwareHarness fw(with(variant::kIntegrityAtUpdate));
  download(fw, with_flipped_image_byte(package));
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 0);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_EQ(fw->state(), 3);
  fw->poll();
  EXPECT_EQ(fw->state(), 0);  // T11
  EXPECT_EQ(fw->update_result(), 5);
  EXPECT_EQ(fw.restart_requests, 0);
  EXPECT_EQ(fw->running_version(), "1.0.0");
}

TEST_F(Variant, IntegrityAtUpdateStillRefusesAnUnknownPackageTypeAtDownload) {
  FirmwareHarness fw(with(variant::kIntegrityAtUpdate));
  EXPECT_TRUE(is(fw.push(with_wrong_magic(package), 1024).back().answer, 4, 15));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 6);
}

TEST_F(Variant, NoUpdatingStateNeverShowsOrNotifiesState3) {
  FirmwareHarness fw(with(variant::kNoUpdatingState));
  download(fw, package);
  fw.clear_changes();
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_EQ(fw->state(), 3);          // installing inside
  EXPECT_EQ(fw.read_int(3), 2);       // but a Read shows Downloaded
  EXPECT_EQ(fw.read_int(5), 0);
  EXPECT_FALSE(notified_state(fw, 3));
  fw->poll();
  EXPECT_EQ(fw.restart_requests, 1);
  fw.restart();
  EXPECT_EQ(fw.read_int(3), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Variant, DecideAfterRestartStaysUpdatingUntilRegisteredThenNotifiesTheOutcome) {
  FirmwareHarness fw(with(variant::kDecideAfterRestart));
  download(fw, package);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw->poll();
  ASSERT_EQ(fw.restart_requests, 1);
  fw.restart();
  EXPECT_EQ(fw->state(), 3);  // back up, not decided yet
  EXPECT_EQ(fw->update_result(), 0);
  fw->poll();
  EXPECT_EQ(fw->state(), 3);  // nothing happens before the Register
  fw.clear_changes();
  fw->registered();
  ASSERT_TRUE(fw.await(0, 1));
  EXPECT_TRUE(notified_state(fw, 0));
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Variant, DecideAfterRestartRollsBackAfterRegisteringToo) {
  FirmwareHarness fw(with(variant::kDecideAfterRestart));
  download(fw, make_package("2.0.0", 3000, package::kFlagFailFirstBoot));
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw->poll();
  fw.restart();
  EXPECT_EQ(fw->state(), 3);
  fw->registered();
  ASSERT_TRUE(fw.await(2, 8));
  EXPECT_EQ(fw->running_version(), "1.0.0");
}

TEST_F(Variant, Block1Busy503RefusesAPushWhilePullingButTakesTheReset) {
  FirmwareHarness fw(with(variant::kBlock1Busy503));
  CoapRepository repository(package);
  repository.silent_after = 1;  // the pull stays in State 1
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return fw->state() == 1; }, milliseconds(5000), [&] { repository.poll(); }));
  EXPECT_TRUE(is(fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5), 5, 3));
  EXPECT_EQ(fw->state(), 1);
  const Bytes nul{0};
  EXPECT_TRUE(is(fw->write_package_block(0, nul, false, std::nullopt, 6), 2, 4));  // T6 still works
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Variant, Block1Busy503RefusesAPushWhileInstalling) {
  auto options = with(variant::kBlock1Busy503);
  options.install_time = std::chrono::seconds(60);
  FirmwareHarness fw(options);
  download(fw, package);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_TRUE(is(fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5), 5, 3));
  EXPECT_EQ(fw->state(), 3);
}

TEST_F(Variant, Block1Busy503KeepsTheUsualAnswersWhenNotBusy) {
  FirmwareHarness fw(with(variant::kBlock1Busy503));
  download(fw, package);  // Idle: a push is taken
  EXPECT_TRUE(is(fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5), 4, 0));
}

TEST_F(Variant, BadUri400RefusesAMalformedUriWithResult7) {
  FirmwareHarness fw(with(variant::kBadUri400));
  const auto answer = fw->write(1, lwm2m::Value("coap://[::1/fw"));
  EXPECT_TRUE(is(answer, 4, 0)) << answer.diagnostic;
  EXPECT_EQ(fw->update_result(), 7);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw.read_string(1), "");
  fw->poll();
  EXPECT_EQ(fw->state(), 0);  // no download, no State 1
}

TEST_F(Variant, BadUri400RefusesAnUnclaimedSchemeWithResult9) {
  FirmwareHarness fw(with(variant::kBadUri400));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 4, 0));
  EXPECT_EQ(fw->update_result(), 9);
  EXPECT_EQ(fw->state(), 0);
}

TEST_F(Variant, BadUri400StillTakesAGoodUriAndAnUnreachableOne) {
  FirmwareHarness fw(with(variant::kBadUri400));
  // Well formed but nobody answers: that is only known by trying (Result 4 later, not 4.00).
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1:9/fw.bin")), 2, 4));
  fw->poll();
  EXPECT_EQ(fw->state(), 1);
}

TEST_F(Variant, NoV11ResourcesLeavesOutResources10To13) {
  FirmwareHarness fw(with(variant::kNoV11Resources));
  for (const std::uint16_t resource : std::initializer_list<std::uint16_t>{10, 11, 12, 13}) {
    EXPECT_FALSE(fw->is_defined(resource)) << resource;
    EXPECT_FALSE(fw->read(resource).has_value()) << resource;
  }
  EXPECT_TRUE(is(fw->execute(10, ""), 4, 4));
  EXPECT_TRUE(is(fw->write(13, lwm2m::Value(std::int64_t{60})), 4, 4));
  EXPECT_TRUE(fw->is_defined(9));
  for (const auto& record : fw->read_instance()) EXPECT_LE(record.path.resource(), 9) << record.path.str();
}

}  // namespace
}  // namespace fc::refclient::testing
