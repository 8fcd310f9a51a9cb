// --resume-downloads (docs/refclient.md, Resumption; reference §4.3): a pull cut by a lost
// link or a restart continues from the bytes held (CoAP: the next Block2, with the ETag begun;
// HTTP: Range with If-Match of the strong ETag) and starts over when the representation is
// another one (another ETag, 412) or was named by a weak ETag. Loopback repositories only;
// the pause between tries is shortened through FirmwareOptions::resume_pause.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "firmware_harness.h"
#include "refclient/firmware/download_resumption.h"
#include "test_repositories.h"

namespace fc::refclient::testing {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

bool is(const CoapAnswer& answer, int code_class, int code_detail) {
  return answer.code_class == code_class && answer.code_detail == code_detail;
}

Bytes file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& file, const Bytes& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

nlohmann::json resume_file(const fs::path& dir) {
  std::ifstream in(dir / kResumeFileName);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

class Resumption : public ::testing::Test {
 protected:
  TempDir dir;

  FirmwareOptions options(bool resume = true) const {
    auto opts = test_options(dir.path());
    opts.resume_downloads = resume;
    // Long enough that a test sees the client between two tries (no pull open), short
    // enough that kMaxResumeAttempts tries take well under a second.
    opts.resume_pause = milliseconds(200);
    return opts;
  }
  fs::path slot() const { return dir.path() / "slot-a.bin"; }
  fs::path partial() const { return dir.path() / "slot-a.bin.part"; }

  bool write_uri(FirmwareHarness& fw, const std::string& uri) {
    const auto answer = fw->write(1, lwm2m::Value(uri));
    EXPECT_TRUE(is(answer, 2, 4)) << answer.diagnostic;
    return answer.ok();
  }
};

// ---- HTTP: Range with If-Match of the strong ETag --------------------------------------

class HttpResumption : public Resumption {
 protected:
  const Bytes package = make_package("2.0.0", 20000);
  static constexpr std::size_t kCut = 5000;

  FirmwareOptions options(bool resume = true) const {
    auto opts = Resumption::options(resume);
    // MAX_TRANSMIT_WAIT = 0.3 * 7 * 1.5 = 3.15 s, the HTTP read timeout: the cuts here are
    // closed connections, seen at once; a loaded machine must not time a read out.
    opts.ack_timeout = 0.3;
    opts.max_retransmit = 2;
    return opts;
  }
  // A repository that closes the first connection after kCut bytes and serves the next.
  void cut_once(HttpRepository& repository, const std::string& etag) {
    repository.etag = etag;
    repository.close_after_bytes = kCut;
    repository.faulty_requests = 1;
  }
  bool pull(FirmwareHarness& fw, HttpRepository& repository, int state, int result) {
    return write_uri(fw, repository.uri()) && fw.await(state, result, milliseconds(10000));
  }
};

TEST_F(HttpResumption, ClosedConnectionContinuesWithRangeAndIfMatch) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  cut_once(repository, "\"v1\"");
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  const auto seen = repository.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].range, "");
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_EQ(seen[1].range, "bytes=5000-");
  EXPECT_EQ(seen[1].if_match, "\"v1\"");
  EXPECT_EQ(seen[1].status, 206);
  EXPECT_EQ(repository.ranged_requests(), 1);
  // Not one byte fetched twice: the cut head and the ranged tail make one package.
  EXPECT_EQ(repository.bytes_served(), package.size());
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));  // State 1 all through the cut
  EXPECT_EQ(file_bytes(slot()), package);
  EXPECT_EQ(fw.read_string(7), "2.0.0");
  EXPECT_FALSE(fs::exists(dir.path() / kResumeFileName));  // forgotten at completion
}

// The package was replaced during the cut (the ETag is another one): 412, then a whole GET.
TEST_F(HttpResumption, PreconditionFailedStartsOver) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  cut_once(repository, "\"v1\"");
  repository.next_etag = "\"v2\"";
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  const auto seen = repository.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].range, "bytes=5000-");
  EXPECT_EQ(seen[1].if_match, "\"v1\"");
  EXPECT_EQ(seen[1].status, 412);
  EXPECT_EQ(seen[2].range, "");  // from byte 0, no precondition
  EXPECT_EQ(seen[2].if_match, "");
  EXPECT_EQ(seen[2].status, 200);
  EXPECT_EQ(repository.bytes_served(), kCut + package.size());
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(file_bytes(slot()), package);
}

// A weak ETag validates no range (RFC 9110 §13.1.1): the cut download starts over.
TEST_F(HttpResumption, WeakEtagStartsOverWithoutRange) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  cut_once(repository, "W/\"v1\"");
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.requests_served(), 2);
  EXPECT_EQ(repository.ranged_requests(), 0);
  for (const auto& request : repository.seen()) EXPECT_EQ(request.if_match, "");
  EXPECT_EQ(repository.bytes_served(), kCut + package.size());
  EXPECT_EQ(file_bytes(slot()), package);
}

