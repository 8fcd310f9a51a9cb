#include "reports/live_reports.h"

#include <ostream>

#include "reports/report_set.h"

namespace fc::reports {

LiveReports::LiveReports(std::filesystem::path dir, RunInfo info, std::ostream& progress_stream, bool interactive)
    : dir_(std::move(dir)), results_(dir_ / kResultsFile, std::move(info)), progress_(progress_stream, interactive),
      log_(progress_stream) {}

void LiveReports::on_case(const record::CaseRecord& record) {
  results_.on_case(record);
  try {
    write_case_pcap(results_.record(), results_.record().cases.back(), dir_);
  } catch (const std::exception& e) {
    log_ << "fotacheck: " << e.what() << "\n";
  }
  progress_.on_case(record);
}

void LiveReports::set_device_read(nlohmann::json read) { results_.set_device_read(std::move(read)); }

std::vector<std::filesystem::path> LiveReports::finish() {
  results_.finish();
  try {
    auto files = write_derived_reports(results_.record(), dir_);
    files.insert(files.begin(), results_.file());
    return files;
  } catch (const std::exception& e) {
    log_ << "fotacheck: " << e.what() << " (results.json holds every case: `fotacheck report` rebuilds the rest)\n";
    return {results_.file()};
  }
}

}  // namespace fc::reports
