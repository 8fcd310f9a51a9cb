// One run of the suite against the device: the run context, the live reports, the device
// started once GoogleTest has selected at least one case, SIGINT/SIGTERM handling, and the
// reports finished from whatever was gathered. Returns the exit status (exit_status.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "suite/profile/profile.h"

namespace fc::runner {

struct RunOptions {
  std::filesystem::path profile_file;
  std::filesystem::path reports_dir;
  std::vector<std::string> device_args;
  bool keep_device_state = false;
  std::string report_url;  // the report folder's published address (summary.md's links)
  std::string selection;  // how the cases were chosen, for "the selection runs no case"
  bool googletest_printer = false;  // GoogleTest's own per-test lines as well (--verbose)
};

// GoogleTest must have been initialised (InitGoogleTest) with the selection.
int run_device(const profile::Profile& profile, const RunOptions& options);

}  // namespace fc::runner
