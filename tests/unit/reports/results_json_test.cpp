// results.json: a lossless round trip, clear errors naming the key path, and a file that stays
// valid JSON holding every finished case when the run is cut short or crashes.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "reports/results_json.h"
#include "reports/results_writer.h"
#include "suite/profile/capabilities.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;
using nlohmann::json;

TEST(ResultsJson, RoundTripRebuildsTheSameDocument) {
  auto run = sample_run();
  auto text = results_document(run);
  auto back = parse_results(text, "results.json");
  EXPECT_EQ(results_document(back), text);
  ASSERT_EQ(back.cases.size(), 8u);
  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.run.device.endpoint, "dut-1");
  EXPECT_EQ(back.run.started_unix_ms, 1714564800000);
}

// A bootstrapped device's section (run.device.bootstrap) is written and read back as it was.
TEST(ResultsJson, BootstrapSectionRoundTrips) {
  auto run = sample_run();
  run.run.device.bootstrap = json{{"server_uri", "coaps://127.0.0.1:40124"}, {"security", "PSK"},
                                  {"dm_server_uri", "coaps://127.0.0.1:40123"}, {"dm_security", "PSK"},
                                  {"dm_credentials", "per-run"}, {"attempts", 1}, {"state", "finished"},
                                  {"steps", json::array({"Delete /0 → 2.02 Deleted"})}, {"finish", "2.04 Changed"}};
  auto text = results_document(run);
  auto back = parse_results(text, "results.json");
  EXPECT_EQ(back.run.device.bootstrap, run.run.device.bootstrap);
  EXPECT_EQ(results_document(back), text);
  EXPECT_TRUE(sample_run().run.device.bootstrap.is_null()) << "a factory-configured device has no bootstrap section";
}

// Every capability and fault of the tables, every verdict, every finding field and measurement
// kind survive a write and a read: a report can always be rebuilt from results.json.
TEST(ResultsJson, EveryCapabilityFaultVerdictAndFindingRoundTrips) {
  auto run = sample_run();
  auto model = run.cases.front();
  run.cases.clear();
  for (auto verdict : record::all_verdicts()) {
    auto c = model;
    c.meta.id = "FU-ROUNDTRIP-" + record::to_string(verdict);
    c.meta.name = "RoundTrip" + std::to_string(run.cases.size());
    c.verdict = verdict;
    c.reason = verdict == record::Verdict::Pass ? "" : "because " + record::to_string(verdict);
    c.meta.needs.clear();
    for (const auto& row : profile::capability_table()) c.meta.needs.push_back(row.capability);
    c.meta.faults.clear();
    for (const auto& row : profile::fault_table()) c.meta.faults.push_back(row.fault);
    c.findings = {record::Finding{record::Finding::Kind::Violation, "Execute /5/0/2 in State 0 (Idle)",
                                  "4.05 Method Not Allowed", "2.04 Changed", "TS Core E.6.1", "detail", 0,
                                  c.started + std::chrono::milliseconds(5)},
                  record::Finding{record::Finding::Kind::Error, "preparing the case", "", "an unexpected error: x", "",
                                  "", {}, {}}};
    c.measurements = {{"download_ms", "812"}, {"repository /fw/a.bin", "1 B package; 2 requests"}, {"rssi", "-70"}};
    run.cases.push_back(c);
  }
  auto text = results_document(run);
  auto back = parse_results(text, "results.json");
  EXPECT_EQ(results_document(back), text);
  ASSERT_EQ(back.cases.size(), record::all_verdicts().size());
  for (std::size_t i = 0; i < back.cases.size(); ++i) {
    EXPECT_EQ(back.cases[i].verdict, record::all_verdicts()[i]);
    EXPECT_EQ(back.cases[i].meta.needs.size(), profile::capability_table().size());
    EXPECT_EQ(back.cases[i].meta.faults.size(), profile::fault_table().size());
    ASSERT_EQ(back.cases[i].findings.size(), 2u);
    EXPECT_EQ(back.cases[i].findings[1].kind, record::Finding::Kind::Error);
    // Times are kept relative to the case's start (the run's clock is not the reader's).
    ASSERT_TRUE(back.cases[i].findings[0].at.has_value());
    EXPECT_EQ(offset_ms(back.cases[i].started, *back.cases[i].findings[0].at),
              offset_ms(run.cases[i].started, *run.cases[i].findings[0].at));
    EXPECT_FALSE(back.cases[i].findings[1].at.has_value());
  }
}

