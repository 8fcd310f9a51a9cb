// Everything a report needs about one finished case, gathered by the fixture as the case ends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/record/case_meta.h"
#include "suite/record/finding.h"
#include "suite/record/timeline.h"
#include "suite/record/transition_oracle.h"
#include "suite/coap/trace.h"

namespace fc::record {

// pass, fail, non-strict, info, skipped, not-tested, inconclusive (architecture: Verdicts), and
// error: the case could not be carried out for a reason of the suite's own or an unforeseen
// one (never a pass).
enum class Verdict { Pass, Fail, NonStrict, Info, Skipped, NotTested, Inconclusive, Error };
std::string to_string(Verdict verdict);
std::optional<Verdict> verdict_named(std::string_view name);
// Every verdict, in report order (names, parsing and counts derive from it).
const std::vector<Verdict>& all_verdicts();
// A verdict that says nothing about conformance either way: the case was not judged.
bool unjudged(Verdict verdict);

struct CaseRecord {
  CaseMeta meta;                       // copied: area, name, id, level, clause, ...
  Verdict verdict = Verdict::Pass;
  std::string reason;                  // why skipped / not-tested / inconclusive / non-strict
  std::vector<Finding> findings;       // every failed check, in order
  Clock::time_point started;
  Clock::time_point ended;
  Timeline timeline;
  std::vector<coap::TraceEntry> trace; // this case's messages only
  Clock::time_point trace_origin;      // what trace times are relative to
  std::vector<std::pair<std::string, std::string>> measurements;  // info: name, value
  std::vector<TransitionCell> transitions;  // the §3.1 steps the timeline exercised (oracle)
};

// What the case itself settled before or instead of its checks: skipped, not-tested,
// inconclusive or error, with the reason.
struct PresetVerdict {
  Verdict verdict;
  std::string reason;
};

// The one verdict computation: findings decide (an error finding makes `error`; otherwise a
// missed SHOULD is non-strict, anything else fail), then a preset verdict, then pass (info for
// INFO cases). `reason` gets the why for every verdict but pass.
Verdict decide_verdict(const CaseMeta& meta, const std::vector<Finding>& findings,
                       const std::optional<PresetVerdict>& preset, std::string& reason);

// Called by the fixture for every finished case, in order (reports subscribe here).
class CaseRecordSink {
 public:
  virtual ~CaseRecordSink() = default;
  virtual void on_case(const CaseRecord& record) = 0;
};

}  // namespace fc::record
