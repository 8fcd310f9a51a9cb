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
  std::string endpoint;
  nlohmann::json declared = nlohmann::json::object();  // capabilities from the profile
  nlohmann::json read = nlohmann::json::object();      // what the device said: registration, /3
};

struct RunInfo {
  std::string tool = "fotacheck";
  std::string version;
  std::int64_t started_unix_ms = 0;  // wall clock, for pcap timestamps and the report header
  std::string profile_path;
  std::string profile_hash;          // "sha256:…" of the redacted profile
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
};

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
