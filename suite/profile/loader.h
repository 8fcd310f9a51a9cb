// Loads a device profile file (with its includes) into a Profile, or says everything wrong with it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite/profile/load_limits.h"
#include "suite/profile/problem.h"
#include "suite/profile/profile.h"

namespace fc::profile {

struct ProfileLoad {
  std::optional<Profile> profile;  // set exactly when `problems` is empty
  // A profile that lists lab devices (`devices:`, lab_devices.h): each one as loaded for it,
  // in list order; `profile` is the one LoadOptions::lab_device names, else the first.
  std::vector<Profile> lab_devices;
  ProfileProblems problems;        // all of them, ordered by file, line and column

  bool ok() const { return profile.has_value(); }
};

struct LoadOptions {
  // Also check every file the profile names (Profile::named_files): `validate` and the runner
  // do, so that a missing key is a configuration error before any case. Off by default so that
  // templates with placeholder paths still load for inspection.
  bool check_named_files = false;
  LoadLimits limits;
  // With a `devices:` list, the entry to load (empty: the first). A name the list does not
  // hold, or any name for a profile without the list, is a problem.
  std::string lab_device;
  // `--link PRESET`: timing.link.preset as if the profile said so (the profile's own
  // timing.link keys still override the preset's figures). Empty: the profile's.
  std::string link_preset;
};

// Never throws for bad content: unreadable files (line 0), files that are not regular or too
// large, YAML syntax, include chains, unknown keys, types, ranges and cross-section rules all
// become problems. Schema problems are collected over the whole file; syntax and include
// problems stop before the schema. Linear in the size of the files.
ProfileLoad load_profile(const std::filesystem::path& file, const LoadOptions& options);
ProfileLoad load_profile(const std::filesystem::path& file);  // default options

// The options `validate` and a run load with: the named files checked too.
inline LoadOptions run_options() {
  LoadOptions options;
  options.check_named_files = true;
  return options;
}

}  // namespace fc::profile
