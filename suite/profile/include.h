// Reads a profile file and the chain of files it includes, and merges them into one tree.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "suite/profile/load_limits.h"
#include "suite/profile/problem.h"
#include "suite/profile/source_node.h"

namespace fc::profile {

struct MergedSource {
  SourceNode root;  // a Map; `include` entries removed
  std::vector<std::filesystem::path> includes;  // outermost first
};

// A top-level `include: base.yaml` (relative to the including file) loads the base first; the
// including file then overrides it key by key: maps merge recursively, anything else (scalars,
// lists, an empty value) replaces. nullopt, with problems added, when any file in the chain is
// unreadable, not a regular file, over the size limit, not YAML or not a map, or when the
// chain is cyclic or deeper than the limit.
std::optional<MergedSource> load_merged(const std::filesystem::path& file,
                                        const LoadLimits& limits, ProfileProblems& problems);

// `over` applied onto `base` as described above.
void merge_into(SourceNode& base, SourceNode over);

}  // namespace fc::profile
