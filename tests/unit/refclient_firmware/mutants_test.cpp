// Each --mutant breaks exactly the rule its table row names; one deviation asserted per mutant.
#include "refclient/firmware/mutants.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <set>
#include <variant>

#include "firmware_harness.h"
#include "refclient/firmware/package_receiver.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

TEST(MutantTable, HasAtLeastFifteenUniqueDocumentedNames) {
  const auto& table = all_mutants();
  EXPECT_GE(table.size(), 15u);
  std::set<std::string_view> names;
  for (const auto& m : table) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_FALSE(m.clause.empty()) << m.name;
    EXPECT_FALSE(m.behaviour.empty()) << m.name;
    EXPECT_TRUE(is_known_mutant(m.name)) << m.name;
  }
  EXPECT_FALSE(is_known_mutant("no-such-mutant"));
  EXPECT_FALSE(is_known_mutant(""));
}

TEST(MutantTable, ContainsEveryNameIssue3Requires) {
  for (const char* name :
       {"result-not-reset-on-download", "success-at-downloaded", "update-in-idle", "no-integrity-check",
        "flash-full-as-update-failed", "stuck-downloading-on-connection-loss",
        "empty-uri-ignored-in-downloaded", "starts-downloading", "no-state-notify",
        "firmware-version-not-updated", "rollback-as-success", "read-package-content",
        "package-uri-not-readable", "result-kept-across-download", "forget-downloaded-on-restart",
        "result-8-stays-updating", "unsupported-protocol-as-invalid-uri"}) {
    EXPECT_TRUE(is_known_mutant(name)) << name;
  }
}

class Mutant : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 3000);

  FirmwareOptions with(std::string_view mutant) {
    auto options = test_options(dir.path());
    options.mutants.insert(std::string(mutant));
    return options;
  }
  static void stale_result_9(FirmwareHarness& fw) {
    ASSERT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 2, 4));
    fw->poll();
    ASSERT_EQ(fw->update_result(), 9);
  }
  void download(FirmwareHarness& fw, const Bytes& bytes) {
    ASSERT_TRUE(is(fw.push(bytes, 1024).back().answer, 2, 4));
  }
  static void update_and_restart(FirmwareHarness& fw) {
    ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
    fw->poll();
    fw.restart();
  }
  CoapAnswer first_block(FirmwareHarness& fw) {
    return fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5);
  }
};

TEST_F(Mutant, ResultNotResetOnDownload) {
  FirmwareHarness fw(with(mutant::kResultNotResetOnDownload));
  stale_result_9(fw);
  ASSERT_TRUE(is(first_block(fw), 2, 31));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw->update_result(), 9);
}

TEST_F(Mutant, SuccessAtDownloaded) {
  FirmwareHarness fw(with(mutant::kSuccessAtDownloaded));
  download(fw, package);
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 1);
}

TEST_F(Mutant, UpdateInIdle) {
  FirmwareHarness fw(with(mutant::kUpdateInIdle));
  EXPECT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_EQ(fw->state(), 3);
  fw->poll();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 8);
}

TEST_F(Mutant, NoIntegrityCheck) {
  FirmwareHarness fw(with(mutant::kNoIntegrityCheck));
  download(fw, with_flipped_image_byte(package));
  EXPECT_EQ(fw->state(), 2);
  update_and_restart(fw);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Mutant, FlashFullAsUpdateFailed) {
  auto options = with(mutant::kFlashFullAsUpdateFailed);
  options.flash_size = 2000;
  FirmwareHarness fw(options);
  EXPECT_TRUE(is(fw.push(package, 512, package.size()).back().answer, 4, 13));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 8);
}

TEST_F(Mutant, OutOfRamAsFlashFull) {
  auto options = with(mutant::kOutOfRamAsFlashFull);
  options.ram_limit = kRamOverhead + 300;
  FirmwareHarness fw(options);
  EXPECT_TRUE(is(fw.push(package, 512).back().answer, 5, 0));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 2);
}

