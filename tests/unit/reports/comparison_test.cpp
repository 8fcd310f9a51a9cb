// Comparison columns named by device (device.name, then the endpoint, then the file), failing
// cells with their headline, and summary.md's absolute link with --report-url.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/case_text.h"
#include "reports/comparison.h"
#include "reports/markdown_summary.h"
#include "reports/report_set.h"
#include "reports/results_json.h"
#include "reports/text_safety.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

std::string first_line_of(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(Comparison, ColumnsAreNamedByDeviceNameThenEndpointThenFile) {
  auto named = sample_run();
  named.run.device.name = "Acme T1 rev B";
  auto unnamed = sample_run();
  unnamed.run.device.endpoint = "refclient-4f2a";
  auto anonymous = sample_run();
  anonymous.run.device.endpoint.clear();
  auto twin = sample_run();
  twin.run.device.name = "Acme T1 rev B";
  auto runs = label_compared_runs({{"a.json", named}, {"b.json", unnamed}, {"c.json", anonymous}, {"d.json", twin}});
  EXPECT_EQ(first_line_of(comparison_markdown(runs)),
            "| case | level | Acme T1 rev B | refclient-4f2a | c.json | Acme T1 rev B (d.json) |");
  EXPECT_NE(comparison_html(runs).find("<th>Acme T1 rev B<div"), std::string::npos);
}

TEST(Comparison, EachFailingCellShowsItsHeadline) {
  auto run = sample_run();
  auto runs = label_compared_runs({{"a.json", run}});
  auto md = comparison_markdown(runs);
  const auto& failing = run.cases[1];
  ASSERT_EQ(failing.verdict, record::Verdict::Fail);
  auto why = headline(failing);
  ASSERT_FALSE(why.empty());
  auto row_start = md.find("| " + markdown_inline(case_label(failing)) + " |");
  ASSERT_NE(row_start, std::string::npos) << md;
  auto row = md.substr(row_start, md.find('\n', row_start) - row_start);
  EXPECT_NE(row.find("fail: " + markdown_inline(first_line(why, 200))), std::string::npos) << row;
  // A passing cell is the verdict alone.
  auto pass_row = md.substr(md.find("| " + markdown_inline(case_label(run.cases[0])) + " |"));
  EXPECT_EQ(first_line_of(pass_row), "| " + markdown_inline(case_label(run.cases[0])) + " | MUST | pass |");
}

TEST(SummaryLinks, ReportUrlMakesTheLinkAbsolute) {
  EXPECT_EQ(html_report_link(""), "report.html");
  EXPECT_EQ(html_report_link("https://ci.example/job/7/artifacts"), "https://ci.example/job/7/artifacts/report.html");
  EXPECT_EQ(html_report_link("https://ci.example/a/"), "https://ci.example/a/report.html");
  EXPECT_NE(report_url_problem("reports/run-1"), "");
  EXPECT_NE(report_url_problem("https://ci.example/a b"), "");
  EXPECT_EQ(report_url_problem("http://ci.example/a"), "");

  TempDir dir;
  write_file(dir / "results.json", results_document(sample_run()));
  std::ostringstream out, err;
  ASSERT_EQ(run_report_command({dir / "results.json"}, dir / "out", out, err, "https://ci.example/run/9"), 0) << err.str();
  EXPECT_NE(read_file(dir / "out/summary.md").find("[full report](https://ci.example/run/9/report.html)"), std::string::npos);
  std::ostringstream out2, err2;
  EXPECT_EQ(run_report_command({dir / "results.json"}, dir / "out", out2, err2, "run/9"), 2);
  EXPECT_NE(err2.str().find("--report-url must be an absolute http:// or https:// URL"), std::string::npos) << err2.str();
}

}  // namespace
}  // namespace fc::reports