TEST(ResultsJson, RoundTripKeepsVerdictsTimesTimelineAndTrace) {
  auto back = parse_results(results_document(sample_run()), "results.json");
  const auto& download = back.cases[1];
  EXPECT_EQ(download.meta.id, "FU-PULL-001");
  EXPECT_EQ(download.verdict, record::Verdict::Fail);
  EXPECT_EQ(download.meta.ets, std::optional<int>(756));
  EXPECT_EQ(download.meta.needs, std::vector<record::Capability>{record::Capability::PullCoap});
  ASSERT_EQ(download.findings.size(), 2u);
  EXPECT_EQ(download.findings[0].action, "Waiting 3000 ms for State 2 (Downloaded)");
  EXPECT_EQ(download.findings[0].trace_index, std::optional<std::size_t>(3));
  EXPECT_EQ(download.findings[1].requirement, "TS Core E.6.1");
  EXPECT_EQ(download.findings[1].detail, "second line");
  EXPECT_EQ(offset_ms(back.origin, download.started), 200.0);
  EXPECT_EQ(offset_ms(download.started, download.ended), 3100.25);
  EXPECT_EQ(download.timeline.values(record::FirmwareResource::State), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(offset_ms(download.started, download.timeline.entries()[1].time), 1.2);
  ASSERT_EQ(download.trace.size(), 21u);
  const auto& block = download.trace[5];  // the response to the second block request
  EXPECT_EQ(block.direction, coap::Direction::Sent);
  EXPECT_EQ(block.channel, "repository-coap");
  EXPECT_EQ(block.peer, "127.0.0.1:40123");
  EXPECT_EQ(block.local, "127.0.0.1:41001");
  EXPECT_EQ(block.message.summary(), "ACK 2.05 Content mid=4097 tok=4a1001 Block2:1/1/1024 Size2:8192 ETag:e701 payload=256B");
  EXPECT_EQ(offset_ms(download.trace_origin, block.time), 50.5);
  // The cut is read back as the number the trace keeps, not as note text.
  EXPECT_EQ(block.cut_payload_size, 1024u);
  EXPECT_EQ(block.note, "");
  EXPECT_EQ(download.trace[18].note, "impairment: dropped (after block 7)");
  EXPECT_EQ(back.cases[5].measurements[0], (std::pair<std::string, std::string>{"download_ms", "812"}));
  EXPECT_EQ(back.cases[2].reason, "the device does not declare push");
  EXPECT_EQ(back.cases[6].verdict, record::Verdict::NonStrict);
}

TEST(ResultsJson, TransitionCellsAreWrittenAndReadBack) {
  auto text = results_document(sample_run());
  auto doc = json::parse(text);
  EXPECT_EQ(doc["cases"][5]["transitions"],
            json::parse(R"([{"from":0,"to":1,"result":0,"rules":"T1"},{"from":1,"to":2,"result":0,"rules":"T4"},)"
                        R"({"from":2,"to":3,"result":0,"rules":"T8"},{"from":3,"to":0,"result":1,"rules":"T9"}])"));
  EXPECT_EQ(doc["cases"][6]["transitions"], json::parse(R"([{"from":0,"to":2,"result":0,"rules":"T1+T4"}])"));
  EXPECT_EQ(doc["cases"][0]["transitions"], json::array());
  auto back = parse_results(text, "results.json");
  EXPECT_EQ(back.cases[5].transitions,
            (std::vector<record::TransitionCell>{{0, 1, 0, "T1"}, {1, 2, 0, "T4"}, {2, 3, 0, "T8"}, {3, 0, 1, "T9"}}));
  EXPECT_EQ(back.cases[6].transitions, (std::vector<record::TransitionCell>{{0, 2, 0, "T1+T4"}}));
  EXPECT_TRUE(back.cases[2].transitions.empty());
}

TEST(ResultsJson, FileWithoutTransitionCellsReadsAsNone) {
  auto doc = json::parse(results_document(sample_run()));
  for (auto& c : doc["cases"]) c.erase("transitions");
  auto back = parse_results(doc.dump(), "old.json");
  ASSERT_EQ(back.cases.size(), 8u);
  EXPECT_TRUE(back.cases[5].transitions.empty());
}

TEST(ResultsJson, BadTransitionCellsNameTheKeyPath) {
  auto doc = json::parse(results_document(sample_run()));
  doc["cases"][5]["transitions"][1].erase("rules");
  try {
    parse_results(doc.dump(), "r.json");
    FAIL() << "accepted a cell without rules";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "r.json: cases[5].transitions[1].rules: missing");
  }
  doc = json::parse(results_document(sample_run()));
  doc["cases"][6]["transitions"][0]["result"] = "0";
  try {
    parse_results(doc.dump(), "r.json");
    FAIL() << "accepted a result that is a string";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "r.json: cases[6].transitions[0].result: expected an integer, got \"0\"");
  }
  doc = json::parse(results_document(sample_run()));
  doc["cases"][6]["transitions"][0].erase("from");
  try {
    parse_results(doc.dump(), "r.json");
    FAIL() << "accepted a cell without from";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "r.json: cases[6].transitions[0].from: missing");
  }
}

