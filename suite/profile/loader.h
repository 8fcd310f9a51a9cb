// Loads a device profile file (with its includes) into a Profile, or says everything wrong with it.
#pragma once

#include <filesystem>
#include <optional>

#include "suite/profile/problem.h"
#include "suite/profile/profile.h"

namespace fc::profile {

struct ProfileLoad {
  std::optional<Profile> profile;  // set exactly when `problems` is empty
  ProfileProblems problems;        // all of them, ordered by file, line and column

  bool ok() const { return profile.has_value(); }
};

// Never throws for bad content: unreadable files (line 0), YAML syntax, include chains,
// unknown keys, types, ranges and cross-section rules all become problems. Schema problems
// are collected over the whole file; syntax and include problems stop before the schema.
ProfileLoad load_profile(const std::filesystem::path& file);

}  // namespace fc::profile
