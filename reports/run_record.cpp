#include "reports/run_record.h"

#include <cmath>

namespace fc::reports {

const std::vector<record::Verdict>& all_verdicts() { return record::all_verdicts(); }

std::map<std::string, std::size_t> verdict_counts(const RunRecord& record) {
  std::map<std::string, std::size_t> counts;
  for (auto v : all_verdicts()) counts[record::to_string(v)] = 0;
  for (const auto& c : record.cases) ++counts[record::to_string(c.verdict)];
  return counts;
}

bool must_failed(const RunRecord& record) {
  for (const auto& c : record.cases)
    if (c.verdict == record::Verdict::Fail && c.meta.level == record::Level::Must) return true;
  return false;
}

double offset_ms(Clock::time_point origin, Clock::time_point t) {
  // Microsecond precision, so that a value written and read back is the same number.
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t - origin).count();
  return static_cast<double>(us) / 1000.0;
}

std::int64_t unix_ms_of(const RunRecord& record, Clock::time_point t) {
  return record.run.started_unix_ms + std::chrono::duration_cast<std::chrono::milliseconds>(t - record.origin).count();
}

std::string case_label(const record::CaseRecord& record) {
  if (!record.meta.id.empty()) return record.meta.id;
  return record.meta.area + "." + record.meta.name;
}

}  // namespace fc::reports