TEST(ResultsJson, TraceEntriesCarrySizeBeforeTruncationAndTheKeptPayload) {
  auto doc = json::parse(results_document(sample_run()));
  const auto& block = doc["cases"][1]["trace"][3]["message"];
  EXPECT_EQ(block["payload_size"], 1024);
  EXPECT_EQ(doc["cases"][1]["trace"][3]["note"], "payload 1024B, first 256B kept");
  EXPECT_EQ(block["payload_hex"].get<std::string>().size(), 512u);
  EXPECT_EQ(block["block2"], (json{{"num", 0}, {"more", true}, {"szx", 6}}));
  EXPECT_EQ(doc["cases"][1]["trace"][3]["direction"], "sent");
  EXPECT_EQ(doc["counts"]["fail"], 2);
  EXPECT_EQ(doc["must_failed"], true);
}

TEST(ResultsJson, InvalidUtf8FromTheDeviceIsReplacedNotThrown) {
  auto doc = json::parse(results_document(sample_run()));
  EXPECT_EQ(doc["cases"][1]["trace"][19]["message"]["uri_path"][1], "\xEF\xBF\xBD\xEF\xBF\xBD\x01");
}

TEST(ResultsJson, ErrorsNameTheFileAndKeyPath) {
  auto doc = json::parse(results_document(sample_run()));
  doc["cases"][3]["verdict"] = "maybe";
  try {
    parse_results(doc.dump(), "run/results.json");
    FAIL() << "accepted an unknown verdict";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "run/results.json: cases[3].verdict: unknown verdict \"maybe\"");
  }
  doc = json::parse(results_document(sample_run()));
  doc["cases"][1]["trace"][2]["message"]["code"] = "205";
  try {
    parse_results(doc.dump(), "r.json");
    FAIL() << "accepted a code without a dot";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "r.json: cases[1].trace[2].message.code: expected c.dd (like 2.05), got \"205\"");
  }
}

TEST(ResultsJson, TextThatIsNotJsonNamesTheByte) {
  try {
    parse_results("{\"format\": ", "cut.json");
    FAIL() << "accepted a cut file";
  } catch (const ResultsFormatError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cut.json: not JSON (byte 12)", 0), 0u) << e.what();
  }
  try {
    parse_results(R"({"format": "junit", "format_version": 1, "run": {}})", "other.json");
    FAIL() << "accepted another format";
  } catch (const ResultsFormatError& e) {
    EXPECT_STREQ(e.what(), "other.json: format: expected \"fotacheck-results\", got \"junit\"");
  }
}

