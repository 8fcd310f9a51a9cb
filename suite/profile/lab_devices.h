// A profile that lists several lab devices (`devices:`): one device type, several boards (or
// client processes) at once. Each entry names its device and overrides only what differs from
// one board to the next: its endpoint, its adapter (hooks, serial port, or a process), its
// fixed ports and its credentials. Everything else (capabilities, packages, faults, timing,
// the security mode's rules) is shared. Each entry is read as the whole profile with its
// overrides merged in, so it is checked exactly as a profile of one device would be, and a
// problem inside an entry is named by the entry (`devices[1].adapter.hooks.reset`).
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "suite/profile/problem.h"
#include "suite/profile/profile.h"
#include "suite/profile/source_node.h"

namespace fc::profile {

// What an entry may set besides `name`: a whole section (`key` empty) or one key of it. The
// reports leave the same keys out of the profile hash of a lab device's run, so the runs of
// one lab's devices are shards of one run (`fotacheck report --merge`).
struct LabOverride {
  std::string_view section;
  std::string_view key;
};
std::span<const LabOverride> lab_overrides();

// A lab device's name: a report folder (REPORTS/device-NAME) and a console prefix, so letters,
// digits, '.', '_' and '-', at most 64, starting with a letter or digit.
bool is_lab_device_name(std::string_view name);

// Removes the top-level `devices` entry from `root` and returns it (nullopt: there is none).
std::optional<SourceEntry> take_lab_devices(SourceNode& root);

// Every entry of `devices` loaded as a profile of its own (`Profile::lab_device` set), in list
// order; `shared` is the profile without the list. Every problem is added to `problems`,
// each at most once; entries with problems are left out. `check_named_files`: as
// LoadOptions::check_named_files, for each device.
std::vector<Profile> read_lab_devices(const SourceNode& shared, const SourceEntry& devices, bool check_named_files,
                                      ProfileProblems& problems);

}  // namespace fc::profile
