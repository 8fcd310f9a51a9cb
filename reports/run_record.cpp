#include "reports/run_record.h"

#include <cmath>

#include <fmt/format.h>

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

bool unjudged(const record::CaseRecord& record) { return record::unjudged(record.verdict); }

std::size_t must_unjudged(const RunRecord& record) {
  std::size_t n = 0;
  for (const auto& c : record.cases) n += c.meta.level == record::Level::Must && unjudged(c);
  return n;
}

Conclusion conclusion(const RunRecord& record) {
  if (!record.interrupted_by.empty()) return Conclusion::Interrupted;
  if (!record.diagnosis.empty()) return Conclusion::NotRun;
  if (must_failed(record)) return Conclusion::MustFailed;
  if (must_unjudged(record) > 0) return Conclusion::MustUnjudged;
  return Conclusion::NoMustFailed;
}

std::string conclusion_line(const RunRecord& record) {
  switch (conclusion(record)) {
    case Conclusion::Interrupted: {
      std::size_t ran = 0;
      for (const auto& c : record.cases) ran += c.reason.rfind(kNotRunReason, 0) != 0;
      return fmt::format("interrupted by {}: no verdict ({} of {} cases ran{})", record.interrupted_by, ran,
                         record.cases.size(), must_failed(record) ? "; a MUST case failed before" : "");
    }
    case Conclusion::NotRun: {
      auto line = record.diagnosis.substr(0, record.diagnosis.find('\n'));
      return "no case was run: " + line;
    }
    case Conclusion::MustFailed: return "MUST case failed";
    case Conclusion::MustUnjudged: {
      auto n = must_unjudged(record);
      return fmt::format("no MUST case failed, but {} MUST case{} left unjudged (inconclusive or error): no verdict", n,
                         n == 1 ? " was" : "s were");
    }
    case Conclusion::NoMustFailed: break;
  }
  return "no MUST case failed";
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
