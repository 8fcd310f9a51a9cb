// The crash-safe record of a run: results.json, written as the run goes. Each finished case is
// appended once (its block transfers summarised) and only the short tail after the cases
// (counts, conclusion, run info) is rewritten, so writing a run costs time linear in its size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite/record/case_record.h"
#include "reports/run_record.h"

namespace fc::reports {

class ResultsWriter : public record::CaseRecordSink {
 public:
  // Writes an empty, incomplete results file at once, so even a run that dies in its first
  // case leaves a file that says so. Throws when the file cannot be written.
  ResultsWriter(std::filesystem::path file, RunInfo info, Clock::time_point origin = Clock::now());

  // Summarises the case's transfers, keeps it and appends it to the file. A write error is
  // kept (last_error) and printed, never thrown into the case that just ended.
  void on_case(const record::CaseRecord& record) override;
  // What the device reported about itself (known after it registered); rewrites the tail.
  void set_device_read(nlohmann::json read);
  void set_device_bootstrap(nlohmann::json bootstrap);
  // Why the device never came up (the run's one diagnosis); rewrites the tail.
  void set_diagnosis(std::string diagnosis);
  // Marks the run complete and rewrites the tail.
  void finish();
  // A signal ("SIGINT") stopped the run: rewritten with complete false and interrupted_by.
  void finish_interrupted(std::string signal_name);

  // Every case as written: transfers summarised, so memory stays small for long runs.
  const RunRecord& record() const { return record_; }
  const std::filesystem::path& file() const { return file_; }
  bool must_failed() const { return reports::must_failed(record_); }
  const std::string& last_error() const { return last_error_; }

 private:
  std::filesystem::path file_;
  RunRecord record_;
  // Bytes of the file up to the end of the last case line: where the next case goes. Unknown
  // (nullopt) after a failed write: the next write rebuilds the whole file.
  std::optional<std::uintmax_t> cases_end_;
  std::string last_error_;

  // Writes `added` (a new case line, or nothing) at cases_end_ followed by the tail.
  void write(const std::string& added = {});
};

}  // namespace fc::reports
