// The one place that decides how much of a block-wise transfer the reports keep: the first and
// the last block's messages in full, every message a finding points to, and one summary entry
// for each stretch in between. results.json, JUnit, HTML and the timeline all read the
// summarised trace, so a 1 MiB catalogue writes megabytes, not hundreds of them.
#pragma once

#include <cstddef>
#include <string>

#include "suite/record/case_record.h"

namespace fc::reports {

// Stretches of fewer than `min_left_out` messages are kept as they are.
inline constexpr std::size_t kMinMessagesSummarised = 4;

// Summarises `record.trace` in place: a transfer is the Block2 (or Block1) requests and success
// responses on one channel and peer, until a message with the other block option; other
// messages in between stay where they are. A summary never reaches across an error or RST on
// the transfer's channel and peer, nor across a request that goes back to an earlier block (a
// restarted download): each stretch gets its own. Findings' trace_index and the existing
// summaries are moved to the entries' new places; a second call changes nothing.
void summarise_transfers(record::CaseRecord& record, std::size_t min_left_out = kMinMessagesSummarised);

// "Block2 #1–#1022 left out: 2044 messages, 1046528 payload bytes, 0 retransmissions …".
std::string transfer_summary_text(const record::TransferSummary& summary);

}  // namespace fc::reports