TEST_F(Mutant, ResultClearedSoonAfterFailure) {
  auto options = with(mutant::kResultClearedSoonAfterFailure);
  options.ram_limit = kRamOverhead + 300;
  FirmwareHarness fw(options);
  fw.push(package, 512);
  ASSERT_EQ(fw->update_result(), 3);
  EXPECT_TRUE(fw.pump_until([&] { return fw->update_result() == 0; }, std::chrono::milliseconds(5000)));
  EXPECT_EQ(fw->state(), 0);
}

TEST_F(Mutant, StuckDownloadingOnConnectionLoss) {
  FirmwareHarness fw(with(mutant::kStuckDownloadingOnConnectionLoss));
  CoapRepository repository(package);
  repository.silent_after = 2;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  // The download is over once the object waits on no socket any more.
  ASSERT_TRUE(fw.pump_until([&] { return fw->state() == 1 && fw->wait_fds().empty(); }, milliseconds(5000),
                            [&] { repository.poll(); }));
  EXPECT_EQ(repository.blocks_served(), 2u);
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Mutant, EmptyUriIgnoredInDownloaded) {
  FirmwareHarness fw(with(mutant::kEmptyUriIgnoredInDownloaded));
  download(fw, package);
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->state(), 2);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "slot-a.bin"));
}

TEST_F(Mutant, StartsDownloading) {
  FirmwareHarness fw(with(mutant::kStartsDownloading));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Mutant, NoStateNotify) {
  FirmwareHarness fw(with(mutant::kNoStateNotify));
  download(fw, package);
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(std::count(fw.changes.begin(), fw.changes.end(), 3), 0);
  EXPECT_EQ(std::count(fw.changes.begin(), fw.changes.end(), 12), 2);  // 0 -> 1 -> 2 still timed
}

TEST_F(Mutant, FirmwareVersionNotUpdated) {
  FirmwareHarness fw(with(mutant::kFirmwareVersionNotUpdated));
  download(fw, package);
  update_and_restart(fw);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "1.0.0");
  EXPECT_EQ(fw.read_string(7), "2.0.0");
}

TEST_F(Mutant, RollbackAsSuccess) {
  FirmwareHarness fw(with(mutant::kRollbackAsSuccess));
  download(fw, make_package("2.0.0", 3000, package::kFlagFailFirstBoot));
  update_and_restart(fw);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "1.0.0");
}

TEST_F(Mutant, ReadPackageContent) {
  FirmwareHarness fw(with(mutant::kReadPackageContent));
  EXPECT_TRUE(fw->mutant(mutant::kReadPackageContent));
  EXPECT_FALSE(fw->mutant(mutant::kNoStateNotify));
  download(fw, package);
  const auto records = fw->read(0);
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().path, (lwm2m::Path{5, 0, 0}));
  EXPECT_EQ(records->front().value.as_bytes(), Bytes(package.begin(), package.begin() + 1024));
}

TEST_F(Mutant, PackageUriNotReadable) {
  FirmwareHarness fw(with(mutant::kPackageUriNotReadable));
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 2, 4));
  EXPECT_EQ(fw.read_string(1), "");
}

TEST_F(Mutant, ResultKeptAcrossDownloadKeepsOnlyErrors) {
  FirmwareHarness fw(with(mutant::kResultKeptAcrossDownload));
  stale_result_9(fw);
  ASSERT_TRUE(is(first_block(fw), 2, 31));
  EXPECT_EQ(fw->update_result(), 9);
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  download(fw, package);
  update_and_restart(fw);
  ASSERT_EQ(fw->update_result(), 1);
  ASSERT_TRUE(is(fw->write_package_block(0, ByteView(package).first(512), true, std::nullopt, 5), 2, 31));
  EXPECT_EQ(fw->update_result(), 0);  // 1 is not an error: reset as the rule says
}

