// Markdown summary, terminal progress, text safety, profile redaction and the comparison.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/case_text.h"
#include "reports/comparison.h"
#include "reports/html_report.h"
#include "reports/junit_writer.h"
#include "reports/markdown_summary.h"
#include "reports/profile_json.h"
#include "reports/progress.h"
#include "reports/text_safety.h"
#include "runner/exit_status.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

TEST(Markdown, CountsFailedMustCasesAndTheLink) {
  EXPECT_EQ(markdown_summary(sample_run(), "report.html"),
            "## fotacheck: dut-1 — MUST case failed\n\n"
            "| cases | pass | fail | non-strict | info | skipped | not-tested | inconclusive |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            "| 8 | 1 | 2 | 1 | 1 | 1 | 1 | 1 |\n\n"
            "### Failed MUST cases\n\n"
            "- **FU-PULL-001** Pull.DownloadsOverCoap: Waiting 3000 ms for State 2 (Downloaded): expected State 2 "
            "(Downloaded), got State went 0, 1 (TS Core E.6.1; reference §3.1 T1, T4)\n\n"
            "### Failed SHOULD cases\n\n"
            "- **FU-REG-009** Registration.UpdatesLifetime: Waiting 30 s after the lifetime was written: expected a "
            "Registration Update, got none arrived (TS Core 6.2.2)\n\n"
            "### Unjudged MUST cases\n\n"
            "- **FU-RES-008** Results.UpdateFails: the device did not return to State 0 / Result 0 after the reset write\n\n"
            "### Device under test\n\n"
            "- profile file: /profiles/device.yaml\n\n"
            "fotacheck 0.1.0 · profile `sha256:00ff` · [full report](report.html)\n");
}

TEST(Markdown, IncompleteRunAndEscaping) {
  auto run = sample_run();
  run.complete = false;
  run.cases.resize(1);
  run.run.device.endpoint = "dut_*1*|x";
  auto md = markdown_summary(run);
  EXPECT_EQ(md.rfind("## fotacheck: dut\\_\\*1\\*\\|x — no MUST case failed\n\n**Incomplete run:**", 0), 0u) << md;
}

// A run whose only MUST trouble is an inconclusive case has no verdict: exit 3, and every
// report says so first (before the change it read "no MUST case failed" and exited 0).
TEST(Conclusion, InconclusiveMustCaseIsNoVerdictInEveryReport) {
  auto run = sample_run();
  for (auto& c : run.cases)
    if (c.verdict == record::Verdict::Fail) c.verdict = record::Verdict::Pass;
  EXPECT_EQ(conclusion(run), Conclusion::MustUnjudged);
  EXPECT_EQ(fc::runner::exit_status_for(conclusion(run)), 3);
  auto line = conclusion_line(run);
  EXPECT_EQ(line, "no MUST case failed, but 1 MUST case was left unjudged (inconclusive or error): no verdict");
  EXPECT_EQ(markdown_summary(run).rfind("## fotacheck: dut-1 — " + line + "\n", 0), 0u);
  EXPECT_NE(junit_text(run).find("<testsuites name=\"fotacheck: " + line), std::string::npos);
  EXPECT_NE(html_report(run).find("<title>fotacheck report: dut-1 — " + line), std::string::npos);
}

TEST(Conclusion, NeverRegisteredDeviceIsAnErroredTestcaseWithTheDiagnosis) {
  auto run = sample_run();
  run.cases.clear();
  run.diagnosis = "the device did not register within 2000 ms: expected endpoint 'dut-1'.\nNo handshake.";
  EXPECT_EQ(conclusion(run), Conclusion::NotRun);
  auto junit = junit_text(run);
  EXPECT_NE(junit.find("<testsuites name=\"fotacheck: no case was run: the device did not register within 2000 ms"),
            std::string::npos) << junit;
  EXPECT_NE(junit.find("tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<error type=\"not-run\" message=\"the device did not register"), std::string::npos);
  EXPECT_NE(junit.find("No handshake."), std::string::npos);
  auto md = markdown_summary(run);
  EXPECT_EQ(md.rfind("## fotacheck: dut-1 — no case was run: the device did not register", 0), 0u) << md;
  EXPECT_NE(md.find("No handshake."), std::string::npos);
}