TEST(ResultsWriter, FileAfterTwoOfThreeCasesIsValidAndHoldsTwo) {
  TempDir dir;
  auto run = sample_run();
  ResultsWriter writer(dir / "results.json", run.run, run.origin);
  EXPECT_EQ(parse_results(read_file(dir / "results.json"), "x").cases.size(), 0u);
  writer.on_case(run.cases[0]);
  writer.on_case(run.cases[1]);
  auto partial = read_results(dir / "results.json");
  EXPECT_FALSE(partial.complete);
  ASSERT_EQ(partial.cases.size(), 2u);
  EXPECT_EQ(partial.cases[1].meta.id, "FU-PULL-001");
  EXPECT_TRUE(writer.must_failed());
  EXPECT_FALSE(std::filesystem::exists(dir / "results.json.tmp"));
  writer.on_case(run.cases[2]);
  writer.finish();
  auto whole = read_results(dir / "results.json");
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.cases.size(), 3u);
}

// Finished cases are written once: a byte changed in the first case's line survives the cases
// written after it (the writer appends and rewrites only the tail after the cases), and the
// file is, byte for byte, the document of what the writer holds.
TEST(ResultsWriter, AppendsEachCaseAndNeverRewritesAFinishedOne) {
  TempDir dir;
  auto run = sample_run();
  auto file = dir / "results.json";
  ResultsWriter writer(file, run.run, run.origin);
  writer.on_case(run.cases[0]);
  writer.on_case(run.cases[1]);
  auto text = read_file(file);
  auto at = text.find("\"title\":\"title of ");
  ASSERT_NE(at, std::string::npos);
  {
    std::fstream patch(file, std::ios::in | std::ios::out | std::ios::binary);
    patch.seekp(static_cast<std::streamoff>(at + 9));
    patch.put('T');  // "title of" -> "Title of" in the first case only
  }
  writer.on_case(run.cases[2]);
  writer.set_device_read(nlohmann::json{{"lwm2m_version", "1.2"}});
  writer.finish();
  auto after = read_file(file);
  EXPECT_EQ(after.find("\"title\":\"Title of "), at);
  after[at + 9] = 't';
  EXPECT_EQ(after, results_document(writer.record()));
  auto back = parse_results(after, "results.json");
  EXPECT_TRUE(back.complete);
  EXPECT_EQ(back.cases.size(), 3u);
  EXPECT_EQ(back.run.device.read["lwm2m_version"], "1.2");
}

// What the writer keeps and writes has its transfers summarised (the sample's 8-block download).
TEST(ResultsWriter, KeepsAndWritesCasesWithTransfersSummarised) {
  TempDir dir;
  auto run = sample_run();
  ResultsWriter writer(dir / "results.json", run.run, run.origin);
  writer.on_case(run.cases[1]);
  ASSERT_EQ(writer.record().cases[0].transfers.size(), 1u);
  EXPECT_LT(writer.record().cases[0].trace.size(), run.cases[1].trace.size());
  auto back = read_results(dir / "results.json");
  ASSERT_EQ(back.cases[0].transfers.size(), 1u);
  EXPECT_EQ(back.cases[0].transfers[0].block_option, 2);
}

TEST(ResultsWriter, AProcessKilledMidRunLeavesEveryFinishedCase) {
  TempDir dir;
  auto run = sample_run();
  auto file = dir / "results.json";
  EXPECT_EXIT(
      {
        ResultsWriter writer(file, run.run, run.origin);
        writer.on_case(run.cases[0]);
        writer.on_case(run.cases[1]);
        std::raise(SIGKILL);  // in the middle of the third case
      },
      ::testing::KilledBySignal(SIGKILL), "");
  auto left = read_results(file);
  EXPECT_FALSE(left.complete);
  ASSERT_EQ(left.cases.size(), 2u);
  EXPECT_EQ(left.cases[0].meta.id, "FU-OBJ-751");
}

TEST(RunRecord, CountsAndMustFailed) {
  auto run = sample_run();
  auto counts = verdict_counts(run);
  EXPECT_EQ(counts, (std::map<std::string, std::size_t>{{"pass", 1}, {"fail", 2}, {"non-strict", 1}, {"info", 1},
                                                         {"skipped", 1}, {"not-tested", 1}, {"inconclusive", 1}, {"error", 0}}));
  EXPECT_TRUE(must_failed(run));
  run.cases.erase(run.cases.begin() + 1);  // only the SHOULD failure remains
  EXPECT_FALSE(must_failed(run));
}

}  // namespace
}  // namespace fc::reports
