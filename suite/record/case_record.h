// Everything a report needs about one finished case, gathered by the fixture as the case ends.
#pragma once

#include <cstdint>
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

// The middle of a block-wise transfer, replaced in the case's trace by one note entry (the
// reports keep a transfer's first and last blocks in full and count the rest: a 1 MiB download
// is thousands of messages). reports/transfer_summary.h makes these.
struct TransferSummary {
  std::size_t trace_index = 0;       // the summary's own entry in the case's trace
  int block_option = 2;              // 2: Block2 (a download), 1: Block1 (a push)
  std::string channel;
  std::string peer;
  std::uint32_t first_block = 0;     // lowest and highest block number left out
  std::uint32_t last_block = 0;
  std::size_t blocks = 0;            // distinct block numbers left out
  std::size_t messages = 0;          // requests and responses left out
  std::size_t payload_bytes = 0;     // their payload bytes, as sent
  std::size_t retransmissions = 0;   // of them, repeats of a message ID already seen in the transfer
  Clock::time_point end;             // the last message left out (the entry's time is the first)
};

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
  std::vector<TransferSummary> transfers;   // the trace's summary entries, in trace order
  // The endpoint of the device that ran the case, set when a run or a merge joins several
  // devices (--devices N, --shard and `fotacheck report --merge`); empty for one device.
  std::string device;
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
