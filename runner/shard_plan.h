// Spreading cases over devices or CI jobs: `--shard K/N` and `--devices N`. Each case goes to
// exactly one part, balanced by the duration it took in an earlier run (longest first, each to
// the part with the least time so far); the same cases and durations always give the same split.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/record/case_meta.h"

namespace fc::runner {

struct ShardSpec {
  unsigned index = 1;  // 1-based: K of K/N
  unsigned count = 1;  // N
};
// "2/4" → {2, 4}; nullopt with `problem` set for anything else ("0/4", "5/4", "2", "a/b").
std::optional<ShardSpec> parse_shard(const std::string& text, std::string& problem);

// What a case is assumed to take when no earlier run recorded it.
inline constexpr double kDefaultCaseMs = 1000.0;

// Case id → milliseconds, from an earlier run's results.json (or the folder holding one). An
// unreadable file is a problem for the caller to report, not a silent even split.
using RecordedDurations = std::map<std::string, double>;
RecordedDurations read_recorded_durations(const std::filesystem::path& results_or_folder);

// The cases in `count` parts (each in catalogue order), balanced by recorded duration; a case
// without one counts as the median of those recorded (kDefaultCaseMs when none is).
std::vector<std::vector<const record::CaseMeta*>> balance_cases(const std::vector<const record::CaseMeta*>& cases,
                                                                const RecordedDurations& durations, unsigned count);

}  // namespace fc::runner