TEST(Conclusion, InterruptionTakesPrecedenceOverAFailure) {
  auto run = sample_run();
  run.complete = false;
  run.interrupted_by = "SIGINT";
  EXPECT_EQ(conclusion(run), Conclusion::Interrupted);
  EXPECT_EQ(conclusion_line(run), "interrupted by SIGINT: no verdict (8 of 8 cases ran; a MUST case failed before)");
  EXPECT_NE(html_report(run).find("Interrupted by SIGINT"), std::string::npos);
}

TEST(Progress, OneLinePerCaseAndQuietTransferWhenNotATerminal) {
  std::ostringstream out;
  ProgressReporter progress(out, /*interactive=*/false);
  progress.transfer(3, 10, 2048);
  progress.on_case(sample_case(0));
  progress.on_case(sample_case(3));
  EXPECT_EQ(out.str(),
            "FU-OBJ-751         pass            0.12s\n"
            "FU-RES-002         not-tested      0.00s  the profile cannot inject flash_full on this device\n");
}

// A device's words reach the terminal as text, never as control sequences.
TEST(Progress, DeviceTextInALineIsEscaped) {
  std::ostringstream out;
  ProgressReporter progress(out, /*interactive=*/false);
  auto record = sample_case(3);
  record.reason = "device said \x1b[2J\rhi\xc2\x9b" "31m";
  progress.on_case(record);
  EXPECT_EQ(out.str(), "FU-RES-002         not-tested      0.00s  device said \\x1b[2J\\x0dhi\\xc2\\x9b31m\n");
}

TEST(Progress, TransferIndicatorRedrawsInPlaceOnATerminal) {
  std::ostringstream out;
  ProgressReporter progress(out, /*interactive=*/true);
  progress.transfer(3, 10, 2048);
  progress.transfer(4, 10, 2048);  // within 100 ms of the last draw: skipped
  progress.transfer(10, 10, 4096);  // the last block is always drawn
  progress.on_case(sample_case(0));
  EXPECT_EQ(out.str(),
            "\r\x1b[K  block 3/10  2.0 KiB/s"
            "\r\x1b[K  block 10/10  4.0 KiB/s"
            "\r\x1b[K"
            "FU-OBJ-751         pass            0.12s\n");
}

// On a terminal the case that runs is on one status line, replaced by its result line.
TEST(Progress, StatusLineNamesTheRunningCaseOnATerminal) {
  std::ostringstream out;
  ProgressReporter progress(out, /*interactive=*/true);
  progress.case_started("FU-OBJ-751", 1, 2);
  progress.transfer(10, 10, 4096);
  progress.on_case(sample_case(0));
  EXPECT_EQ(out.str(),
            "\r\x1b[K[1/2] FU-OBJ-751 running"
            "\r\x1b[K[1/2] FU-OBJ-751 running  block 10/10  4.0 KiB/s"
            "\r\x1b[K"
            "FU-OBJ-751         pass            0.12s\n");
}

// In a log (not a terminal, or CI=true) there is no status line: the case lines alone.
TEST(Progress, NoStatusLineWhenNotInteractive) {
  std::ostringstream out;
  ProgressReporter progress(out, /*interactive=*/false);
  progress.case_started("FU-OBJ-751", 1, 2);
  progress.transfer(10, 10, 4096);
  progress.on_case(sample_case(0));
  EXPECT_EQ(out.str(), "FU-OBJ-751         pass            0.12s\n");
}

