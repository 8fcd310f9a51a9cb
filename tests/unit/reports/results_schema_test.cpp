// docs/results.schema.json is the published contract of results.json: its version and enums are
// the code's (a change on one side fails here), and documents the writer produces validate
// against it with an independent validator (python3-jsonschema).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "reports/results_json.h"
#include "suite/profile/capabilities.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;
using nlohmann::json;

const std::string kSchemaFile = std::string(FOTACHECK_SOURCE_DIR) + "/docs/results.schema.json";
const std::string kValidator = std::string(FOTACHECK_SOURCE_DIR) + "/tests/evidence/validate_results.py";

json schema() { return json::parse(read_file(kSchemaFile)); }

std::set<std::string> enum_of(const json& definition) {
  std::set<std::string> out;
  for (const auto& v : definition.at("enum")) out.insert(v.get<std::string>());
  return out;
}

TEST(ResultsSchema, PinsTheFormatAndItsVersion) {
  auto s = schema();
  EXPECT_EQ(s.at("properties").at("format").at("const"), kResultsFormat);
  EXPECT_EQ(s.at("properties").at("format_version").at("const"), kResultsFormatVersion)
      << "kResultsFormatVersion changed: update docs/results.schema.json (and its format_version const) with it";
}

TEST(ResultsSchema, EnumsAreTheCodesTables) {
  const auto document = schema();
  const auto& defs = document.at("$defs");
  std::set<std::string> verdicts;
  for (auto v : record::all_verdicts()) verdicts.insert(record::to_string(v));
  EXPECT_EQ(enum_of(defs.at("verdict")), verdicts);
  std::set<std::string> counted;
  for (const auto& v : document.at("properties").at("counts").at("required")) counted.insert(v.get<std::string>());
  EXPECT_EQ(counted, verdicts);
  std::set<std::string> levels;
  for (auto l : {record::Level::Must, record::Level::Should, record::Level::Info}) levels.insert(record::to_string(l));
  EXPECT_EQ(enum_of(defs.at("level")), levels);
  std::set<std::string> capabilities, faults;
  for (const auto& row : profile::capability_table()) capabilities.insert(std::string(row.name));
  for (const auto& row : profile::fault_table()) faults.insert(std::string(row.name));
  EXPECT_EQ(enum_of(defs.at("capability")), capabilities);
  EXPECT_EQ(enum_of(defs.at("fault")), faults);
}

CommandResult validate(const std::filesystem::path& file) {
  return run_command("python3 " + kValidator + " " + kSchemaFile + " " + file.string());
}

// Every verdict, a finding of each kind, a Block2 trace with notes, optional fields set.
TEST(ResultsSchema, TheSampleRunValidates) {
  TempDir dir;
  auto run = sample_run();
  run.run.device.name = "Acme T1 rev B";
  run.run.device.adapter = "process";
  run.run.device.binary = "/usr/bin/dut";
  run.run.device.binary_sha256 = "sha256:00";
  run.cases[1].findings.push_back(record::Finding{record::Finding::Kind::Error, "Start the case", "a device", "none", "", "", 0, run.cases[1].started});
  write_file(dir / "results.json", results_document(run));
  auto result = validate(dir / "results.json");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("valid (8 cases)"), std::string::npos) << result.output;
}

TEST(ResultsSchema, AnIncompleteInterruptedRunValidates) {
  TempDir dir;
  auto run = sample_run();
  run.complete = false;
  run.interrupted_by = "SIGINT";
  run.diagnosis = "the device never registered";
  write_file(dir / "results.json", results_document(run));
  auto result = validate(dir / "results.json");
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

// The validator can fail: an unknown verdict and an undocumented key are named with their path.
TEST(ResultsSchema, ADeviationIsNamedWithItsPath) {
  TempDir dir;
  auto doc = json::parse(results_document(sample_run()));
  doc["cases"][2]["verdict"] = "passed";
  doc["run"]["device"]["colour"] = "blue";
  write_file(dir / "results.json", doc.dump());
  auto result = validate(dir / "results.json");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find(".cases[2].verdict: 'passed' is not one of"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(".run.device: Additional properties are not allowed ('colour'"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace fc::reports
