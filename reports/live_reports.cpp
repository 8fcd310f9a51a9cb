#include "reports/live_reports.h"

#include <ostream>

#include "reports/pcap_writer.h"
#include "reports/report_set.h"

namespace fc::reports {

LiveReports::LiveReports(std::filesystem::path dir, RunInfo info, std::ostream& progress_stream, bool interactive)
    : dir_(std::move(dir)), results_(dir_ / kResultsFile, std::move(info)), progress_(progress_stream, interactive),
      log_(progress_stream) {}

void LiveReports::capture_wire(std::string application, std::vector<std::string> secrets) {
  wire_ = std::make_unique<WireRecorder>(dir_ / kPcapFolder, std::move(application));
  wire_->redact(std::move(secrets));
}

void LiveReports::on_case(const record::CaseRecord& record) {
  write_pcap(record, true);
  results_.on_case(record);
  progress_.on_case(record);
}

void LiveReports::add_not_run(const record::CaseRecord& record) {
  write_pcap(record, false);
  results_.on_case(record);
}

void LiveReports::write_pcap(const record::CaseRecord& record, bool ran) {
  // The capture from the wire (or, for a case that did not run, from its whole trace), written
  // before results.json summarises the case's transfers.
  try {
    // A case that ran owns what the wire carried since the previous case ended.
    if (wire_ && ran) wire_->finish_case(pcap_file_name(record));
    else write_case_pcap(results_.record(), record, dir_);
  } catch (const std::exception& e) {
    log_ << "fotacheck: " << e.what() << "\n";
    problems_.push_back(e.what());
  }
}

void LiveReports::set_device_read(nlohmann::json read) { results_.set_device_read(std::move(read)); }
void LiveReports::set_device_bootstrap(nlohmann::json bootstrap) { results_.set_device_bootstrap(std::move(bootstrap)); }
void LiveReports::set_diagnosis(std::string diagnosis) { results_.set_diagnosis(std::move(diagnosis)); }

std::vector<std::filesystem::path> LiveReports::finish() {
  results_.finish();
  return write_derived();
}

std::vector<std::filesystem::path> LiveReports::finish_interrupted(std::string signal_name) {
  results_.finish_interrupted(std::move(signal_name));
  return write_derived();
}

std::vector<std::filesystem::path> LiveReports::write_derived() {
  // results.json is written after every case: its last error stands for all of them.
  if (!results_.last_error().empty()) problems_.push_back(results_.last_error());
  try {
    auto files = write_derived_reports(results_.record(), dir_, report_url_);
    files.insert(files.begin(), results_.file());
    return files;
  } catch (const std::exception& e) {
    log_ << "fotacheck: " << e.what() << " (results.json holds every case: `fotacheck report` rebuilds the rest)\n";
    problems_.push_back(e.what());
    return {results_.file()};
  }
}

}  // namespace fc::reports
