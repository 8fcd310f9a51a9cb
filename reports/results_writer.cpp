#include "reports/results_writer.h"

#include <iostream>

#include "reports/results_json.h"

namespace fc::reports {

ResultsWriter::ResultsWriter(std::filesystem::path file, RunInfo info, Clock::time_point origin)
    : file_(std::move(file)) {
  record_.run = std::move(info);
  record_.origin = origin;
  write_atomically(file_, assemble_results(results_head(record_), case_lines_));
}

void ResultsWriter::on_case(const record::CaseRecord& record) {
  record_.cases.push_back(record);
  case_lines_.push_back(case_line(record, record_.origin));
  write();
}

void ResultsWriter::set_device_read(nlohmann::json read) {
  record_.run.device.read = std::move(read);
  write();
}

void ResultsWriter::set_diagnosis(std::string diagnosis) {
  record_.diagnosis = std::move(diagnosis);
  write();
}

void ResultsWriter::finish_interrupted(std::string signal_name) {
  record_.interrupted_by = std::move(signal_name);
  record_.ended_unix_ms = unix_ms_of(record_, Clock::now());
  write();
}

void ResultsWriter::finish() {
  record_.complete = true;
  record_.ended_unix_ms = unix_ms_of(record_, Clock::now());
  write();
}

void ResultsWriter::write() {
  try {
    write_atomically(file_, assemble_results(results_head(record_), case_lines_));
  } catch (const std::exception& e) {
    if (last_error_.empty()) std::cerr << "fotacheck: " << e.what() << "\n";
    last_error_ = e.what();
  }
}

}  // namespace fc::reports