TEST_F(Mutant, ForgetDownloadedOnRestart) {
  FirmwareHarness fw(with(mutant::kForgetDownloadedOnRestart));
  download(fw, package);
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin"));
}

TEST_F(Mutant, Result8StaysUpdating) {
  FirmwareHarness fw(with(mutant::kResult8StaysUpdating));
  download(fw, make_package("2.0.0", 3000, package::kFlagFailFirstBoot));
  update_and_restart(fw);
  EXPECT_EQ(fw->state(), 3);
  EXPECT_EQ(fw->update_result(), 8);
}

TEST_F(Mutant, UnsupportedProtocolAsInvalidUri) {
  FirmwareHarness fw(with(mutant::kUnsupportedProtocolAsInvalidUri));
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("ftp://127.0.0.1/fw.bin")), 2, 4));
  fw->poll();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 7);
}

TEST_F(Mutant, ResetKeepsResultInIdle) {
  FirmwareHarness fw(with(mutant::kResetKeepsResultInIdle));
  stale_result_9(fw);
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->update_result(), 9);
}

TEST_F(Mutant, UriAcceptedWhileBusy) {
  FirmwareHarness fw(with(mutant::kUriAcceptedWhileBusy));
  ASSERT_TRUE(is(first_block(fw), 2, 31));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/other")), 2, 4));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw.read_string(1), "");
}

TEST_F(Mutant, OutOfOrderBlockAccepted) {
  FirmwareHarness fw(with(mutant::kOutOfOrderBlockAccepted));
  ASSERT_TRUE(is(first_block(fw), 2, 31));
  EXPECT_TRUE(
      is(fw->write_package_block(1024, ByteView(package).subspan(1024, 512), true, std::nullopt, 5), 2, 31));
  EXPECT_EQ(fw->state(), 1);
}

TEST_F(Mutant, CancelInUpdating) {
  FirmwareHarness fw(with(mutant::kCancelInUpdating));
  download(fw, package);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_TRUE(is(fw->execute(10, ""), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 10);
}

TEST_F(Mutant, SuccessWithOldImageFromTheSecondInstall) {
  FirmwareHarness fw(with(mutant::kSuccessWithOldImage));
  download(fw, package);
  update_and_restart(fw);
  ASSERT_EQ(fw->running_version(), "2.0.0");  // the first install boots
  download(fw, make_package("3.0.0", 3000));
  update_and_restart(fw);
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Mutant, VersionAtDownloadedKeptAfterRollback) {
  FirmwareHarness fw(with(mutant::kVersionAtDownloaded));
  download(fw, make_package("2.0.0", 3000, package::kFlagFailFirstBoot));
  EXPECT_EQ(fw->running_version(), "2.0.0");  // in State 2, before any install
  update_and_restart(fw);
  EXPECT_EQ(fw->update_result(), 8);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

TEST_F(Mutant, ResultSuccessWhileUpdating) {
  FirmwareHarness fw(with(mutant::kResultSuccessWhileUpdating));
  download(fw, package);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw->poll();  // the install: Result 1 before the restart
  EXPECT_EQ(fw->state(), 3);
  EXPECT_EQ(fw->update_result(), 1);
}

TEST_F(Mutant, NoResultNotify) {
  FirmwareHarness fw(with(mutant::kNoResultNotify));
  stale_result_9(fw);
  EXPECT_EQ(std::count(fw.changes.begin(), fw.changes.end(), 5), 0);
}

TEST_F(Mutant, FullLastBlockNotFinal) {
  FirmwareHarness fw(with(mutant::kFullLastBlockNotFinal));
  const auto exact = make_package("2.0.0", 4096);
  const auto full = exact.size() - exact.size() % 512;
  // The last block (M=0) is full: answered as if more were to come, and the device waits.
  EXPECT_TRUE(is(fw.push(ByteView(exact).first(full), 512).back().answer, 2, 31));
  EXPECT_EQ(fw->state(), 1);
}

TEST_F(Mutant, UpdateResultWritable) {
  FirmwareHarness fw(with(mutant::kUpdateResultWritable));
  EXPECT_TRUE(is(fw->write(5, lwm2m::Value(std::int64_t{1})), 2, 4));
  EXPECT_EQ(fw->update_result(), 1);
}

TEST_F(Mutant, ShortUriBuffer) {
  FirmwareHarness fw(with(mutant::kShortUriBuffer));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/" + std::string(120, 'a'))), 4, 0));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/" + std::string(100, 'a'))), 2, 4));
}

