// JUnit XML: valid against Jenkins' xUnit schema, verdicts mapped honestly, and read by a
// real JUnit consumer from npm (junit2json) with the same counts.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "reports/junit_writer.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;

const std::string kSchema = FOTACHECK_SOURCE_DIR "/../shared/data/junit-10.xsd";
const std::string kTools = FOTACHECK_SOURCE_DIR "/tests/tools";

pugi::xml_node testcase(const pugi::xml_document& doc, const char* name) {
  return doc.select_node((std::string("//testcase[@name='") + name + "']").c_str()).node();
}

std::string property(const pugi::xml_document& doc, const std::string& name) {
  return doc.select_node(("//property[@name='" + name + "']").c_str()).node().attribute("value").as_string("<absent>");
}

TEST(Junit, ValidatesAgainstTheJenkinsXunitSchema) {
  ASSERT_TRUE(std::filesystem::exists(kSchema)) << kSchema;
  TempDir dir;
  write_junit(sample_run(), dir / "junit.xml");
  auto result = run_command("xmllint --noout --schema '" + kSchema + "' '" + (dir / "junit.xml").string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("junit.xml validates"), std::string::npos) << result.output;
}

TEST(Junit, AnIncompleteRunAndAnEmptyRunValidateToo) {
  TempDir dir;
  auto partial = sample_run();
  partial.cases.resize(2);
  partial.complete = false;
  write_junit(partial, dir / "partial.xml");
  write_junit(RunRecord{}, dir / "empty.xml");
  for (const char* file : {"partial.xml", "empty.xml"}) {
    auto result = run_command("xmllint --noout --schema '" + kSchema + "' '" + (dir / file).string() + "'");
    EXPECT_EQ(result.exit_code, 0) << file << ": " << result.output;
  }
}

TEST(Junit, OneSuitePerAreaWithCounts) {
  pugi::xml_document doc;
  build_junit(sample_run(), doc);
  auto root = doc.child("testsuites");
  EXPECT_STREQ(root.attribute("tests").value(), "8");
  EXPECT_STREQ(root.attribute("failures").value(), "2");
  std::vector<std::string> areas;
  for (auto suite : root.children("testsuite")) areas.push_back(suite.attribute("name").value());
  EXPECT_EQ(areas, (std::vector<std::string>{"Registration", "Pull", "Push", "Results", "Transfer", "Observe"}));
  auto results = root.find_child_by_attribute("testsuite", "name", "Results");
  EXPECT_STREQ(results.attribute("tests").value(), "2");
  EXPECT_STREQ(results.attribute("skipped").value(), "2");
  EXPECT_STREQ(results.attribute("failures").value(), "0");
  EXPECT_STREQ(results.attribute("time").value(), "5.000");
  EXPECT_STREQ(results.attribute("timestamp").value(), "2024-05-01T12:00:03");
}

TEST(Junit, FailIsAFailureWithExpectedAndObserved) {
  pugi::xml_document doc;
  build_junit(sample_run(), doc);
  auto tc = testcase(doc, "FU-PULL-001 DownloadsOverCoap");
  EXPECT_STREQ(tc.attribute("classname").value(), "fotacheck.Pull");
  EXPECT_STREQ(tc.attribute("time").value(), "3.100");
  auto failure = tc.child("failure");
  EXPECT_STREQ(failure.attribute("type").value(), "fail");
  // The headline is the first finding in protocol words; the body every finding, with its detail.
  EXPECT_STREQ(failure.attribute("message").value(),
               "Waiting 3000 ms for State 2 (Downloaded): expected State 2 (Downloaded), got State went 0, 1 "
               "(TS Core E.6.1; reference §3.1 T1, T4)");
  EXPECT_STREQ(failure.text().get(),
               "Waiting 3000 ms for State 2 (Downloaded): expected State 2 (Downloaded), got State went 0, 1 "
               "(TS Core E.6.1; reference §3.1 T1, T4)\n"
               "Read /5/0/5 (Update Result): expected Update Result 0 (Initial value), got Update Result 4 \\x01 with a "
               "control byte (TS Core E.6.1)\n  second line\n");
  EXPECT_TRUE(tc.child("skipped").empty());
}

