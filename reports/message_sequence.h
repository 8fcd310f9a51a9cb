// The CoAP message sequence of a case as report rows, with block-wise transfers folded into
// ranges ("Block2 #0–#31: 32 requests, 32 × 2.05, 32768 B") so a download is one line.
#pragma once

#include <string>
#include <vector>

#include "suite/record/case_record.h"

namespace fc::reports {

struct SequenceRow {
  double t_ms = 0;          // from the case's trace origin
  double end_ms = 0;        // last message of a folded range (= t_ms otherwise)
  bool note = false;        // a trace note, not a message
  bool sent = false;        // from the suite
  std::string channel;
  std::string peer;
  std::string text;         // the message summary, the fold's description, or the note
  std::string annotation;   // the entry's note, when a message carries one
  std::size_t folded = 0;   // messages in this row when > 1
  bool error = false;       // a 4.xx/5.xx response, or RST
  std::size_t trace_index = 0;  // the (first) trace entry of the row
  bool marked = false;      // a finding points to this message: the one that broke the rule
};

// Runs of at least `min_fold` consecutive messages on one channel and peer that all carry the
// same block option (Block2 or Block1), with success codes and no notes, become one row. A
// message a finding points to (trace_index) is never folded: it is its own, marked row.
std::vector<SequenceRow> message_sequence(const record::CaseRecord& record, std::size_t min_fold = 4);

}  // namespace fc::reports
