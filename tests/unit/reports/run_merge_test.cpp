// `fotacheck report --merge`: shards of one run joined into one, each case naming its device,
// times on one clock; inputs that overlap or come from different profiles refused.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/report_set.h"
#include "reports/results_json.h"
#include "reports/run_merge.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;
namespace fs = std::filesystem;

// The sample run split in two shards: cases [0, 4) on dut-a, [4, 8) on dut-b 1.5 s later.
void write_shards(const TempDir& dir) {
  auto a = sample_run(), b = sample_run();
  a.cases.erase(a.cases.begin() + 4, a.cases.end());
  b.cases.erase(b.cases.begin(), b.cases.begin() + 4);
  a.run.device.endpoint = "dut-a";
  b.run.device.endpoint = "dut-b";
  b.run.started_unix_ms += 1500;
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  write_atomically(dir / "a/results.json", results_document(a));
  write_atomically(dir / "b/results.json", results_document(b));
}

TEST(RunMerge, JoinsShardsIntoOneRunWithEachCaseNamingItsDevice) {
  TempDir dir;
  write_shards(dir);
  auto merged = merge_runs({dir / "a/results.json", dir / "b/results.json"});
  auto whole = sample_run();
  ASSERT_EQ(merged.cases.size(), whole.cases.size());
  for (std::size_t i = 0; i < merged.cases.size(); ++i) {
    EXPECT_EQ(merged.cases[i].meta.id, whole.cases[i].meta.id);
    EXPECT_EQ(merged.cases[i].verdict, whole.cases[i].verdict);
    EXPECT_EQ(merged.cases[i].device, i < 4 ? "dut-a" : "dut-b");
  }
  // The second shard started 1.5 s later: its cases start 1.5 s later on the merged clock.
  auto shift = offset_ms(merged.origin, merged.cases[4].started) - offset_ms(whole.origin, whole.cases[4].started);
  EXPECT_NEAR(shift, 1500.0, 0.01);
  EXPECT_EQ(merged.run.device.endpoint, "dut-a, dut-b");
  // The device survives the round trip through results.json, and the reports name it.
  auto again = parse_results(results_document(merged), "merged");
  EXPECT_EQ(again.cases[5].device, "dut-b");
  std::ostringstream out, err;
  ASSERT_EQ(run_report_command({dir / "a/results.json", dir / "b/results.json"}, dir / "out", out, err, {}, true), 0)
      << err.str();
  EXPECT_NE(read_file(dir / "out/report.html").find("device dut-b"), std::string::npos);
  EXPECT_NE(read_file(dir / "out/junit.xml").find("device: dut-a"), std::string::npos);
}

// Runs of lab devices (a profile with devices:) name their cases by the lab device's name,
// which survives results.json; the merged run names no one lab device.
TEST(RunMerge, LabDevicesNameTheirCasesByTheirLabName) {
  TempDir dir;
  write_shards(dir);
  for (const char* shard : {"a", "b"}) {
    auto run = read_results(dir / shard / "results.json");
    run.run.device.lab_device = std::string("rig-") + shard;
    run.run.profile["lab_device"] = run.run.device.lab_device;
    run.run.profile["adapter"] = {{"type", "hooks"}};
    write_atomically(dir / shard / "results.json", results_document(run));
    EXPECT_EQ(read_results(dir / shard / "results.json").run.device.lab_device, std::string("rig-") + shard);
  }
  auto merged = merge_runs({dir / "a/results.json", dir / "b/results.json"});
  for (std::size_t i = 0; i < merged.cases.size(); ++i) EXPECT_EQ(merged.cases[i].device, i < 4 ? "rig-a" : "rig-b");
  EXPECT_EQ(merged.run.device.lab_device, "");
  EXPECT_FALSE(merged.run.profile.contains("lab_device"));  // one device's own part is not the run's
  EXPECT_FALSE(merged.run.profile.contains("adapter"));
  EXPECT_EQ(merged.run.device.endpoint, "rig-a, rig-b");
}

TEST(RunMerge, RefusesOverlappingShards) {
  TempDir dir;
  write_shards(dir);
  std::ostringstream out, err;
  EXPECT_EQ(run_report_command({dir / "a/results.json", dir / "a/results.json"}, dir / "out", out, err, {}, true), 2);
  EXPECT_NE(err.str().find("is in both"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(dir / "out/results.json"));
}

TEST(RunMerge, RefusesRunsOfDifferentProfiles) {
  TempDir dir;
  write_shards(dir);
  auto other = read_results(dir / "b/results.json");
  other.run.profile_hash = "sha256:another-profile";
  write_atomically(dir / "b/results.json", results_document(other));
  EXPECT_THROW(merge_runs({dir / "a/results.json", dir / "b/results.json"}), MergeError);
  std::ostringstream out, err;
  EXPECT_EQ(run_report_command({dir / "a/results.json", dir / "b/results.json"}, dir / "out", out, err, {}, true), 2);
  EXPECT_NE(err.str().find("not shards of one run"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace fc::reports