// No ETag, no validator to name the bytes held by: the cut download starts over.
TEST_F(HttpResumption, NoEtagStartsOverWithoutRange) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  repository.close_after_bytes = kCut;
  repository.faulty_requests = 1;
  ASSERT_TRUE(pull(fw, repository, 2, 0));
  EXPECT_EQ(repository.requests_served(), 2);
  EXPECT_EQ(repository.ranged_requests(), 0);
  EXPECT_EQ(file_bytes(slot()), package);
}

// Every connection closes at the cut: kMaxResumeAttempts ranged tries, then Result 4.
TEST_F(HttpResumption, GivesUpWithResult4AfterItsTries) {
  FirmwareHarness fw(options());
  HttpRepository repository(package);
  repository.etag = "\"v1\"";
  repository.close_after_bytes = kCut;
  ASSERT_TRUE(pull(fw, repository, 0, 4));
  const auto seen = repository.seen();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(1 + kMaxResumeAttempts));
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_EQ(seen[i].range, "bytes=5000-") << "request " << i;
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
  EXPECT_FALSE(fs::exists(partial()));
  EXPECT_FALSE(fs::exists(dir.path() / kResumeFileName));
}

// Without the switch the same cut is a lost download (T5 with Result 4), no second request.
TEST_F(HttpResumption, WithoutTheSwitchTheCutGivesResult4) {
  FirmwareHarness fw(options(/*resume=*/false));
  HttpRepository repository(package);
  cut_once(repository, "\"v1\"");
  ASSERT_TRUE(pull(fw, repository, 0, 4));
  EXPECT_EQ(repository.requests_served(), 1);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 0}));
  EXPECT_FALSE(fs::exists(partial()));
  EXPECT_FALSE(fs::exists(dir.path() / kResumeFileName));
}

// ---- CoAP: the next Block2 with the ETag begun ----------------------------------------

class CoapResumption : public Resumption {
 protected:
  const Bytes package = make_package("2.0.0", 3000);  // 3082 bytes: 13 blocks of 256
  static constexpr std::size_t kBlock = 256;
  static constexpr std::size_t kHeld = 5;  // blocks served before the repository goes silent
  static constexpr std::size_t kBlocks = 13;

  // Pumps until the client gave its pull up on the silent repository: State 1, no connection
  // open while it waits for its next try.
  bool await_cut(FirmwareHarness& fw, CoapRepository& repository) {
    return fw.pump_until(
        [&] { return repository.blocks_served() >= kHeld && fw->state() == 1 && fw->wait_fds().empty(); },
        milliseconds(5000), [&] { repository.poll(); });
  }
  // The byte offsets the last `count` requests asked for.
  static std::vector<std::size_t> last_offsets(const CoapRepository& repository, std::size_t count) {
    const auto& asked = repository.asked();
    std::vector<std::size_t> offsets;
    for (auto i = asked.size() - std::min(count, asked.size()); i < asked.size(); ++i)
      offsets.push_back(asked[i].offset);
    return offsets;
  }
  static std::vector<std::size_t> offsets_from(std::size_t first_block) {
    std::vector<std::size_t> offsets;
    for (auto block = first_block; block < kBlocks; ++block) offsets.push_back(block * kBlock);
    return offsets;
  }
  static std::size_t times_asked(const CoapRepository& repository, std::size_t offset) {
    const auto& asked = repository.asked();
    return static_cast<std::size_t>(
        std::count_if(asked.begin(), asked.end(), [&](const auto& a) { return a.offset == offset; }));
  }
  // The client continued at block kHeld: its last requests are blocks kHeld.. in order, and
  // no block before kHeld was asked twice. (The retransmissions of block kHeld that piled up
  // while the repository was silent are read when it comes back.)
  // A new start on the same state folder comes back in State 1 (Result 0) and ends with the
  // whole package, continued at the block held.
  void expect_next_start_continues(CoapRepository& repository) {
    FirmwareHarness fw(options());
    EXPECT_EQ(fw->state(), 1);
    EXPECT_EQ(fw->update_result(), 0);
    ASSERT_TRUE(fw.await(2, 0, milliseconds(5000), [&] { repository.poll(); }));
    expect_continued_at_the_held_block(repository);
    EXPECT_EQ(file_bytes(slot()), package);
  }
  void expect_continued_at_the_held_block(const CoapRepository& repository) {
    EXPECT_EQ(last_offsets(repository, kBlocks - kHeld), offsets_from(kHeld));
    for (std::size_t block = 0; block < kHeld; ++block)
      EXPECT_EQ(times_asked(repository, block * kBlock), 1u) << "block " << block;
  }
};

