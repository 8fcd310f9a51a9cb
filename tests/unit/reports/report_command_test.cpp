// `fotacheck report`: every format rebuilt offline from results.json, comparisons of several
// devices, and clear errors for a bad file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "reports/report_set.h"
#include "reports/results_json.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;
namespace fs = std::filesystem;

TEST(ReportCommand, RebuildsEveryFormatFromResultsJson) {
  TempDir dir;
  write_atomically(dir / "results.json", results_document(sample_run()));
  std::ostringstream out, err;
  ASSERT_EQ(run_report_command({dir / "results.json"}, dir / "rebuilt", out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "rebuilt 5 files from " + (dir / "results.json").string() + " (8 cases) in " + (dir / "rebuilt").string() + "\n");
  for (const char* file : {"junit.xml", "report.html", "summary.md", "pcap/FU-OBJ-751.pcapng", "pcap/FU-PULL-001.pcapng"})
    EXPECT_TRUE(fs::exists(dir / "rebuilt" / file)) << file;
  EXPECT_FALSE(fs::exists(dir / "rebuilt/pcap/FU-PUSH-001.pcapng"));  // no message, no capture
  EXPECT_EQ(read_file(dir / "rebuilt/summary.md").find("- **FU-PULL-001**") != std::string::npos, true);
}

TEST(ReportCommand, DefaultsToTheResultsFolder) {
  TempDir dir;
  write_atomically(dir / "results.json", results_document(sample_run()));
  std::ostringstream out, err;
  ASSERT_EQ(run_report_command({dir / "results.json"}, {}, out, err), 0) << err.str();
  EXPECT_TRUE(fs::exists(dir / "junit.xml"));
  EXPECT_TRUE(fs::exists(dir / "results.json"));
}

TEST(ReportCommand, SeveralFilesMakeAComparison) {
  TempDir dir;
  auto a = sample_run();
  auto b = sample_run();
  b.run.device.endpoint = "dut-2";
  write_atomically(dir / "a.json", results_document(a));
  write_atomically(dir / "b.json", results_document(b));
  std::ostringstream out, err;
  ASSERT_EQ(run_report_command({dir / "a.json", dir / "b.json"}, dir / "cmp", out, err), 0) << err.str();
  EXPECT_TRUE(fs::exists(dir / "cmp/comparison.html"));
  auto md = read_file(dir / "cmp/comparison.md");
  EXPECT_EQ(md.substr(0, md.find('\n')), "| case | level | dut-1 | dut-2 |");
}

TEST(ReportCommand, ABrokenFileIsExitTwoWithWhereItBroke) {
  TempDir dir;
  std::ofstream(dir / "cut.json") << "{\"format\": \"fotacheck-results\", \"cases\": [";
  std::ostringstream out, err;
  EXPECT_EQ(run_report_command({dir / "cut.json"}, {}, out, err), 2);
  EXPECT_EQ(err.str().rfind("fotacheck report: " + (dir / "cut.json").string() + ": not JSON (byte ", 0), 0u) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_report_command({dir / "missing.json"}, {}, out2, err2), 2);
  EXPECT_EQ(err2.str(), "fotacheck report: " + (dir / "missing.json").string() + ": cannot be opened\n");
}

}  // namespace
}  // namespace fc::reports
