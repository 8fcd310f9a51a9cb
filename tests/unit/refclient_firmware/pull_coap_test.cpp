// PULL over CoAP (reference §4.3): Block2 downloads from a loopback libcoap repository, and
// each network fault with the Update Result it must end in (ETS 773-778).
#include <gtest/gtest.h>

#include <filesystem>

#include "firmware_harness.h"
#include "refclient/firmware/package_receiver.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

class CoapPullTest : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 3000);  // 3082 bytes: 13 blocks of 256

  FirmwareOptions options() const { return test_options(dir.path()); }

  // Writes the URI, then pumps client and repository until State/Result settle as expected.
  bool pull(FirmwareHarness& fw, CoapRepository& repository, const std::string& uri, int state, int result,
            milliseconds budget = milliseconds(5000)) {
    const auto answer = fw->write(1, lwm2m::Value(uri));
    EXPECT_TRUE(is(answer, 2, 4)) << answer.diagnostic;
    return fw.await(state, result, budget, [&] { repository.poll(); });
  }
};

TEST_F(CoapPullTest, DownloadsEveryBlockIntoTheSlot) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 2, 0));
  EXPECT_EQ(repository.blocks_served(), 13u);
  EXPECT_TRUE(repository.first_request_asked_size2());
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "slot-a.bin"), package.size());
  EXPECT_TRUE(fw->wait_fds().empty());
}

TEST_F(CoapPullTest, LargeBlocksWhenTheRepositoryAllowsThem) {
  FirmwareHarness fw(options());
  CoapRepository repository(package, 6);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 2, 0));
  EXPECT_EQ(repository.blocks_served(), 4u);
}

TEST_F(CoapPullTest, PulledPackageInstallsAfterRestart) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 2, 0));
  ASSERT_TRUE(is(fw->execute(2, ""), 2, 4));
  fw->poll();
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 1);
  EXPECT_EQ(fw->running_version(), "2.0.0");
}

// Size2 in the first answer lets the client refuse before storing anything.
TEST_F(CoapPullTest, Size2BeyondFlashGivesResult2AfterOneBlock) {
  auto opts = options();
  opts.flash_size = 1000;
  FirmwareHarness fw(opts);
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 2));
  EXPECT_EQ(repository.blocks_served(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

TEST_F(CoapPullTest, BlockLargerThanRamGivesResult3) {
  auto opts = options();
  opts.ram_limit = kRamOverhead + 200;
  FirmwareHarness fw(opts);
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 3));
}

// ETS 775: the repository stops answering; every retransmission expires.
TEST_F(CoapPullTest, DeadLinkGivesResult4) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = 3;
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 4));
  EXPECT_EQ(repository.blocks_served(), 3u);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

// Never splice two images.
TEST_F(CoapPullTest, EtagChangeAbortsWithResult4) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.etag_change_after = 2;
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 4));
  EXPECT_EQ(repository.blocks_served(), 3u);
}

TEST_F(CoapPullTest, AnswerForAnotherBlockAbortsWithResult4) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.wrong_block_after = 1;
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 4));
  EXPECT_EQ(repository.blocks_served(), 2u);
}

// ETS 778: 2.04 to the Write, State 1, then 0 with Result 7.
TEST_F(CoapPullTest, NotFoundGivesResult7) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri("fw/missing.bin"), 0, 7));
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(CoapPullTest, MalformedUrisGiveResult7) {
  CoapRepository repository(package);
  for (const std::string uri :
       {"coap://", "coap://127.0.0.1:99999/fw", "coap//127.0.0.1/fw", "not a uri", "coap://127.0.0.1/%zz"}) {
    TempDir own;
    FirmwareHarness fw(test_options(own.path()));
    EXPECT_TRUE(pull(fw, repository, uri, 0, 7)) << uri;
    EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0})) << uri;
  }
}

TEST_F(CoapPullTest, UnresolvableHostGivesResult7) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, "coap://no-such-host.invalid/fw.bin", 0, 7, milliseconds(15000)));
}

// §3.2 rule 6, spec-literal: 2.04 to the Write, then Result 9 with State staying 0.
TEST_F(CoapPullTest, UnsupportedSchemesGiveResult9WithoutLeavingIdle) {
  CoapRepository repository(package);
  for (const std::string uri : {"ftp://127.0.0.1/fw.bin", "coaps://127.0.0.1/fw.bin",
                                "https://127.0.0.1/fw.bin", "coap+tcp://127.0.0.1/fw.bin"}) {
    TempDir own;
    FirmwareHarness fw(test_options(own.path()));
    EXPECT_TRUE(pull(fw, repository, uri, 0, 9)) << uri;
    EXPECT_TRUE(fw.state_timeline.empty()) << uri;
  }
}

// Claimed in /5/0/8 and implemented, but no repository credentials to speak DTLS with: the
// download starts and ends with Result 4, never 9.
TEST_F(CoapPullTest, ClaimedCoapsWithoutRepositoryCredentialsGivesResult4) {
  auto opts = options();
  opts.protocols = {0, 1, 2};
  FirmwareHarness fw(opts);
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, "coaps://127.0.0.1/fw.bin", 0, 4));
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(CoapPullTest, UnclaimedButImplementedSchemeGivesResult9) {
  auto opts = options();
  opts.protocols = {2};
  FirmwareHarness fw(opts);
  CoapRepository repository(package);
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 9));
  EXPECT_EQ(repository.requests_seen(), 0u);
}

TEST_F(CoapPullTest, CorruptedPackageGivesResult5) {
  FirmwareHarness fw(options());
  CoapRepository repository(with_flipped_image_byte(package));
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 5));
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(CoapPullTest, WrongMagicGivesResult6AtTheFirstBlock) {
  FirmwareHarness fw(options());
  CoapRepository repository(with_wrong_magic(package));
  ASSERT_TRUE(pull(fw, repository, repository.uri(), 0, 6));
  EXPECT_EQ(repository.blocks_served(), 1u);
}

TEST_F(CoapPullTest, EmptyUriDuringPullAbortsIt) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = 2;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return repository.blocks_served() == 2; }, milliseconds(3000),
                            [&] { repository.poll(); }));
  EXPECT_EQ(fw->state(), 1);
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_TRUE(fw->wait_fds().empty());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

TEST_F(CoapPullTest, CancelDuringPullGivesResult10) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = 2;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return repository.blocks_served() == 2; }, milliseconds(3000),
                            [&] { repository.poll(); }));
  EXPECT_TRUE(is(fw->execute(10, ""), 2, 4));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 10);
}

TEST_F(CoapPullTest, PushDuringPullIsRejected) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = 1;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  fw->poll();
  ASSERT_EQ(fw->state(), 1);
  EXPECT_TRUE(is(fw.push(package, 512).front().answer, 4, 0));
}

}  // namespace
}  // namespace fc::refclient::testing
