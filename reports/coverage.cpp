#include "reports/coverage.h"

#include "suite/record/transition_oracle.h"

#include <algorithm>
#include <optional>

namespace fc::reports {

namespace {
void add(CaseLabels& labels, const std::string& label) {
  if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
}
}  // namespace

Coverage compute_coverage(const RunRecord& record) {
  Coverage coverage;
  for (const auto& c : record.cases) {
    auto label = case_label(c);
    std::optional<std::int64_t> state, result;
    for (const auto& t : c.timeline.entries()) {
      (t.resource == record::FirmwareResource::State ? state : result) = t.value;
      if (state && result) add(coverage.state_result[{*state, *result}], label);
    }
    for (const auto& cell : c.transitions) add(coverage.cells[{cell.from, cell.to, cell.result, cell.rules}], label);
  }
  return coverage;
}

bool legal_transition(std::int64_t from, std::int64_t to) {
  // One table, one place: the oracle's rows of reference §3.1 (every object version).
  const auto& rules = record::transition_rules();
  return std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.from == from && r.to == to; });
}

std::string state_name(std::int64_t state) {
  static const char* names[] = {"Idle", "Downloading", "Downloaded", "Updating"};
  if (state >= 0 && state < 4) return std::to_string(state) + " " + names[state];
  return std::to_string(state);
}

std::string result_name(std::int64_t result) {
  static const char* names[] = {"Initial",         "Success",          "Not enough flash",      "Out of RAM",
                                "Connection lost", "Integrity failure", "Unsupported package", "Invalid URI",
                                "Update failed",   "Unsupported protocol", "Cancelled",         "Deferred"};
  if (result >= 0 && result < 12) return std::to_string(result) + " " + names[result];
  return std::to_string(result);
}

}  // namespace fc::reports
