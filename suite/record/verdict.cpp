#include <array>

#include "suite/record/case_record.h"

namespace fc::record {

namespace {
struct VerdictRow {
  Verdict verdict;
  std::string_view name;
  bool unjudged;
};
constexpr std::array<VerdictRow, 8> kVerdicts{{
    {Verdict::Pass, "pass", false},
    {Verdict::Fail, "fail", false},
    {Verdict::NonStrict, "non-strict", false},
    {Verdict::Info, "info", false},
    {Verdict::Skipped, "skipped", false},
    {Verdict::NotTested, "not-tested", false},
    {Verdict::Inconclusive, "inconclusive", true},
    {Verdict::Error, "error", true},
}};
}  // namespace

std::string to_string(Verdict verdict) {
  for (const auto& row : kVerdicts)
    if (row.verdict == verdict) return std::string(row.name);
  return "?";
}

std::optional<Verdict> verdict_named(std::string_view name) {
  for (const auto& row : kVerdicts)
    if (row.name == name) return row.verdict;
  return std::nullopt;
}

const std::vector<Verdict>& all_verdicts() {
  static const std::vector<Verdict> list = [] {
    std::vector<Verdict> out;
    for (const auto& row : kVerdicts) out.push_back(row.verdict);
    return out;
  }();
  return list;
}

bool unjudged(Verdict verdict) {
  for (const auto& row : kVerdicts)
    if (row.verdict == verdict) return row.unjudged;
  return true;
}

Verdict decide_verdict(const CaseMeta& meta, const std::vector<Finding>& findings,
                       const std::optional<PresetVerdict>& preset, std::string& reason) {
  reason.clear();
  for (const auto& f : findings) {
    if (f.kind == Finding::Kind::Error) {
      reason = headline(f);
      return Verdict::Error;
    }
  }
  if (!findings.empty()) {
    // A missed SHOULD is not a failure of conformance: it is reported, and does not fail the run.
    if (meta.level == Level::Should) {
      reason = "a SHOULD requirement was not met";
      return Verdict::NonStrict;
    }
    return Verdict::Fail;
  }
  if (preset) {
    reason = preset->reason;
    return preset->verdict;
  }
  return meta.level == Level::Info ? Verdict::Info : Verdict::Pass;
}

}  // namespace fc::record
