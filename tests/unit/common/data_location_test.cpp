// Where the data and the suite's programs are found: installed (<prefix>/bin next to
// <prefix>/share/fotacheck), in a build tree (its marker file), or nowhere (a message).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "suite/common/data_location.h"

namespace fc::common {
namespace {

namespace fs = std::filesystem;

class DataLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fotacheck-data-location-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path folder(const fs::path& relative) {
    fs::create_directories(root_ / relative);
    return root_ / relative;
  }
  void marker(const fs::path& build, const std::string& content) {
    std::ofstream(build / kBuildTreeMarker) << content;
  }
  fs::path root_;
};

TEST_F(DataLocationTest, InstalledDataIsBesideTheProgramsFolder) {
  const fs::path bin = folder("usr/bin");
  const fs::path share = folder("usr/share/fotacheck");
  const DataLocation found = locate_data(bin / "fotacheck", "../share/fotacheck");
  EXPECT_EQ(found.data_dir, share);
  EXPECT_EQ(found.programs_dir, bin);
}

// A test installs into a prefix inside the build folder: the install wins over the build tree.
TEST_F(DataLocationTest, InstallInsideABuildTreeIsStillTheInstall) {
  marker(folder("build"), "source_dir=" + folder("src").string() + "\nprograms_dir=" + folder("build/refclient").string() + "\n");
  const fs::path bin = folder("build/stage/usr/bin");
  folder("build/stage/usr/share/fotacheck");
  const DataLocation found = locate_data(bin / "fotacheck", "../share/fotacheck");
  EXPECT_EQ(found.data_dir, root_ / "build/stage/usr/share/fotacheck");
  EXPECT_EQ(found.programs_dir, bin);
}

TEST_F(DataLocationTest, BuildTreeNamesTheSourceAndTheReferenceClientsFolder) {
  const fs::path source = folder("src");
  const fs::path refclient = folder("build/refclient");
  marker(folder("build"), "# comment\nsource_dir=" + source.string() + "\nprograms_dir=" + refclient.string() + "\n");
  const DataLocation found = locate_data(folder("build/tests/unit/common") / "common_unit_tests", "../share/fotacheck");
  EXPECT_EQ(found.data_dir, source);
  EXPECT_EQ(found.programs_dir, refclient);
}

TEST_F(DataLocationTest, NeitherSaysWhereItLooked) {
  const fs::path bin = folder("opt/fc/bin");
  const DataLocation found = locate_data(bin / "fotacheck", "../share/fotacheck");
  EXPECT_TRUE(found.data_dir.empty());
  EXPECT_EQ(found.programs_dir, bin);
  EXPECT_NE(found.searched.find((root_ / "opt/fc/share/fotacheck").string()), std::string::npos) << found.searched;
  EXPECT_NE(found.searched.find(kBuildTreeMarker), std::string::npos) << found.searched;
}

// A build tree whose source folder has gone (moved away): no data, and the marker is named.
TEST_F(DataLocationTest, BuildTreeWithoutItsSourceIsNamed) {
  marker(folder("build"), "source_dir=" + (root_ / "moved-away").string() + "\nprograms_dir=" + folder("build/refclient").string() + "\n");
  const DataLocation found = locate_data(folder("build/runner") / "fotacheck", "../share/fotacheck");
  EXPECT_TRUE(found.data_dir.empty());
  EXPECT_NE(found.searched.find((root_ / "build" / kBuildTreeMarker).string()), std::string::npos) << found.searched;
}

// This test program runs from the build tree: its data is the source tree, and {suite_bin}
// the reference client's build folder.
TEST(DataLocation, ThisBuildTreeFindsTheSourceTree) {
  const DataLocation& found = data_location();
  ASSERT_FALSE(found.data_dir.empty()) << found.searched;
  EXPECT_TRUE(fs::equivalent(found.data_dir, FOTACHECK_SOURCE_DIR));
  EXPECT_EQ(found.programs_dir, fs::path(FOTACHECK_BINARY_DIR) / "refclient");
  EXPECT_TRUE(fs::is_regular_file(data_file("adapters/profiles/refclient.yaml")));
  EXPECT_TRUE(fs::is_regular_file(data_file("fixtures/keys/package-signing.key.pem")));
  EXPECT_TRUE(fs::is_regular_file(data_file("fixtures/pki/ca.crt.pem")));
}

}  // namespace
}  // namespace fc::common
