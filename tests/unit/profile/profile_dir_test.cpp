// {profile_dir} is the folder of the file a value is written in, so an overlay in another
// folder that includes a shipped profile keeps that profile's paths working.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scratch_dir.h"
#include "suite/profile/field_checks.h"
#include "suite/profile/loader.h"

namespace fc::profile {
namespace {

namespace fs = std::filesystem;

const fs::path shipped = fs::path(FOTACHECK_SOURCE_DIR) / "adapters" / "profiles";

TEST(ProfileDir, FilledInFromTheFolderOfTheFileTheValueIsWrittenIn) {
  EXPECT_EQ(fill_profile_dir("{profile_dir}/k.pem", "/p"), "/p/k.pem");
  EXPECT_EQ(fill_profile_dir("--key={profile_dir}/a {profile_dir}/b", "/p"), "--key=/p/a /p/b");
  EXPECT_EQ(fill_profile_dir("{endpoint} {workdir}/x", "/p"), "{endpoint} {workdir}/x");
  // What the adapters' templating leaves alone stays as it is.
  EXPECT_EQ(fill_profile_dir("${profile_dir} {{profile_dir}", "/p"), "${profile_dir} {{profile_dir}");
  // Braces in the folder name are doubled, so the templating shows them literally.
  EXPECT_EQ(fill_profile_dir("{profile_dir}/k", "/a{case}"), "/a{{case}/k");
}

TEST(ProfileDir, AnOverlayInAnotherFolderKeepsTheIncludedProfilesKeys) {
  const ScratchDir dir;
  const fs::path refclient = shipped / "refclient.yaml";
  const fs::path overlay = dir.write("overlay.yaml", "include: " + refclient.string() +
                                                         "\nadapter:\n  process:\n"
                                                         "    command: /opt/client/bin/refclient\n"
                                                         "    env:\n      OWN: \"{profile_dir}/own.txt\"\n");
  const ProfileLoad load = load_profile(overlay, run_options());
  ASSERT_TRUE(load.ok()) << load.problems[0].str();
  const auto& process = load.profile->adapter.process;
  EXPECT_EQ(process.command, "/opt/client/bin/refclient");

  // The key refclient.yaml names relative to itself, found from the overlay's folder.
  const std::string key = (shipped / "../../fixtures/keys/package-signing.pub.pem").string();
  const auto at = std::find(process.args.begin(), process.args.end(), "--verify-key");
  ASSERT_NE(at, process.args.end());
  ASSERT_NE(at + 1, process.args.end());
  EXPECT_EQ(*(at + 1), key);
  EXPECT_TRUE(fs::is_regular_file(*(at + 1)));
  // A value the overlay writes itself names the overlay's folder.
  EXPECT_EQ(process.env.at("OWN"), (dir.path() / "own.txt").string());
}

TEST(ProfileDir, EveryTemplatedValueIsFilledIn) {
  const ScratchDir dir;
  const fs::path profile = dir.write(
      "dev.yaml",
      "device:\n  endpoint: dev-1\n"
      "faults:\n  flash_full:\n    method: args\n    args: [\"--image={profile_dir}/full.bin\"]\n"
      "  power_loss:\n    method: hook\n    hook: \"{profile_dir}/cut-power\"\n"
      "adapter:\n  type: process\n  process:\n    command: \"{profile_dir}/bin/client\"\n"
      "  hooks:\n    reset: \"{profile_dir}/reset {endpoint}\"\n"
      "    inject: {out_of_ram: \"{profile_dir}/oom\"}\n"
      "  manual:\n    instructions: \"see {profile_dir}/README\"\n");
  const ProfileLoad load = load_profile(profile);
  ASSERT_TRUE(load.ok()) << load.problems[0].str();
  const Profile& p = *load.profile;
  const std::string folder = dir.path().string();
  EXPECT_EQ(p.adapter.process.command, folder + "/bin/client");
  EXPECT_EQ(p.faults.flash_full.args, std::vector<std::string>{"--image=" + folder + "/full.bin"});
  EXPECT_EQ(p.faults.power_loss.hook, folder + "/cut-power");
  EXPECT_EQ(p.adapter.hooks.reset, folder + "/reset {endpoint}");
  EXPECT_EQ(p.adapter.hooks.inject.at("out_of_ram"), folder + "/oom");
  EXPECT_EQ(p.adapter.manual.instructions, "see " + folder + "/README");
}

}  // namespace
}  // namespace fc::profile
