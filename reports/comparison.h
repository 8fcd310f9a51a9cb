// Several devices side by side: cases as rows, devices (one results.json each) as columns.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace fc::reports {

struct ComparedRun {
  std::string label;  // the column header: compared_run_label()
  RunRecord record;
};

// What a comparison calls a run: the profile's device.name, else the registered endpoint, else
// the file it came from.
std::string compared_run_label(const RunRecord& record, const std::string& source);
// The runs with labels, a label two runs share made unique with the run's source file.
std::vector<ComparedRun> label_compared_runs(std::vector<std::pair<std::string, RunRecord>> sources_and_records);

// Rows in first-seen order over all runs; a case a run lacks shows "—"; a case that did not
// pass shows its headline (the first finding, or the reason) under the verdict.
std::string comparison_html(const std::vector<ComparedRun>& runs);
std::string comparison_markdown(const std::vector<ComparedRun>& runs);

}  // namespace fc::reports
