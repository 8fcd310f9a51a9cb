// The loader is linear in its input: maps of hundreds of thousands of entries, merged over an
// include, load with every problem found. No timing is asserted; a quadratic step shows as a
// test that runs for many minutes (docs/device-profiles.md, "Limits").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scratch_dir.h"
#include "suite/profile/loader.h"

namespace fc::profile {
namespace {

constexpr int entries = 200'000;
constexpr int bad_every = 50'000;  // these entries get a name no environment variable can have

// A complete profile whose adapter.process.env has `count` entries, V<i>: <value>, after the
// 7 lines of `head` and sections; every bad_every-th name is "bad-<i>" when `with_bad_names`.
std::string env_profile(const std::string& head, const std::string& value, bool with_bad_names,
                        int count = entries) {
  std::string text = head + "device:\n  endpoint: dev-1\nadapter:\n  type: process\n  process:\n"
                            "    command: client\n    env:\n";
  text.reserve(text.size() + static_cast<std::size_t>(count) * 24);
  for (int i = 0; i < count; ++i) {
    const bool bad = with_bad_names && i % bad_every == bad_every - 1;
    text += (bad ? "      bad-" : "      V") + std::to_string(i) + ": " + value + "\n";
  }
  return text;
}

// Far above the defaults, which refuse such a file for its size before reading it.
LoadOptions large() {
  LoadOptions options;
  options.limits.file_bytes = 64 * mebibyte;
  options.limits.nodes = 1'000'000;
  return options;
}

TEST(LargeProfile, TheDefaultLimitsRefuseItUnread) {
  const ScratchDir dir;
  const auto file = dir.write("big.yaml", env_profile("", "x", false));
  const ProfileLoad load = load_profile(file);
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_NE(load.problems[0].message.find("over the 1 MiB limit"), std::string::npos)
      << load.problems[0].str();
}

TEST(LargeProfile, AMergedMapOfTwoHundredThousandEntriesLoadsWithEveryProblem) {
  const ScratchDir dir;
  dir.write("base.yaml", env_profile("", "base", false));
  // Lines 1-7 are the head and the sections down to env, so entry i is on line 9 + i.
  std::string top = env_profile("include: base.yaml\n", "top", true);
  top += "      V7: again\n";  // a duplicate: the last line of the file
  const auto file = dir.write("top.yaml", top);

  const ProfileLoad load = load_profile(file, large());
  std::vector<std::string> expected;
  for (int i = bad_every - 1; i < entries; i += bad_every) {
    expected.push_back(file.string() + ":" + std::to_string(9 + i) + ":7: adapter.process.env.bad-" +
                       std::to_string(i) + ": not an environment variable name");
  }
  expected.push_back(file.string() + ":" + std::to_string(9 + entries) +
                     ":7: adapter.process.env.V7: duplicate key (first given at line 16)");
  std::vector<std::string> got;
  for (const auto& problem : load.problems) got.push_back(problem.str());
  EXPECT_EQ(got, expected);
}

TEST(LargeProfile, ALargeMergedMapKeepsEveryValue) {
  constexpr int count = 20'000;  // the merge, not its speed, is what this one checks
  const ScratchDir dir;
  dir.write("base.yaml", env_profile("", "base", false, count) + "      extra: kept\n");
  const auto file = dir.write("top.yaml", env_profile("include: base.yaml\n", "top", false, count));

  const ProfileLoad load = load_profile(file, large());
  ASSERT_TRUE(load.ok()) << load.problems[0].str();
  const auto& env = load.profile->adapter.process.env;
  EXPECT_EQ(env.size(), static_cast<std::size_t>(count) + 1);
  EXPECT_EQ(env.at("V0"), "top");
  EXPECT_EQ(env.at("V19999"), "top");
  EXPECT_EQ(env.at("extra"), "kept");
}

}  // namespace
}  // namespace fc::profile
