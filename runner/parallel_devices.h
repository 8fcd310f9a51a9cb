// `fotacheck --devices N`: N instances of a process-adapter device at once, one child runner per
// device (`fotacheck --case ID… --reports REPORTS/device-K`), each with its own endpoint ({run} is
// the child's pid), scratch folder and ephemeral ports; then one report of them all.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "suite/profile/profile.h"

namespace fc::runner {

struct ParallelDevicesRun {
  std::filesystem::path self;        // this fotacheck binary, run once per device
  std::vector<std::vector<std::string>> cases;  // the case ids of each device (shard_plan.h)
  std::filesystem::path reports_dir; // REPORTS/device-K/ per device; the merged run here
  std::vector<std::string> run_args; // for every device: --profile, --device-arg=, ...
  std::string report_url;
};

// Runs the devices side by side, then merges every results.json they wrote into reports_dir
// (reports/run_merge.h). SIGINT/SIGTERM is passed on to every device's runner once; each ends
// its case, stops its device and writes its reports, and the merge holds what was gathered.
// Exit status as for one run: the worst of the devices' and of the merged run's conclusion;
// 128 + the signal when interrupted.
// Why the profile cannot run as `devices` instances side by side (empty when it can): only a
// process adapter starts more instances, and fixed ports would collide.
std::string parallel_devices_problem(const profile::Profile& profile, unsigned devices);

int run_parallel_devices(const ParallelDevicesRun& request, std::ostream& out, std::ostream& err);

}  // namespace fc::runner
