// Several devices side by side: cases as rows, devices (one results.json each) as columns.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace fc::reports {

struct ComparedRun {
  std::string label;  // the column header: the device endpoint, or the file name
  RunRecord record;
};

// Rows in first-seen order over all runs; a case a run lacks shows "—".
std::string comparison_html(const std::vector<ComparedRun>& runs);
std::string comparison_markdown(const std::vector<ComparedRun>& runs);

}  // namespace fc::reports