TEST_F(Mutant, HttpErrorsAsConnectionLost) {
  FirmwareHarness fw(with(mutant::kHttpErrorsAsConnectionLost));
  HttpRepository repository(package);
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri("/fw/missing.bin"))), 2, 4));
  EXPECT_TRUE(fw.await(0, 4, milliseconds(10000)));
}

TEST_F(Mutant, ClaimsUnservedProtocols) {
  FirmwareHarness fw(with(mutant::kClaimsUnservedProtocols));
  const auto claimed = fw->read(8);
  ASSERT_TRUE(claimed.has_value());
  EXPECT_EQ(claimed->size(), 6u);
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value("coaps://127.0.0.1/fw.bin")), 2, 4));
  fw->poll();
  EXPECT_EQ(fw->update_result(), 9);
}

TEST_F(Mutant, PushClaimedButRefused) {
  FirmwareHarness fw(with(mutant::kPushClaimedButRefused));
  EXPECT_EQ(fw.read_int(9), 2);
  EXPECT_TRUE(is(fw.push(package, 1024).back().answer, 4, 5));
  EXPECT_TRUE(is(fw->write_package_block(0, Bytes{0}, false, std::nullopt, 6), 2, 4));  // a reset still works
}

TEST_F(Mutant, RefusedPushDropsPackage) {
  FirmwareHarness fw(with(mutant::kRefusedPushDropsPackage));
  download(fw, package);
  EXPECT_TRUE(is(fw.push(package, 4096).back().answer, 4, 0));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Mutant, RefusedUriAbortsDownload) {
  FirmwareHarness fw(with(mutant::kRefusedUriAbortsDownload));
  ASSERT_TRUE(is(first_block(fw), 2, 31));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/other")), 4, 0));
  EXPECT_EQ(fw->state(), 0);
}

TEST_F(Mutant, RefusedPushAbortsPull) {
  FirmwareHarness fw(with(mutant::kRefusedPushAbortsPull));
  // A pull running (its repository went silent after two blocks) and a push into it.
  CoapRepository repository(package);
  repository.silent_after = 2;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return repository.blocks_served() == 2; }, milliseconds(5000),
                            [&] { repository.poll(); }));
  ASSERT_EQ(fw->state(), 1);
  EXPECT_TRUE(is(first_block(fw), 4, 0));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Mutant, UriInUpdatingAbortsInstall) {
  FirmwareHarness fw(with(mutant::kUriInUpdatingAbortsInstall));
  download(fw, package);
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("coap://127.0.0.1/other")), 2, 4));
  EXPECT_EQ(fw->state(), 2);
  EXPECT_EQ(fw->update_result(), 8);
}

TEST_F(Mutant, PkgNameAsInteger) {
  FirmwareHarness fw(with(mutant::kPkgNameAsInteger));
  download(fw, package);
  const auto name = fw->read(6);
  ASSERT_TRUE(name.has_value());
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(name->front().value.storage()));
}

TEST_F(Mutant, ResultClearedAtBoot) {
  FirmwareHarness fw(with(mutant::kResultClearedAtBoot));
  stale_result_9(fw);
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_EQ(fw.read_string(1), "");
}

