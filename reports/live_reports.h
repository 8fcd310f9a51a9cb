// What the runner attaches to a run: results.json and the case's pcap after every case, a
// progress line on the terminal, and JUnit, HTML and Markdown when the run ends.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "reports/progress.h"
#include "reports/results_writer.h"

namespace fc::reports {

class LiveReports : public record::CaseRecordSink {
 public:
  LiveReports(std::filesystem::path dir, RunInfo info, std::ostream& progress_stream, bool interactive);

  void on_case(const record::CaseRecord& record) override;
  // What the device said about itself, known once it registered; rewrites results.json.
  void set_device_read(nlohmann::json read);
  // Marks results.json complete and writes the derived formats; returns every file written.
  // A failure to write one is printed and does not stop the others.
  std::vector<std::filesystem::path> finish();

  bool must_failed() const { return results_.must_failed(); }
  const RunRecord& record() const { return results_.record(); }
  ProgressReporter& progress() { return progress_; }

 private:
  std::filesystem::path dir_;
  ResultsWriter results_;
  ProgressReporter progress_;
  std::ostream& log_;
};

}  // namespace fc::reports