TEST_F(CoapResumption, SilentRepositoryComingBackContinuesAtTheNextBlock) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = kHeld;
  ASSERT_TRUE(write_uri(fw, repository.uri()));
  ASSERT_TRUE(await_cut(fw, repository));
  EXPECT_EQ(file_bytes(partial()).size(), kHeld * kBlock);  // the bytes held stay while it waits
  repository.silent_after.reset();  // the repository comes back
  ASSERT_TRUE(fw.await(2, 0, milliseconds(5000), [&] { repository.poll(); }));
  expect_continued_at_the_held_block(repository);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(file_bytes(slot()), package);
  EXPECT_FALSE(fs::exists(dir.path() / kResumeFileName));
}

// The repository comes back with another ETag (RFC 7959 §2.4): the resumed block is refused
// and the download starts over from block 0; never a splice of two representations.
TEST_F(CoapResumption, ChangedEtagStartsOver) {
  FirmwareHarness fw(options());
  CoapRepository repository(package);
  repository.silent_after = kHeld;
  repository.etag_change_after = kHeld;
  ASSERT_TRUE(write_uri(fw, repository.uri()));
  ASSERT_TRUE(await_cut(fw, repository));
  repository.silent_after.reset();
  ASSERT_TRUE(fw.await(2, 0, milliseconds(5000), [&] { repository.poll(); }));
  EXPECT_EQ(last_offsets(repository, kBlocks), offsets_from(0));
  const auto& asked = repository.asked();
  ASSERT_GT(asked.size(), kBlocks);
  EXPECT_EQ(asked[asked.size() - kBlocks - 1].offset, kHeld * kBlock);  // the resumed block, refused
  EXPECT_EQ(times_asked(repository, 0), 2u);
  EXPECT_EQ(fw.state_timeline, (std::vector<int>{1, 2}));
  EXPECT_EQ(file_bytes(slot()), package);
}

// A restart in State 1 (the process ended as an exec or a kill ends it: the files stay as
// they are) comes back in State 1 with Result 0 and continues from download-resume.json and
// the partial slot.
TEST_F(CoapResumption, RestartContinuesFromTheResumePoint) {
  CoapRepository repository(package);
  repository.silent_after = kHeld;
  Bytes held;
  std::string resume_point;
  {
    FirmwareHarness fw(options());
    ASSERT_TRUE(write_uri(fw, repository.uri()));
    ASSERT_TRUE(fw.pump_until([&] { return fs::exists(partial()) && fs::file_size(partial()) == kHeld * kBlock; },
                              milliseconds(5000), [&] { repository.poll(); }));
    const auto point = resume_file(dir.path());
    EXPECT_EQ(point.at("uri"), repository.uri());
    EXPECT_EQ(point.at("etag"), "e7460001");
    EXPECT_EQ(point.at("weak"), false);
    held = file_bytes(partial());
    resume_point = resume_file(dir.path()).dump();
  }
  // A killed or re-executed process runs no destructor: the files are what it wrote last. Put
  // them back as such a process leaves them (the next test takes the graceful stop).
  write_bytes(partial(), held);
  std::ofstream(dir.path() / kResumeFileName) << resume_point;
  repository.silent_after.reset();

  expect_next_start_continues(repository);
  EXPECT_FALSE(fs::exists(dir.path() / kResumeFileName));
}

// A graceful stop (the object destroyed: SIGTERM) keeps the partial slot and the resume point,
// as a device keeps its partial image across a power cycle: the next start continues from them.
TEST_F(CoapResumption, GracefulRestartInState1ContinuesFromTheBytesHeld) {
  CoapRepository repository(package);
  repository.silent_after = kHeld;
  {
    FirmwareHarness fw(options());
    ASSERT_TRUE(write_uri(fw, repository.uri()));
    ASSERT_TRUE(fw.pump_until([&] { return repository.blocks_served() == kHeld; }, milliseconds(5000),
                              [&] { repository.poll(); }));
  }
  repository.silent_after.reset();
  expect_next_start_continues(repository);
}

// Without the switch a restart in State 1 is a lost download (Result 4).
TEST_F(CoapResumption, WithoutTheSwitchARestartGivesResult4) {
  CoapRepository repository(package);
  repository.silent_after = kHeld;
  FirmwareHarness fw(options(/*resume=*/false));
  ASSERT_TRUE(write_uri(fw, repository.uri()));
  ASSERT_TRUE(fw.pump_until([&] { return repository.blocks_served() == kHeld; }, milliseconds(5000),
                            [&] { repository.poll(); }));
  fw.restart();
  EXPECT_EQ(fw->state(), 0);
  EXPECT_EQ(fw->update_result(), 4);
  EXPECT_FALSE(fs::exists(partial()));
}

}  // namespace
}  // namespace fc::refclient::testing
