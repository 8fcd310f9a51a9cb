// include: a base profile loaded first, the including file overriding it key by key.
#include <gtest/gtest.h>

#include <string>

#include "suite/profile/include.h"
#include "suite/profile/loader.h"

namespace fc::profile {
namespace {

const std::string good_dir = FOTACHECK_SOURCE_DIR "/tests/unit/profile/good/";

TEST(ProfileInclude, DerivedOverridesScalarsAndListsAndMergesMaps) {
  const ProfileLoad load = load_profile(good_dir + "derived.yaml");
  ASSERT_TRUE(load.ok()) << (load.problems.empty() ? "" : load.problems[0].str());
  const Profile& p = *load.profile;
  EXPECT_EQ(p.includes, std::vector<std::filesystem::path>{good_dir + "base.yaml"});
  EXPECT_EQ(p.device.endpoint, "family-{run}");              // inherited
  EXPECT_EQ(p.device.lwm2m_version, LwM2MVersion::V1_1);     // overridden
  const std::vector<PullScheme> pull{PullScheme::Http, PullScheme::Https};
  EXPECT_EQ(p.capabilities.pull, pull);                      // a list replaces, never appends
  EXPECT_FALSE(p.capabilities.push);
  EXPECT_EQ(p.timing.coap.ack_timeout, Duration(500));
  EXPECT_EQ(p.timing.coap.max_retransmit, 2);                // a sibling key survives
  EXPECT_EQ(p.timing.scale, 1.5);
  EXPECT_EQ(p.adapter.type, AdapterType::Process);
  EXPECT_EQ(p.adapter.process.command, "family-client");
  const std::vector<std::string> args{"--derived", "{endpoint}"};
  EXPECT_EQ(p.adapter.process.args, args);
  const std::map<std::string, std::string> env{{"LOG", "info"}, {"MODE", "derived"}};
  EXPECT_EQ(p.adapter.process.env, env);
}

TEST(ProfileInclude, ChainAppliesInnermostFirst) {
  const ProfileLoad load = load_profile(good_dir + "chained.yaml");
  ASSERT_TRUE(load.ok());
  const Profile& p = *load.profile;
  const std::vector<std::filesystem::path> includes{good_dir + "derived.yaml",
                                                    good_dir + "base.yaml"};
  EXPECT_EQ(p.includes, includes);
  EXPECT_EQ(p.timing.scale, 3.0);
  EXPECT_EQ(p.timing.coap.ack_timeout, Duration(500));
  EXPECT_EQ(p.device.lwm2m_version, LwM2MVersion::V1_1);
}

TEST(ProfileInclude, OverrideRepairsABrokenValueOfTheBase) {
  // broken/include_base_with_error.yaml has `timing.scale: -1`; the override replaces it.
  const ProfileLoad load = load_profile(good_dir + "fixes_base.yaml");
  ASSERT_TRUE(load.ok()) << (load.problems.empty() ? "" : load.problems[0].str());
  EXPECT_EQ(load.profile->timing.scale, 0.5);
  EXPECT_EQ(load.profile->device.endpoint, "dev-1");
}

SourceNode parse(const std::string& text) {
  ProfileProblems problems;
  auto node = parse_source(text, "t.yaml", LoadLimits{}.nodes, problems);
  EXPECT_TRUE(problems.empty());
  return node.value_or(SourceNode{});
}

TEST(ProfileInclude, MergeKeepsLocationsOfTheFileThatWon) {
  SourceNode base = parse("a:\n  b: 1\n  c: [1, 2]\nd: x\n");
  SourceNode over = parse("a:\n  c: [3]\n  e: 5\nd:\n");
  for (auto& entry : over.entries) entry.key_where.file = "over.yaml";
  merge_into(base, std::move(over));
  ASSERT_EQ(base.entries.size(), 2u);
  const SourceNode& a = base.entries[0].value;
  ASSERT_EQ(a.entries.size(), 3u);
  EXPECT_EQ(a.entries[0].key, "b");
  EXPECT_EQ(a.entries[0].value.text, "1");
  EXPECT_EQ(a.entries[1].key, "c");
  ASSERT_EQ(a.entries[1].value.items.size(), 1u);
  EXPECT_EQ(a.entries[1].value.items[0].text, "3");
  EXPECT_EQ(a.entries[1].value.where.line, 2);
  EXPECT_EQ(a.entries[2].key, "e");
  EXPECT_EQ(base.entries[0].key_where.file, "over.yaml");
  // An empty value in the override replaces too.
  EXPECT_EQ(base.entries[1].key, "d");
  EXPECT_EQ(base.entries[1].value.kind, SourceNode::Kind::Null);
  EXPECT_EQ(base.entries[1].value.where.line, 4);
}

TEST(ProfileInclude, ParserRecordsOneBasedPositions) {
  const SourceNode root = parse("# comment\nserver:\n  port:   5683\n");
  ASSERT_EQ(root.entries.size(), 1u);
  EXPECT_EQ(root.entries[0].key_where.line, 2);
  EXPECT_EQ(root.entries[0].key_where.column, 1);
  const SourceEntry& port = root.entries[0].value.entries.at(0);
  EXPECT_EQ(port.key_where.line, 3);
  EXPECT_EQ(port.key_where.column, 3);
  EXPECT_EQ(port.value.where.column, 11);
  EXPECT_EQ(port.value.text, "5683");
}

}  // namespace
}  // namespace fc::profile
