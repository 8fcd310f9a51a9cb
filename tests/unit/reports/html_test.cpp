// The HTML report: self-contained, the parts the issue asks for, and loaded by headless
// Chromium without console errors, with a screenshot taken.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fstream>
#include <regex>

#include "reports/html_report.h"
#include "reports/message_sequence.h"
#include "reports/svg_timeline.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

const char* const kChromium = "/usr/bin/chromium";

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Html, NeedsNoNetwork) {
  auto html = html_report(sample_run());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // No external script, stylesheet, image or font: every src/href is local or a fragment.
  std::regex external(R"((src|href)\s*=\s*"(https?:)?//)");
  EXPECT_FALSE(std::regex_search(html, external));
  EXPECT_EQ(occurrences(html, "<link rel=\"icon\" href=\"data:,\">"), 1u);
  EXPECT_EQ(occurrences(html, "@import"), 0u);
  EXPECT_EQ(occurrences(html, "url("), 0u);
}

TEST(Html, HeaderCountsGridsAndEveryCase) {
  auto html = html_report(sample_run());
  EXPECT_NE(html.find("<td>Device endpoint</td><td class=\"mono\">dut-1</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Profile hash</td><td class=\"mono\">sha256:00ff</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Suite version</td><td>fotacheck 0.1.0</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Device reported: lwm2m_version</td><td>1.1</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Started</td><td>2024-05-01 12:00:00 UTC</td>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"count\"><b>2</b><span class=\"v v-fail\">fail</span></div>"), std::string::npos);
  EXPECT_NE(html.find("States × Update Results reached"), std::string::npos);
  EXPECT_NE(html.find("<h2>State transitions exercised</h2>"), std::string::npos);
  EXPECT_EQ(html.find("State transitions observed"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<section class=\"case "), 8u);
  EXPECT_EQ(occurrences(html, "<svg class=\"timeline\""), 4u);  // the cases with a timeline
  EXPECT_EQ(occurrences(html, "data-kind=\"verdict\""), record::all_verdicts().size());
  EXPECT_EQ(occurrences(html, "data-kind=\"area\""), 6u);
  EXPECT_EQ(html.find("Incomplete run"), std::string::npos);
}

// The verdict first, then the failures with the message that broke the rule, device metadata after.
TEST(Html, LeadsWithTheVerdictThenTheFailuresThenTheDevice) {
  auto run = sample_run();
  auto html = html_report(run);
  auto banner = html.find("<div class=\"verdict-banner not-conformant\" id=\"verdict\"><div class=\"verdict-words\">Not conformant</div>");
  auto failures = html.find("<h2 id=\"failures\">Failures (");
  auto device = html.find("<h2>Device and run</h2>");
  ASSERT_NE(banner, std::string::npos);
  ASSERT_NE(failures, std::string::npos);
  ASSERT_NE(device, std::string::npos);
  EXPECT_LT(banner, failures);
  EXPECT_LT(failures, device);
  EXPECT_LT(banner, html.find("<td>Device endpoint</td>"));
  EXPECT_NE(html.find("<tr data-level=\"MUST\"><th>MUST</th>"), std::string::npos);
  // FU-PULL-001's finding points at trace entry 3 (block 0's 2.05): linked and marked, not folded.
  EXPECT_NE(html.find("href=\"#case-FU-PULL-001-msg-3\">the message</a>"), std::string::npos);
  auto row = html.find("<tr class=\"sent marked\" id=\"case-FU-PULL-001-msg-3\">");
  ASSERT_NE(row, std::string::npos);
  EXPECT_NE(html.find("broke the rule", row), std::string::npos);
  EXPECT_EQ(occurrences(html, " marked\" id=\""), 1u);

  for (auto& c : run.cases)
    if (c.verdict == record::Verdict::Fail) c.verdict = record::Verdict::Inconclusive;
  EXPECT_NE(html_report(run).find("<div class=\"verdict-banner not-judged\" id=\"verdict\"><div class=\"verdict-words\">Not judged</div>"),
            std::string::npos);
  for (auto& c : run.cases)
    if (c.verdict == record::Verdict::Inconclusive) c.verdict = record::Verdict::Pass;
  EXPECT_NE(html_report(run).find("<div class=\"verdict-words\">Conformant</div>"), std::string::npos);
}

TEST(Html, GridsNameTheCasesThatReachedACell) {
  auto html = html_report(sample_run());
  // State 0 with Result 1 was reached only by the info case, after its update.
  EXPECT_NE(html.find("<td class=\"hit\">✔<span class=\"cases\"><a href=\"#case-FU-INFO-001\">FU-INFO-001</a></span></td>"),
            std::string::npos);
  // 0 → 2 (push-style jump, legal) by the non-strict case; 3 → 0 by the info case.
  EXPECT_NE(html.find("<a href=\"#case-FU-OBS-002\">FU-OBS-002</a>"), std::string::npos);
}

// The transition grid shows the oracle's recorded cells: the Result each step left, the §3.1
// rows that explain it, and the cases, in run order.
TEST(Html, TransitionGridShowsTheRecordedCells) {
  auto html = html_report(sample_run());
  EXPECT_NE(html.find("<td class=\"hit\" title=\"allowed\">✔<span class=\"step\">Result 0 Initial by T1</span>"
                      "<span class=\"cases\"><a href=\"#case-FU-PULL-001\">FU-PULL-001</a>, "
                      "<a href=\"#case-FU-INFO-001\">FU-INFO-001</a></span></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"hit\" title=\"allowed\">✔<span class=\"step\">Result 0 Initial by T1+T4</span>"
                      "<span class=\"cases\"><a href=\"#case-FU-OBS-002\">FU-OBS-002</a></span></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"hit\" title=\"allowed\">✔<span class=\"step\">Result 1 Success by T9</span>"
                      "<span class=\"cases\"><a href=\"#case-FU-INFO-001\">FU-INFO-001</a></span></td>"),
            std::string::npos);
  EXPECT_EQ(occurrences(html, "<span class=\"step\">"), 5u);
  // 0 → 0 and 2 → 2 have rows (T16, T13) and stay open; 1 → 1 has none.
  EXPECT_EQ(occurrences(html, "<td class=\"illegal\" title=\"no change\">—</td>"), 2u);
}

// A timeline step the oracle did not record (it failed its case) is not re-derived into the
// grid; two results and a restart step in one cell are listed one after the other.
TEST(Html, TransitionGridIgnoresTimelinesAndListsEachRecordedStep) {
  auto run = sample_run();
  auto& jump = run.cases[6];  // State 0, 2, then 1: a step no row allows, and no recorded cell
  jump.timeline.add(record::TimelineEntry{jump.started + std::chrono::milliseconds(250),
                                            record::FirmwareResource::State, 1, "notify"});
  auto& update = run.cases[5];
  update.transitions.push_back({3, 2, 8, "T10"});
  update.transitions.push_back({3, 2, 8, "restart"});
  auto html = html_report(run);
  EXPECT_EQ(occurrences(html, "<td class=\"illegal\" title=\"no row of the state machine\"></td>"), 3u);  // 0→3, 2→1, 3→1
  EXPECT_EQ(html.find("illegal hit"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"hit\" title=\"allowed\">✔<span class=\"step\">Result 8 Update failed by T10</span>"
                      "<span class=\"cases\"><a href=\"#case-FU-INFO-001\">FU-INFO-001</a></span>"
                      "<span class=\"step\">Result 8 Update failed by restart</span>"
                      "<span class=\"cases\"><a href=\"#case-FU-INFO-001\">FU-INFO-001</a></span></td>"),
            std::string::npos);
}

TEST(Html, CaseShowsRequirementExpectedObservedAndEscapesDeviceText) {
  auto html = html_report(sample_run());
  auto at = html.find("id=\"case-FU-PULL-001\"");
  ASSERT_NE(at, std::string::npos);
  auto section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_NE(section.find("<p><b>Requirement:</b> requirement of FU-PULL-001</p>"), std::string::npos);
  EXPECT_NE(section.find("<li>Waiting 3000 ms for State 2 (Downloaded): expected State 2 (Downloaded), got State went 0, 1"),
            std::string::npos);
  // Device text in a finding is escaped: the control byte never reaches the page raw.
  EXPECT_EQ(section.find('\x01'), std::string::npos);
  EXPECT_NE(section.find("OMA ETS 756"), std::string::npos);
  // Block 0's 2.05 is the finding's message: its own, marked row; the rest of the download folds.
  EXPECT_NE(section.find("Block2 #1–#7 (1024 B blocks) GET /fw/pkg: 7 requests, 7 responses (2.05 Content), 7168 payload bytes"),
            std::string::npos);
  EXPECT_NE(section.find("/5/\\xff\\xfe\\x01"), std::string::npos);
  EXPECT_NE(section.find("tshark -r pcap/FU-PULL-001.pcapng -Y coap"),
            std::string::npos);
}

TEST(Html, IncompleteRunSaysSo) {
  auto run = sample_run();
  run.complete = false;
  run.cases.resize(2);
  auto html = html_report(run);
  EXPECT_NE(html.find("<b>Incomplete run.</b>"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<section class=\"case "), 2u);
}

TEST(MessageSequence, FoldsBlockTransfersIntoOneRow) {
  auto download = sample_case(1);
  auto pointed = download.findings;
  download.findings.clear();  // no finding points into the transfer
  auto rows = message_sequence(download);
  ASSERT_EQ(rows.size(), 6u);  // write, ack, the folded download, the note, the odd request, its 4.04
  EXPECT_EQ(rows[2].folded, 16u);
  EXPECT_EQ(rows[2].t_ms, 40.0);
  EXPECT_EQ(rows[2].end_ms, 110.5);
  EXPECT_EQ(rows[2].text, "Block2 #0–#7 (1024 B blocks) GET /fw/pkg: 8 requests, 8 responses (2.05 Content), 8192 payload bytes");
  EXPECT_TRUE(rows[3].note);
  EXPECT_EQ(rows[3].text, "impairment: dropped (after block 7)");
  EXPECT_TRUE(rows[5].error);
  // Below the threshold nothing folds.
  EXPECT_EQ(message_sequence(download, 17).size(), 21u);
  // A finding's message (block 0's 2.05, entry 3) is never folded: its own marked row.
  download.findings = pointed;
  rows = message_sequence(download);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_TRUE(rows[3].marked);
  EXPECT_EQ(rows[3].trace_index, 3u);
  EXPECT_EQ(rows[4].folded, 14u);
  EXPECT_EQ(rows[4].trace_index, 4u);
}

TEST(SvgTimeline, TwoLanesWithOnePointPerChange) {
  auto svg = timeline_svg(sample_case(5));
  EXPECT_EQ(svg.rfind("<svg class=\"timeline\"", 0), 0u);
  EXPECT_EQ(occurrences(svg, "<circle"), 7u);  // State 0,1,2,3,0 and Result 0,1
  EXPECT_NE(svg.find("<title>+881.0 ms 1 Success (read)</title>"), std::string::npos);
  EXPECT_EQ(timeline_svg(sample_case(2)), "");
}

TEST(Html, ChromiumLoadsItWithoutConsoleErrorsAndTakesAScreenshot) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << kChromium << " is absent (scripts/setup --with reports installs it)";
  TempDir dir;
  write_html_report(sample_run(), dir / "report.html");
  auto profile = dir / "chromium-profile";
  auto shot = dir / "report.png";
  auto result = run_command(
      fmt::format("{} --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                  "--disable-sync --no-first-run --user-data-dir='{}' --enable-logging=stderr --v=0 "
                  "--screenshot='{}' --window-size=1280,2000 'file://{}'",
                  kChromium, profile.string(), shot.string(), (dir / "report.html").string()),
      60);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.find("Uncaught"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find(":CONSOLE("), std::string::npos) << result.output;
  ASSERT_TRUE(std::filesystem::exists(shot)) << result.output;
  // A blank page compresses to a few kB; the report's text, grids and SVG do not.
  EXPECT_GT(std::filesystem::file_size(shot), 60000u);
  auto png = read_file(shot);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  // Kept in the build tree for a person (or CI artifact) to look at.
  std::filesystem::copy_file(shot, FOTACHECK_BINARY_DIR "/tests/unit/reports/report-screenshot.png",
                             std::filesystem::copy_options::overwrite_existing);

  // The same check does see an error: a page with a broken script is caught.
  std::ofstream(dir / "broken.html") << "<!DOCTYPE html><html><body><script>no_such_function();</script></body></html>";
  auto broken = run_command(
      fmt::format("{} --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                  "--disable-sync --no-first-run --user-data-dir='{}' --enable-logging=stderr --v=0 "
                  "--screenshot='{}' --window-size=400,300 'file://{}'",
                  kChromium, profile.string(), (dir / "broken.png").string(), (dir / "broken.html").string()),
      60);
  EXPECT_NE(broken.output.find("Uncaught ReferenceError: no_such_function is not defined"), std::string::npos) << broken.output;
}

}  // namespace
}  // namespace fc::reports