TEST(Junit, SkippedNotTestedAndInconclusiveAreSkippedWithTheVerdictFirst) {
  pugi::xml_document doc;
  build_junit(sample_run(), doc);
  EXPECT_STREQ(testcase(doc, "FU-PUSH-001 WritesPackage").child("skipped").attribute("message").value(),
               "skipped: the device does not declare push");
  EXPECT_STREQ(testcase(doc, "FU-RES-002 FlashFull").child("skipped").attribute("message").value(),
               "not-tested: the profile cannot inject flash_full on this device");
  EXPECT_STREQ(testcase(doc, "FU-RES-008 UpdateFails").child("skipped").attribute("message").value(),
               "inconclusive: the device did not return to State 0 / Result 0 after the reset write");
}

TEST(Junit, NonStrictAndInfoPassWithTheirVerdictAsProperty) {
  pugi::xml_document doc;
  build_junit(sample_run(), doc);
  for (const char* name : {"FU-OBS-002 NotifiesEveryChange", "FU-INFO-001 DownloadTime"}) {
    auto tc = testcase(doc, name);
    ASSERT_FALSE(tc.empty()) << name;
    EXPECT_TRUE(tc.child("failure").empty() && tc.child("skipped").empty() && tc.child("error").empty()) << name;
  }
  EXPECT_EQ(property(doc, "FU-OBS-002.verdict"), "non-strict");
  EXPECT_EQ(property(doc, "FU-INFO-001.verdict"), "info");
  EXPECT_EQ(property(doc, "FU-PULL-001.ets"), "756");
  EXPECT_EQ(property(doc, "FU-PULL-001.clause"), "TS Core E.6.1; reference §3.1 T1, T4");
  EXPECT_EQ(property(doc, "FU-PULL-001.level"), "MUST");
  EXPECT_EQ(property(doc, "FU-PULL-001.id"), "FU-PULL-001");
  EXPECT_EQ(property(doc, "run.complete"), "true");
}

TEST(Junit, SystemOutHoldsTheHeaderTimelineAndTrace) {
  pugi::xml_document doc;
  build_junit(sample_run(), doc);
  std::string out = testcase(doc, "FU-PULL-001 DownloadsOverCoap").child("system-out").text().get();
  EXPECT_EQ(out.rfind("id: FU-PULL-001\nlevel: MUST\nverdict: fail\nclause: TS Core E.6.1; reference §3.1 T1, T4\nETS: 756\n", 0), 0u)
      << out;
  EXPECT_NE(out.find("timeline:\n+1.0ms State 0 (observe)\n+1.2ms Update Result 0 (observe)\n+30.0ms State 1 (notify)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("+40.5ms → repository-coap 127.0.0.1:40123 ACK 2.05 Content mid=4096 tok=4a1000 Block2:0/1/1024 "
                     "Size2:8192 ETag:e701 payload=256B  [payload 1024B, first 256B kept]\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("+130.0ms repository-coap note: impairment: dropped (after block 7)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("CON 0.01 GET mid=1024 tok=4a0400 /5/\\xff\\xfe\\x01\n"), std::string::npos) << out;
}

TEST(Junit, Junit2jsonFromNpmReadsTheSameCounts) {
  auto script = kTools + "/junit-counts.mjs";
  if (!std::filesystem::exists(kTools + "/node_modules/junit2json")) {
    GTEST_SKIP() << "junit2json is not installed: run `npm ci --prefix tests/tools` (scripts/setup --with reports does)";
  }
  TempDir dir;
  write_junit(sample_run(), dir / "junit.xml");
  auto result = run_command("node '" + script + "' '" + (dir / "junit.xml").string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output,
            "suites=6 tests=8 failures=2 skipped=3\n"
            "Registration tests=2 failures=1 skipped=0\n"
            "Pull tests=1 failures=1 skipped=0\n"
            "Push tests=1 failures=0 skipped=1\n"
            "Results tests=2 failures=0 skipped=2\n"
            "Transfer tests=1 failures=0 skipped=0\n"
            "Observe tests=1 failures=0 skipped=0\n"
            "FU-REG-009 UpdatesLifetime: failure Waiting 30 s after the lifetime was written: expected a Registration "
            "Update, got none arrived (TS Core 6.2.2)\n"
            "FU-PULL-001 DownloadsOverCoap: failure Waiting 3000 ms for State 2 (Downloaded): expected State 2 "
            "(Downloaded), got State went 0, 1 (TS Core E.6.1; reference §3.1 T1, T4)\n");
}

}  // namespace
}  // namespace fc::reports
