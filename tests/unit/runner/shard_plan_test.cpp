// --durations and the split: the recorded durations read from a results.json as a stream (only
// cases[].id, duration_ms and reason), and the cases balanced by them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "runner/shard_plan.h"

namespace fc::runner {
namespace {

namespace fs = std::filesystem;

class ScratchFile {
 public:
  explicit ScratchFile(const std::string& text)
      : path_(fs::temp_directory_path() / ("fotacheck-durations-" + std::to_string(::getpid()) + ".json")) {
    std::ofstream(path_) << text;
  }
  ~ScratchFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(RecordedDurations, OnlyTheCasesIdsAndDurationsAreTaken) {
  // Ids and durations elsewhere (the run, a finding, a nested record) are not cases'.
  ScratchFile file(R"({"run": {"id": "X", "duration_ms": 1, "cases": [{"id": "R", "duration_ms": 5}]},
    "cases": [
      {"id": "A", "verdict": "pass", "duration_ms": 3000, "findings": [{"id": "F", "duration_ms": 7}]},
      {"findings": [{"id": "G", "duration_ms": 8}], "duration_ms": 1200, "id": "B"},
      {"id": "C", "duration_ms": 10, "reason": "not run: the run was interrupted by SIGTERM"},
      {"id": "D", "duration_ms": "fast"},
      {"id": "E", "duration_ms": 250.5, "reason": "timed out"}
    ],
    "counts": {"pass": 1}})");
  auto durations = read_recorded_durations(file.path());
  const RecordedDurations expected{{"A", 3000.0}, {"B", 1200.0}, {"E", 250.5}};
  EXPECT_EQ(durations, expected);
}

TEST(RecordedDurations, AFileThatIsNoResultsJsonIsNamed) {
  ScratchFile no_cases(R"({"run": {}, "cases": {"id": "A"}})");
  try {
    read_recorded_durations(no_cases.path());
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has no \"cases\" array"), std::string::npos) << e.what();
  }
  ScratchFile broken(R"({"cases": [{"id": "A", )");
  try {
    read_recorded_durations(broken.path());
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is not a results.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_recorded_durations("/nonexistent/results.json"), std::runtime_error);
}

TEST(BalanceCases, TheLongestCaseGoesFirstAndTheRestFillTheLighterPart) {
  std::vector<record::CaseMeta> metas(4);
  const char* ids[] = {"A", "B", "C", "D"};
  std::vector<const record::CaseMeta*> cases;
  for (std::size_t i = 0; i < metas.size(); ++i) {
    metas[i].id = ids[i];
    cases.push_back(&metas[i]);
  }
  const RecordedDurations durations{{"A", 1000}, {"B", 3000}, {"C", 1000}};  // D: the median, 1000
  auto parts = balance_cases(cases, durations, 2);
  ASSERT_EQ(parts.size(), 2u);
  ASSERT_EQ(parts[0].size(), 1u);
  EXPECT_EQ(parts[0][0]->id, "B");
  ASSERT_EQ(parts[1].size(), 3u);  // in catalogue order
  EXPECT_EQ(parts[1][0]->id, "A");
  EXPECT_EQ(parts[1][2]->id, "D");
}

}  // namespace
}  // namespace fc::runner
