// PULL over HTTP (reference §4.3): a loopback cpp-httplib repository and the faults that end
// a download (connection refused, closed early, stalled, 404, oversized, corrupted).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "firmware_harness.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

// A loopback TCP port with nothing listening: bound, never listened, closed after the test.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class HttpPullTest : public ::testing::Test {
 protected:
  TempDir dir;
  const Bytes package = make_package("2.0.0", 20000);

  FirmwareOptions options() const {
    auto opts = test_options(dir.path());
    // MAX_TRANSMIT_WAIT = 0.3 * 7 * 1.5 = 3.15 s: roomy on a loaded machine, short for a stall.
    opts.ack_timeout = 0.3;
    opts.max_retransmit = 2;
    return opts;
  }
  bool pull(FirmwareHarness& fw, const std::string& uri, int state, int result,
            milliseconds budget = milliseconds(10000)) {
    const auto answer = fw->write(1, lwm2m::Value(uri));
    EXPECT_TRUE(is(answer, 2, 4)) << answer.diagnostic;
    return fw.await(state, result, budget);
  }
};

TEST_F(HttpPullTest, DownloadsTheWholeBody) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  ASSERT_TRUE(pull(fw, repository.uri(), 2, 0));
  EXPECT_EQ(repository.requests_served(), 1);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "slot-a.bin"), package.size());
  EXPECT_EQ(fw.read_string(7), "2.0.0");
}

TEST_F(HttpPullTest, NotFoundGivesResult7) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  ASSERT_TRUE(pull(fw, repository.uri("/fw/missing.bin"), 0, 7));
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
}

TEST_F(HttpPullTest, ConnectionRefusedGivesResult4) {
  FirmwareHarness fw(options());
  RefusingPort port;
  ASSERT_TRUE(pull(fw, "http://127.0.0.1:" + std::to_string(port.port()) + "/fw.bin", 0, 4));
}

TEST_F(HttpPullTest, ConnectionClosedEarlyGivesResult4) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  repository.close_after_bytes = 5000;
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 4));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "slot-a.bin.part"));
}

TEST_F(HttpPullTest, StalledTransferTimesOutWithResult4) {
  auto opts = options();
  opts.ack_timeout = 0.1;
  opts.max_retransmit = 1;  // read timeout 0.45 s
  FirmwareHarness fw(opts);
  HttpRepository repository(package);
  repository.stall_after_bytes = 4096;
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 4, milliseconds(5000)));
}

TEST_F(HttpPullTest, ContentLengthBeyondFlashGivesResult2) {
  auto opts = options();
  opts.flash_size = 10000;
  FirmwareHarness fw(opts);
  HttpRepository repository(package);
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 2));
}

TEST_F(HttpPullTest, CorruptedPackageGivesResult5) {
  FirmwareHarness fw(options());
  HttpRepository repository(with_flipped_image_byte(package));
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 5));
}

TEST_F(HttpPullTest, WrongMagicGivesResult6) {
  FirmwareHarness fw(options());
  HttpRepository repository(with_wrong_magic(package));
  ASSERT_TRUE(pull(fw, repository.uri(), 0, 6));
}

TEST_F(HttpPullTest, ResetDuringAStalledTransferReturnsPromptly) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  repository.stall_after_bytes = 4096;
  ASSERT_TRUE(is(fw->write(1, lwm2m::Value(repository.uri())), 2, 4));
  ASSERT_TRUE(fw.pump_until([&] { return fw->state() == 1 && repository.requests_served() == 1; },
                            milliseconds(5000)));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(is(fw->write(1, lwm2m::Value("")), 2, 4));
  EXPECT_LT(std::chrono::steady_clock::now() - before, milliseconds(2000));
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 0);
  EXPECT_TRUE(fw->wait_fds().empty());
}

}  // namespace
}  // namespace fc::refclient::testing