// The correct client keeps the failure across a restart: what the mutant above breaks.
TEST_F(Mutant, WithoutMutantsAFailureStandsAcrossARestart) {
  FirmwareHarness fw(test_options(dir.path()));
  stale_result_9(fw);
  fw.restart();
  EXPECT_EQ(fw->update_result(), 9);
}

// Each of the four below next to the correct client under the same fault: Result 4 in State 0.
TEST_F(Mutant, Http5xxStaysDownloading) {
  HttpRepository repository(package);
  repository.status = 503;
  FirmwareHarness correct(test_options(dir.path() / "correct"));
  ASSERT_TRUE(is(correct->write(1, lwm2m::Value(repository.uri())), 2, 4));
  EXPECT_TRUE(correct.await(0, 4));
  FirmwareHarness fw(with(mutant::kHttp5xxStaysDownloading));
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return repository.requests_served() == 2 && fw->wait_fds().empty(); },
                            milliseconds(5000)));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_EQ(fw->update_result(), 0);
}

// A pull of `uri` by the correct client (Result 4 in State 0 within 5 s: its deadlines are
// 0.45 s) and of `mutant_uri` by `mutant`, still in State 1 with Result 0 two seconds later.
void expect_only_the_mutant_keeps_downloading(const FirmwareOptions& correct_options,
                                              const FirmwareOptions& mutant_options, const std::string& uri,
                                              const std::string& mutant_uri, const std::function<void()>& pump) {
  FirmwareHarness correct(correct_options);
  ASSERT_TRUE(is(correct->write(1, lwm2m::Value(uri)), 2, 4));
  EXPECT_TRUE(correct.await(0, 4, milliseconds(5000), pump));
  FirmwareHarness fw(mutant_options);
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(mutant_uri)), 2, 4));
  EXPECT_FALSE(fw.pump_until([&] { return fw->state() != 1; }, milliseconds(2000), pump));
  EXPECT_EQ(fw->update_result(), 0);
}

TEST_F(Mutant, HttpStallWaitsForever) {
  HttpRepository repository(package);
  repository.stall_after_bytes = 1024;
  expect_only_the_mutant_keeps_downloading(test_options(dir.path() / "correct"),
                                           with(mutant::kHttpStallWaitsForever), repository.uri(), repository.uri(),
                                           {});
}

TEST_F(Mutant, SeparateResponseWaitsForever) {
  // One repository per client: each serves blocks 0 and 1, then acknowledges requests only.
  CoapRepository for_correct(package);
  CoapRepository repository(package);
  for_correct.ack_only_after = repository.ack_only_after = 2;
  expect_only_the_mutant_keeps_downloading(test_options(dir.path() / "correct"),
                                           with(mutant::kSeparateResponseWaitsForever), for_correct.uri(),
                                           repository.uri(), [&] {
                                             for_correct.poll();
                                             repository.poll();
                                           });
  EXPECT_EQ(repository.blocks_served(), 2u);
}

TEST_F(Mutant, AbandonedPushKept) {
  // Blocks 0 and 1 of a longer push, each announcing more to come; then nothing.
  auto abandon_push = [&](FirmwareHarness& fw) {
    for (std::uint64_t offset : {0u, 512u})
      ASSERT_TRUE(is(fw->write_package_block(offset, ByteView(package).subspan(offset, 512), true, std::nullopt, 5), 2,
                     31));
  };
  FirmwareHarness correct(test_options(dir.path() / "correct"));  // gives up after 0.45 s
  abandon_push(correct);
  EXPECT_TRUE(correct.await(0, 4));
  EXPECT_TRUE(is(correct.push(package, 512).back().answer, 2, 4));
  EXPECT_EQ(correct->state(), 2);

  FirmwareHarness fw(with(mutant::kAbandonedPushKept));
  abandon_push(fw);
  EXPECT_FALSE(fw.pump_until([&] { return fw->state() != 1; }, milliseconds(2000)));
  EXPECT_EQ(fw->update_result(), 0);
}

}  // namespace
}  // namespace fc::refclient::testing
