// Profiles that would exhaust or block the machine: FIFOs, oversized files, endless include
// chains, and named files that are not regular files. Each must end as a clear problem at once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "scratch_dir.h"
#include "suite/profile/loader.h"
#include "suite/profile/validate.h"

namespace fc::profile {
namespace {

namespace fs = std::filesystem;

const std::string minimal_profile = "device:\n  endpoint: dev-1\nadapter:\n  type: manual\n";

std::vector<std::string> texts(const ProfileLoad& load) {
  std::vector<std::string> out;
  for (const auto& problem : load.problems) out.push_back(problem.str());
  return out;
}

fs::path make_fifo(const ScratchDir& dir, const std::string& name) {
  const fs::path fifo = dir.path() / name;
  if (::mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
  return fifo;
}

// Loads on another thread. Should the loader ever block on the FIFO, a writer opens and closes
// it after a bound, which ends the blocked open with an empty read: the test then fails on the
// problems it gets instead of hanging.
ProfileLoad load_releasing(const fs::path& file, const fs::path& fifo, const LoadOptions& options) {
  auto pending = std::async(std::launch::async, [&] { return load_profile(file, options); });
  if (pending.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
  return pending.get();
}

TEST(HostileProfileFiles, AFifoGivenAsTheProfileIsRefusedWithoutBlocking) {
  const ScratchDir dir;
  const fs::path fifo = make_fifo(dir, "profile.yaml");
  EXPECT_EQ(texts(load_releasing(fifo, fifo, LoadOptions())),
            std::vector<std::string>{fifo.string() +
                                     ": cannot read the profile: is a FIFO (named pipe), not a regular file"});
}

TEST(HostileProfileFiles, AnIncludedFifoIsRefusedAtTheIncludeLine) {
  const ScratchDir dir;
  const fs::path fifo = make_fifo(dir, "base.yaml");
  const fs::path top = dir.write("top.yaml", "# a FIFO as the base\ninclude: base.yaml\n");
  EXPECT_EQ(texts(load_releasing(top, fifo, LoadOptions())),
            std::vector<std::string>{top.string() + ":2:10: include: cannot read included file \"" +
                                     fifo.string() + "\": is a FIFO (named pipe), not a regular file (include chain: " +
                                     top.string() + " -> " + fifo.string() + ")"});
}

TEST(HostileProfileFiles, AProfileFileOverTheSizeLimitIsRefusedUnread) {
  const ScratchDir dir;
  const fs::path big = dir.write("big.yaml", minimal_profile);
  fs::resize_file(big, LoadLimits{}.file_bytes + 1);  // sparse: nothing is written
  EXPECT_EQ(texts(load_profile(big)),
            std::vector<std::string>{big.string() +
                                     ": cannot read the profile: is 1048577 bytes, over the 1 MiB limit"});

  const fs::path top = dir.write("top.yaml", "include: big.yaml\n");
  EXPECT_EQ(texts(load_profile(top)),
            std::vector<std::string>{top.string() + ":1:10: include: cannot read included file \"" +
                                     big.string() + "\": is 1048577 bytes, over the 1 MiB limit (include chain: " +
                                     top.string() + " -> " + big.string() + ")"});
}

TEST(HostileProfileFiles, AProfileAtTheSizeLimitLoads) {
  const ScratchDir dir;
  std::string text = minimal_profile;
  text.resize(LoadLimits{}.file_bytes, '\n');
  EXPECT_TRUE(load_profile(dir.write("full.yaml", text)).ok());
}

// f0 includes f1 includes ... f<files-1>, the last one a complete profile.
fs::path include_chain(const ScratchDir& dir, int files) {
  for (int i = 0; i + 1 < files; ++i) {
    dir.write("f" + std::to_string(i) + ".yaml", "include: f" + std::to_string(i + 1) + ".yaml\n");
  }
  dir.write("f" + std::to_string(files - 1) + ".yaml", minimal_profile);
  return dir.path() / "f0.yaml";
}

TEST(HostileProfileFiles, IncludesNestAtMostSixteenFilesDeep) {
  const ScratchDir deepest_allowed;
  const ProfileLoad allowed = load_profile(include_chain(deepest_allowed, 17));
  EXPECT_TRUE(allowed.ok()) << (allowed.problems.empty() ? "" : allowed.problems[0].str());
  EXPECT_EQ(allowed.profile->includes.size(), 16u);

  const ScratchDir too_deep;
  const ProfileLoad refused = load_profile(include_chain(too_deep, 18));
  std::string chain;
  for (int i = 0; i <= 17; ++i) chain += (i == 0 ? "" : " -> ") + (too_deep.path() / ("f" + std::to_string(i) + ".yaml")).string();
  EXPECT_EQ(texts(refused),
            std::vector<std::string>{(too_deep.path() / "f16.yaml").string() +
                                     ":1:10: include: includes nest deeper than 16 files (include chain: " + chain + ")"});
}

TEST(HostileProfileFiles, NamedFilesAreLeftUncheckedByTheLoaderAlone) {
  // Templates with placeholder paths still load for inspection; validate and the runner check.
  const ProfileLoad load = load_profile(FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken/named_files.yaml");
  ASSERT_TRUE(load.ok());
  ASSERT_EQ(load.profile->named_files.size(), 5u);
  EXPECT_EQ(load.profile->named_files[0].key_path, "repository.https.certificate");
  EXPECT_EQ(load.profile->named_files[0].max_bytes, max_credential_bytes);
  EXPECT_EQ(load.profile->named_files[3].key_path, "packages.files.valid");
  EXPECT_EQ(load.profile->named_files[3].max_bytes, max_image_bytes);
}

TEST(HostileProfileFiles, NamedFilesMustBeRegularAndWithinTheirLimits) {
  const ScratchDir dir;
  const fs::path fifo = make_fifo(dir, "key.pem");
  const fs::path big_key = dir.write("big-key.pem", "");
  fs::resize_file(big_key, max_credential_bytes + 1);
  const fs::path big_image = dir.write("big.bin", "");
  fs::resize_file(big_image, max_image_bytes + 1);
  dir.write("ok.bin", "image");
  const fs::path profile = dir.write("dev.yaml",
                                     "device:\n  endpoint: dev-1\n"
                                     "server:\n  security:\n    x509:\n      ca: key.pem\n"
                                     "      certificate: big-key.pem\n      private_key: big-key.pem\n"
                                     "packages:\n  format: files\n  files:\n    valid: ok.bin\n    huge: big.bin\n"
                                     "adapter:\n  type: manual\n");
  const std::string at = profile.string() + ":";
  const ProfileLoad load = load_releasing(profile, fifo, run_options());
  EXPECT_EQ(texts(load),
            (std::vector<std::string>{
                at + "6:11: server.security.x509.ca: cannot read \"" + fifo.string() +
                    "\": is a FIFO (named pipe), not a regular file",
                at + "7:20: server.security.x509.certificate: cannot read \"" + big_key.string() +
                    "\": is 1048577 bytes, over the 1 MiB limit",
                at + "8:20: server.security.x509.private_key: cannot read \"" + big_key.string() +
                    "\": is 1048577 bytes, over the 1 MiB limit",
                at + "13:11: packages.files.huge: cannot read \"" + big_image.string() +
                    "\": is 268435457 bytes, over the 256 MiB limit",
            }));
}

TEST(HostileProfileFiles, NamedFilesThatAreDevicesDirectoriesOrMissingAreRefused) {
  const std::string dir = FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken/";
  const std::string at = dir + "named_files.yaml:";
  EXPECT_EQ(texts(load_profile(dir + "named_files.yaml", run_options())),
            (std::vector<std::string>{
                at + "7:18: repository.https.certificate: cannot read \"/dev/urandom\": is a character device, not a regular file",
                at + "8:18: repository.https.private_key: cannot read \"" + dir + "missing.key.pem\": No such file or directory",
                at + "11:16: packages.signing_key: cannot read \"/dev/zero\": is a character device, not a regular file",
                at + "13:12: packages.files.valid: cannot read \"/no/such.bin\": No such file or directory",
                at + "14:13: packages.files.folder: cannot read \"/\": is a directory",
            }));
}

TEST(HostileProfileFiles, ValidateChecksTheNamedFiles) {
  std::ostringstream out;
  const std::string file = FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken/named_files.yaml";
  EXPECT_EQ(run_validate(file, out), 2);
  EXPECT_NE(out.str().find(file + ":11:16: packages.signing_key: cannot read \"/dev/zero\": is a character "
                                  "device, not a regular file\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find(file + ": 5 problems\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace fc::profile
