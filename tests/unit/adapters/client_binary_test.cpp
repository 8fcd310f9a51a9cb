// Finding the client binary: PATH lookup, paths, and what the message says when it is missing.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "adapters/client_binary.h"
#include "adapters/device_adapter.h"
#include "tests/unit/adapters/temp_workdir.h"

namespace fc::adapters {
namespace {

namespace fs = std::filesystem;

std::string failure_of(const std::string& command, const fs::path& profile = {}) {
  try {
    find_client_binary(command, profile);
  } catch (const AdapterError& error) {
    return error.what();
  }
  return "(no error)";
}

// Sets PATH for one test and puts the old value back.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& value) {
    const char* old = std::getenv("PATH");
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv("PATH", value.c_str(), 1);
  }
  ~ScopedPath() {
    if (had_) {
      ::setenv("PATH", old_.c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }
  ScopedPath(const ScopedPath&) = delete;
  ScopedPath& operator=(const ScopedPath&) = delete;

 private:
  bool had_ = false;
  std::string old_;
};

void write_file(const fs::path& file, const std::string& text, fs::perms perms) {
  std::ofstream(file) << text;
  fs::permissions(file, perms);
}

TEST(ClientBinary, MissingReferenceClientSaysWhatToBuild) {
  EXPECT_EQ(failure_of("/nonexistent/build/refclient/fotacheck-refclient", "/repo/adapters/profiles/refclient.yaml"),
            "the device client /nonexistent/build/refclient/fotacheck-refclient does not exist "
            "(adapter.process.command in /repo/adapters/profiles/refclient.yaml); build it with "
            "`cmake --build build --target fotacheck-refclient`");
}

// The runner prepends nothing to PATH: a bare name is whatever PATH finds, and when PATH has
// none the message names the command, PATH and the placeholder of the bundled client.
TEST(ClientBinary, BareReferenceClientNameIsOnlyLookedUpInPath) {
  testing::TempWorkdir dir;
  {
    const ScopedPath path(dir.path().string());
    EXPECT_EQ(failure_of("fotacheck-refclient"),
              "the device client `fotacheck-refclient` was not found in PATH (" + dir.path().string() +
                  "); build it with `cmake --build build --target fotacheck-refclient`, or name the bundled "
                  "one: {suite_bin}/fotacheck-refclient");
  }
  write_file(dir.path() / "fotacheck-refclient", "#!/bin/sh\n", fs::perms::owner_all);
  const ScopedPath path(dir.path().string());
  EXPECT_EQ(find_client_binary("fotacheck-refclient", {}), dir.path() / "fotacheck-refclient");
}

// {suite_bin}: the build folder of the reference client this build made, not a PATH entry (an
// installed fotacheck's own folder: tests/unit/common/data_location_test.cpp).
TEST(ClientBinary, SuiteBinIsTheReferenceClientsBuildFolder) {
  EXPECT_EQ(suite_bin_dir(), fs::path(FOTACHECK_BINARY_DIR) / "refclient");
}

TEST(ClientBinary, MissingThirdPartyClientSaysWhatToSet) {
  EXPECT_EQ(failure_of("/path/to/anjay/output/bin/demo"),
            "the device client /path/to/anjay/output/bin/demo does not exist; set adapter.process.command "
            "in the profile to the client binary");
}

TEST(ClientBinary, BareNameIsLookedUpInPath) {
  testing::TempWorkdir dir;
  write_file(dir.path() / "my-client", "#!/bin/sh\n", fs::perms::owner_all);
  const ScopedPath path("/nonexistent-dir:" + dir.path().string());
  EXPECT_EQ(find_client_binary("my-client", {}), dir.path() / "my-client");
  EXPECT_EQ(failure_of("lwm2mclient"), "the device client `lwm2mclient` was not found in PATH (/nonexistent-dir:" +
                                           dir.path().string() +
                                           "); set adapter.process.command in the profile to the client binary");
}

TEST(ClientBinary, NonExecutableFileInPathIsSkipped) {
  testing::TempWorkdir first;
  testing::TempWorkdir second;
  write_file(first.path() / "client", "data\n", fs::perms::owner_read | fs::perms::owner_write);
  write_file(second.path() / "client", "#!/bin/sh\n", fs::perms::owner_all);
  const ScopedPath path(first.path().string() + ":" + second.path().string());
  EXPECT_EQ(find_client_binary("client", {}), second.path() / "client");
}

TEST(ClientBinary, PathThatIsNotAnExecutableFile) {
  testing::TempWorkdir dir;
  write_file(dir.path() / "plain", "data\n", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(failure_of((dir.path() / "plain").string()),
            "the device client " + (dir.path() / "plain").string() +
                " is not executable; set adapter.process.command in the profile to the client binary");
  EXPECT_EQ(failure_of(dir.path().string() + "/"),
            "the device client " + dir.path().string() +
                "/ is a directory; set adapter.process.command in the profile to the client binary");
}

TEST(ClientBinary, RelativePathIsTakenFromTheCurrentDirectory) {
  testing::TempWorkdir dir;
  fs::create_directories(dir.path() / "bin");
  write_file(dir.path() / "bin" / "client", "#!/bin/sh\n", fs::perms::owner_all);
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  const fs::path found = find_client_binary("./bin/client", {});
  fs::current_path(previous);
  EXPECT_EQ(found, dir.path() / "bin" / "client");
}

}  // namespace
}  // namespace fc::adapters
