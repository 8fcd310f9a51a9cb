// Shards of one run joined into one: `fotacheck report --merge a.json b.json …` and the parent
// of `fotacheck --devices N`. Only runs of the same profile and suite version join, and no case
// may be in two of them; runs of different devices are compared instead (reports/comparison.h).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace fc::reports {

// Inputs that are not shards of one run: names the files and what differs or overlaps.
class MergeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The runs in `inputs` (results.json files) as one: cases in catalogue order, each naming the
// endpoint of the device that ran it (CaseRecord::device), times on the earliest run's clock,
// complete only when every input is. Throws MergeError (or ResultsFormatError for a file that
// cannot be read).
RunRecord merge_runs(const std::vector<std::filesystem::path>& inputs);

// Writes the merged run into `out_dir`: results.json and every derived format, with each
// input's captured pcaps (pcap/*.pcapng) copied beside it. Throws std::runtime_error naming a
// file that cannot be written.
void write_merged_run(const RunRecord& merged, const std::vector<std::filesystem::path>& inputs,
                      const std::filesystem::path& out_dir, const std::string& report_url = {});

// `fotacheck report --merge A.json B.json … [--out DIR]` (DIR default: the current folder), as
// run_report_command calls it; throws MergeError or what merge_runs and the writers throw.
void merge_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out_dir,
                   std::ostream& out, const std::string& report_url = {});

}  // namespace fc::reports
