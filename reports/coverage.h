// What a run reached: State × Update Result pairs from the cases' timelines, and the §3.1
// steps the transition oracle recorded for each case, each with the cases that showed it.
// Drawn as grids in the HTML report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "reports/run_record.h"

namespace fc::reports {

using CaseLabels = std::vector<std::string>;  // in run order, each case once

struct Coverage {
  // (State, Update Result) observed together: after a timeline entry both values were known.
  std::map<std::pair<std::int64_t, std::int64_t>, CaseLabels> state_result;
  // (from State, to State, Update Result after, rows) as the transition oracle recorded each
  // step in the case's CaseRecord.transitions: "T1+T4", or "restart" across a new Register.
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::string>, CaseLabels> cells;
};

Coverage compute_coverage(const RunRecord& record);

// A step reference §3.1 (T1–T16) has a row for in some /5 version: a State change, or a
// Result-only step that keeps the State (T13 2→2, T16 0→0). suite/record/transition_oracle's table.
bool legal_transition(std::int64_t from, std::int64_t to);

// Names for the grid headers: "0 Idle", "5 Integrity failure"; the number alone when unknown.
std::string state_name(std::int64_t state);
std::string result_name(std::int64_t result);

}  // namespace fc::reports
