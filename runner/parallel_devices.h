// Several devices at once, one child runner per device, then one report of them all:
// `fotacheck --devices N` (N instances of a process-adapter device, `fotacheck --case ID…
// --reports REPORTS/device-K`, each with its own endpoint ({run} is the child's pid), scratch
// folder and ephemeral ports) and a profile that lists lab devices (`devices:`, each child
// `--lab-device NAME --reports REPORTS/device-NAME`).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "suite/profile/profile.h"

namespace fc::runner {

struct DeviceSlot {
  std::string label;                // "device-2", or the lab device's name: its console lines' prefix
  std::string folder;               // under the report folder: "device-2", "device-rig-a"
  std::vector<std::string> cases;   // its case ids (shard_plan.h)
  std::vector<std::string> args;    // its own options: --lab-device NAME
};

struct ParallelDevicesRun {
  std::filesystem::path self;        // this fotacheck binary, run once per device
  std::vector<DeviceSlot> devices;
  std::filesystem::path reports_dir; // each device's folder in it; the merged run here
  std::vector<std::string> run_args; // for every device: --profile, --device-arg=, ...
  std::string report_url;
};

// The slots of `--devices N` (device-1, device-2, ...) or of a profile's lab devices (`names`),
// each with its part of the cases; a device whose part is empty is left out.
std::vector<DeviceSlot> device_slots(const std::vector<std::vector<std::string>>& parts,
                                     const std::vector<std::string>& lab_names);

// Why the profile cannot run as `devices` instances side by side (empty when it can): only a
// process adapter starts more instances, fixed ports would collide, and a profile that lists
// its lab devices runs those.
std::string parallel_devices_problem(const profile::Profile& profile, unsigned devices);

// Runs the devices side by side, then merges every results.json they wrote into reports_dir
// (reports/run_merge.h). Each device's console lines come prefixed with its label
// (child_lines.h). SIGINT/SIGTERM is passed on to every device's runner once; each ends its
// case, stops its device and writes its reports, and the merge holds what was gathered.
// Exit status as for one run: the worst of the devices' and of the merged run's conclusion;
// 128 + the signal when interrupted.
int run_parallel_devices(const ParallelDevicesRun& request, std::ostream& out, std::ostream& err);

}  // namespace fc::runner
