// The crash-safe record of a run: results.json rewritten (temp file + rename) after every case.
#pragma once

#include <filesystem>
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

  // Appends the case and rewrites the file. A write error is kept (last_error) and printed,
  // never thrown into the case that just ended.
  void on_case(const record::CaseRecord& record) override;
  // What the device reported about itself (known after it registered); rewrites the file.
  void set_device_read(nlohmann::json read);
  // Why the device never came up (the run's one diagnosis); rewrites the file.
  void set_diagnosis(std::string diagnosis);
  // Marks the run complete and rewrites the file.
  void finish();
  // A signal ("SIGINT") stopped the run: rewritten with complete false and interrupted_by.
  void finish_interrupted(std::string signal_name);

  const RunRecord& record() const { return record_; }
  const std::filesystem::path& file() const { return file_; }
  bool must_failed() const { return reports::must_failed(record_); }
  const std::string& last_error() const { return last_error_; }

 private:
  std::filesystem::path file_;
  RunRecord record_;
  std::vector<std::string> case_lines_;  // serialised once, reused by every rewrite
  std::string last_error_;

  void write();
};

}  // namespace fc::reports
