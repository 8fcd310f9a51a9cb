// What a run reached, from the cases' timelines: State × Update Result pairs and State
// transitions, each with the cases that showed it. Drawn as grids in the HTML report.
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
  // (from State, to State) between consecutive distinct State values of one case.
  std::map<std::pair<std::int64_t, std::int64_t>, CaseLabels> transitions;
  // (from State, to State, Update Result after) as the transition oracle explained each step.
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, CaseLabels> cells;
};

Coverage compute_coverage(const RunRecord& record);

// The State changes reference §3.1 (T1–T16) allows in some /5 version: fixtures/transition_oracle's table.
bool legal_transition(std::int64_t from, std::int64_t to);

// Names for the grid headers: "0 Idle", "5 Integrity failure"; the number alone when unknown.
std::string state_name(std::int64_t state);
std::string result_name(std::int64_t result);

}  // namespace fc::reports
