// One run as the reports see it: who ran what against which device, and every finished case.
// results.json holds exactly this; every other format is built from it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "suite/record/case_record.h"
#include "suite/common/clock.h"

namespace fc::reports {

struct DeviceIdentity {
  std::string name;  // the profile's device.name: what comparisons call the device
  std::string endpoint;
  std::string lab_device;  // the profile's `devices:` entry that ran (its name); empty otherwise
  // What was driven, so a report names exactly the device under test: the process adapter's
  // binary as exec resolved it (PATH for a bare name) and "sha256:…" of its bytes; for hooks
  // and the manual adapter the commands or instructions, by name.
  std::string adapter;                                  // "process", "hooks", "manual"
  std::string binary;
  std::string binary_sha256;
  std::map<std::string, std::string> commands;
  nlohmann::json declared = nlohmann::json::object();  // capabilities from the profile
  nlohmann::json read = nlohmann::json::object();      // what the device said: registration, /3
  // Client-initiated bootstrap (run_info.h bootstrap_json): server URI, security, what was
  // written, the Finish outcome. Null when the profile's bootstrap.mode is factory.
  nlohmann::json bootstrap;
};

struct RunInfo {
  std::string tool = "fotacheck";
  std::string version;
  std::int64_t started_unix_ms = 0;  // wall clock, for pcap timestamps and the report header
  std::string profile_path;
  std::string profile_hash;          // "sha256:…" of the redacted profile
  std::string profile_file_sha256;   // "sha256:…" of the profile file's bytes as given
  nlohmann::json profile = nlohmann::json::object();  // secrets redacted
  DeviceIdentity device;
  std::string server_uri;            // "coap://127.0.0.1:5683"
  std::string server_address;        // "127.0.0.1:5683": the local side when a trace lacks it
};

struct RunRecord {
  RunInfo run;
  // Times in the cases are on the steady clock; `origin` is the instant of `started_unix_ms`.
  Clock::time_point origin;
  std::vector<record::CaseRecord> cases;
  bool complete = false;             // false: the run was cut short (or is still running)
  std::int64_t ended_unix_ms = 0;    // set with complete
  // Why no case could run (the device never started or registered): the one diagnosis.
  std::string diagnosis;
  // "SIGINT"/"SIGTERM" when a signal stopped the run (complete stays false).
  std::string interrupted_by;
};

// What the run as a whole says, in order of precedence: the exit status (suite/runner) and the
// first line of every report come from this one judgement.
// The reason of a case an interrupted run did not reach (verdict not-tested).
inline constexpr const char* kNotRunReason = "not run: the run was interrupted";

enum class Conclusion {
  Interrupted,   // a signal stopped the run: no verdict
  NotRun,        // the device never came up: `diagnosis`
  MustFailed,    // a MUST case failed: the device does not conform
  MustUnjudged,  // no MUST case failed, but some ended inconclusive or error: no verdict
  NoMustFailed,  // every MUST case that ran was judged and passed
};
Conclusion conclusion(const RunRecord& record);
// "MUST case failed", "no MUST case failed", "3 MUST cases left unjudged …": one line.
std::string conclusion_line(const RunRecord& record);
// Inconclusive, or `error` (a case that could not be carried out): the case judged nothing.
bool unjudged(const record::CaseRecord& record);
std::size_t must_unjudged(const RunRecord& record);

// Every verdict's count (all seven present, zero when absent), keyed by to_string(Verdict).
std::map<std::string, std::size_t> verdict_counts(const RunRecord& record);
// A failed MUST case: the run's exit status is 1.
bool must_failed(const RunRecord& record);
// Milliseconds from `origin` to `t`, and wall-clock milliseconds of a steady time point.
double offset_ms(Clock::time_point origin, Clock::time_point t);
std::int64_t unix_ms_of(const RunRecord& record, Clock::time_point t);
// "FU-OBJ-751" or, for a case without metadata, "Area.Name".
std::string case_label(const record::CaseRecord& record);
// Every verdict in report order.
const std::vector<record::Verdict>& all_verdicts();

}  // namespace fc::reports