TEST(TextSafety, InvalidBytesAndControlsBecomeEscapes) {
  EXPECT_EQ(safe_text("ok \xc3\xa9 \xe2\x86\x92"), "ok \xc3\xa9 \xe2\x86\x92");
  EXPECT_EQ(safe_text(std::string("a\x01\x7f\xff\xc3(\tb\n", 9)), "a\\x01\\x7f\\xff\\xc3(\tb\n");
  EXPECT_EQ(safe_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(safe_text("\xef\xbf\xbf"), "\\xef\\xbf\\xbf");  // U+FFFF is not an XML character
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(first_line("one\ntwo"), "one");
  EXPECT_EQ(first_line("\xe2\x86\x92\xe2\x86\x92", 4), "\xe2\x86\x92…");
}

// An endpoint name or a device log on stderr: ESC, CR, DEL and the C1 controls (U+009B is a
// CSI on some terminals) are escaped; a multi-line diagnosis keeps its lines.
TEST(TextSafety, TerminalTextCannotDriveTheTerminal) {
  EXPECT_EQ(terminal_text("ep-\x1b]0;pwned\x07\n  next \xc3\xa9\tx\r\nlast\rover\x7f\xc2\x9b\xc2\xa0"),
            "ep-\\x1b]0;pwned\\x07\n  next \xc3\xa9\tx\nlast\\x0dover\\x7f\\xc2\\x9b\xc2\xa0");
  EXPECT_EQ(terminal_line("dev\n1\tA\x1b[31m\xff"), "dev\\x0a1\\x09A\\x1b[31m\\xff");
  EXPECT_EQ(safe_text("\xc2\x9b"), "\xc2\x9b");  // legal in XML, left to the reports
}

TEST(ProfileJson, SecretsAreRedactedAndTheHashFollowsTheProfile) {
  profile::Profile p;
  p.device.endpoint = "dut-{run}";
  p.server.security.mode = profile::SecurityMode::Psk;
  p.server.security.psk.identity = "dut-identity";
  p.server.security.psk.key = Bytes{1, 2, 3};
  p.server.security.psk.key_env = "DUT_PSK";
  p.adapter.process.env = {{"API_TOKEN", "s3cret"}, {"LOG_LEVEL", "debug"}};
  p.adapter.process.args = {"--psk-key", "00112233", "--token=abc", "--verify-key", "{profile_dir}/k.pub.pem", "--port", "5683"};
  p.capabilities.pull = {profile::PullScheme::Coap};
  auto j = profile_to_json(p);
  EXPECT_EQ(j["server"]["security"]["psk"]["key"], "<redacted>");
  EXPECT_EQ(j["server"]["security"]["psk"]["identity"], "<redacted>");
  EXPECT_EQ(j["server"]["security"]["psk"]["key_env"], "DUT_PSK");
  EXPECT_EQ(j["adapter"]["process"]["env"]["API_TOKEN"], "<redacted>");
  EXPECT_EQ(j["adapter"]["process"]["env"]["LOG_LEVEL"], "debug");
  EXPECT_EQ(j["adapter"]["process"]["args"], nlohmann::json::array({"--psk-key", "<redacted>", "--token=<redacted>", "--verify-key",
                                                                     "{profile_dir}/k.pub.pem", "--port", "5683"}));
  EXPECT_EQ(j["capabilities"]["pull"], nlohmann::json::array({"coap"}));
  EXPECT_EQ(j.dump().find("s3cret"), std::string::npos);
  auto hash = profile_hash(j);
  EXPECT_EQ(hash.size(), 7u + 64u);
  EXPECT_EQ(hash, profile_hash(profile_to_json(p)));
  p.timing.scale = 2.0;
  EXPECT_NE(hash, profile_hash(profile_to_json(p)));
}

// The runs of one lab's devices (a profile with devices:) merge: their hash leaves out what an
// entry sets for its own device, and nothing else.
TEST(ProfileJson, LabDevicesOfOneProfileShareTheirHash) {
  profile::Profile a;
  a.device.name = "Acme T1";
  a.device.endpoint = "board-a";
  a.adapter.type = profile::AdapterType::Hooks;
  a.adapter.hooks.power_on = "relay 1 on";
  a.server.port = 5701;
  a.lab_device = "rig-a";
  profile::Profile b = a;
  b.device.endpoint = "";
  b.device.endpoint_pattern = "board-b-[0-9]+";
  b.adapter.hooks.power_on = "relay 2 on";
  b.server.port = 5702;
  b.server.security.psk.identity = "board-b";
  b.repository.coap_port = 5802;
  b.lab_device = "rig-b";
  auto ja = profile_to_json(a), jb = profile_to_json(b);
  EXPECT_EQ(ja["lab_device"], "rig-a");
  EXPECT_NE(profile_hash(ja), profile_hash(jb));
  EXPECT_EQ(lab_profile_hash(ja), lab_profile_hash(jb));
  b.timing.scale = 2.0;
  EXPECT_NE(lab_profile_hash(ja), lab_profile_hash(profile_to_json(b)));
  // A profile of one device has no lab_device key, so its hash is what it always was.
  a.lab_device.clear();
  EXPECT_FALSE(profile_to_json(a).contains("lab_device"));
}

TEST(ProfileJson, DownloadInactivityIsShownWhenSet) {
  profile::Profile p;
  EXPECT_FALSE(profile_to_json(p)["timing"].contains("download_inactivity_ms"));
  p.timing.download_inactivity = Duration(5000);
  EXPECT_EQ(profile_to_json(p)["timing"]["download_inactivity_ms"], 5000);
}

TEST(Headline, AFindingReadsAsOneSentenceInProtocolWords) {
  record::Finding f{record::Finding::Kind::Violation, "Execute /5/0/2 in State 0 (Idle)", "4.05 Method Not Allowed",
                    "2.04 Changed", "", "", {}, {}};
  EXPECT_EQ(record::headline(f, "TS Core E.6.1; ETS 772"),
            "Execute /5/0/2 in State 0 (Idle): expected 4.05 Method Not Allowed, got 2.04 Changed (TS Core E.6.1; ETS 772)");
  f.requirement = "reference §3.1";
  EXPECT_EQ(record::headline(f, "TS Core E.6.1"),
            "Execute /5/0/2 in State 0 (Idle): expected 4.05 Method Not Allowed, got 2.04 Changed (reference §3.1)");
}

TEST(Headline, ACaseHeadlineIsItsFirstFindingOrItsReason) {
  auto run = sample_run();
  EXPECT_EQ(headline(run.cases[1]),
            "Waiting 3000 ms for State 2 (Downloaded): expected State 2 (Downloaded), got State went 0, 1 "
            "(TS Core E.6.1; reference §3.1 T1, T4)");
  run.cases[1].findings.clear();
  run.cases[1].reason = "the device does not declare push\nsecond line";
  EXPECT_EQ(headline(run.cases[1]), "the device does not declare push");
}

TEST(Comparison, CasesAsRowsDevicesAsColumns) {
  auto a = sample_run();
  auto b = sample_run();
  b.run.device.endpoint = "dut-2";
  b.cases[1].verdict = record::Verdict::Pass;
  b.cases[1].findings.clear();
  b.cases.pop_back();  // dut-2 did not run FU-REG-009
  std::vector<ComparedRun> runs{{"dut-1", a}, {"dut-2", b}};
  auto md = comparison_markdown(runs);
  EXPECT_NE(md.find("| case | level | dut-1 | dut-2 |\n|---|---|---|---|\n"), std::string::npos) << md;
  // A cell that did not pass carries its headline.
  auto cell = [](const record::CaseRecord& c) { return "fail: " + markdown_inline(first_line(headline(c), 200)); };
  EXPECT_NE(md.find("| FU-PULL-001 | MUST | " + cell(a.cases[1]) + " | pass |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| FU-REG-009 | SHOULD | " + cell(a.cases.back()) + " | — |\n"), std::string::npos) << md;
  auto html = comparison_html(runs);
  EXPECT_NE(html.find("<tr><th>MUST failed</th><td></td><td><b>yes</b></td><td>no</td></tr>"), std::string::npos);
}

}  // namespace
}  // namespace fc::reports
