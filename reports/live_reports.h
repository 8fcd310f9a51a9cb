// What the runner attaches to a run: results.json and the case's pcap after every case, a
// progress line on the terminal, and JUnit, HTML and Markdown when the run ends.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <vector>

#include "reports/progress.h"
#include "reports/results_writer.h"
#include "reports/wire_recorder.h"

namespace fc::reports {

class LiveReports : public record::CaseRecordSink {
 public:
  LiveReports(std::filesystem::path dir, RunInfo info, std::ostream& progress_stream, bool interactive);

  void on_case(const record::CaseRecord& record) override;
  // From now on every case's pcap is the wire itself (reports/wire_recorder.h), written as the
  // case ends, instead of a rebuild from the trace. For the runner: it captures the whole process.
  // `secrets` (the PSK identity) are overwritten wherever they appear on the wire.
  void capture_wire(std::string application, std::vector<std::string> secrets);
  // What the device said about itself, known once it registered; rewrites results.json.
  void set_device_read(nlohmann::json read);
  void set_device_bootstrap(nlohmann::json bootstrap);
  // A case the run did not reach (interrupted): recorded without a progress line.
  void add_not_run(const record::CaseRecord& record);
  // The report folder's published address: summary.md then links report.html absolutely.
  void set_report_url(std::string url) { report_url_ = std::move(url); }
  // The device never came up: the diagnosis goes into every report.
  void set_diagnosis(std::string diagnosis);
  // Marks results.json complete and writes the derived formats; returns every file written.
  // A failure to write one is printed, kept in write_problems() and does not stop the others.
  std::vector<std::filesystem::path> finish();
  // The same for a run a signal stopped: results.json stays complete:false.
  std::vector<std::filesystem::path> finish_interrupted(std::string signal_name);
  // "cannot write DIR/summary.md: write: No space left on device", one per failed write.
  const std::vector<std::string>& write_problems() const { return problems_; }

  bool must_failed() const { return results_.must_failed(); }
  const RunRecord& record() const { return results_.record(); }
  ProgressReporter& progress() { return progress_; }

 private:
  std::filesystem::path dir_;
  ResultsWriter results_;
  ProgressReporter progress_;
  std::ostream& log_;
  std::vector<std::string> problems_;
  std::string report_url_;
  std::unique_ptr<WireRecorder> wire_;

  void write_pcap(const record::CaseRecord& record, bool ran);

  std::vector<std::filesystem::path> write_derived();
};

}  // namespace fc::reports
